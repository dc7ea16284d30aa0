"""Riding out a database blip (a restart, a fail-over, a dropped connection) instead of failing the work.

`RETRY_ON_DATABASE_ERRORS` are Celery task options: a task that meets a lost connection is retried with a growing
delay (1 s, 2 s, 4 s … up to 30 s) instead of waiting for a periodic sweep. `write_with_retries` retries one write
in place, for the writes that must not be lost once something irreversible happened (a message handed over).
"""

import logging
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_ON_DATABASE_ERRORS = {
    "autoretry_for": DATABASE_ERRORS,
    "retry_backoff": 1,
    "retry_backoff_max": 30,
    "retry_jitter": True,
    "max_retries": 8,
}
# About 15 s in all: longer than a PostgreSQL restart, shorter than an outbox claim (30 s).
WRITE_RETRY_DELAYS_S = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0)


def drop_broken_connection() -> None:
    """Close the connection after a database error so the next query opens a fresh one (not inside a transaction,
    whose connection belongs to the code that opened it)."""
    if not connection.in_atomic_block:
        connection.close()


def write_with_retries[T](write: Callable[[], T], *, what: str) -> T:
    """Run `write()`; on a database error reconnect and try again after each of WRITE_RETRY_DELAYS_S, then raise."""
    for delay in (*WRITE_RETRY_DELAYS_S, None):
        try:
            return write()
        except DATABASE_ERRORS as error:
            if delay is None:
                raise
            logger.warning("Database error while %s (%s); trying again in %s s", what, error, delay)
            drop_broken_connection()
            time.sleep(delay)
    raise AssertionError("unreachable")
