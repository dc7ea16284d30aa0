"""The one way to start background work: after the transaction commits, never blocking on a broker that is down."""

import logging
import time
from functools import partial

from celery import Task, current_app
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# After a publish fails for want of a broker, this process skips the broker for a while: the requests that follow
# answer at once instead of each waiting out the connection timeout, and the periodic sweeps (outbox, receipts,
# announcements, surveys) deliver what was skipped once the broker is back.
BROKER_RETRY_AFTER_S = 15.0
_broker_down_until = 0.0


def _send(task: Task, args: tuple) -> None:
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        logger.warning("Broker unavailable: %s%r left to its periodic sweep", task.name, args)
        return
    try:
        task.apply_async(args=args)
    except (OperationalError, OSError):
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER_S
        logger.exception("Could not reach the broker for %s%r; its periodic sweep will pick it up", task.name, args)
    except Exception:
        # The state change is already committed; the periodic sweep of each task's own rows delivers it later.
        logger.exception("Could not enqueue %s%r; a periodic sweep will pick it up", task.name, args)


def broker_reachable() -> bool:
    """Whether this process can publish now: False while it skips a broker that failed a moment ago; otherwise the
    broker is asked (within the socket timeouts, settings/redis_timeouts.py), and a failure is remembered like a
    failed publish. For the health checks and the operations report, never for a decision to refuse a member."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    try:
        # The project's Celery app (members_portal.celery, made current when the project package loads): the
        # kernel names no module of the shell.
        with current_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=0)
            broker.default_channel  # noqa: B018 (opening the channel is the round trip to Redis)
    except Exception:
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER_S
        logger.warning("The broker did not answer; publishing is skipped for %s s", BROKER_RETRY_AFTER_S)
        return False
    return True


def after_commit(task: Task, *ids: int | str) -> None:
    """Enqueue `task(*ids)` once the current transaction commits; nothing is sent if it rolls back. The arguments
    are ids, or the few short strings a task needs (a code's token, a message to a number without an account)."""
    transaction.on_commit(partial(_send, task, ids))
