"""Only one Celery beat: a second one started by mistake (on another machine, or twice by hand) refuses to run.

Beat takes a PostgreSQL advisory lock on a connection of its own when it starts and keeps it (and the connection)
for its life; a beat that cannot take it stops at once with a clear message. A beat that dies releases the lock with
its connection. If the database restarts, the lock goes with the connection: the running beat carries on, and a
second beat could then start; the periodic tasks are all safe to run twice at once anyway (claims, unique keys,
named locks). On SQLite (a first run, one machine, `make run`) there is no second machine to guard against.
"""

import logging

from django.db import connections

logger = logging.getLogger(__name__)
LOCK_NAME = "members_portal.celery-beat"
_held = None  # the connection holding the lock, kept open for the life of the process


def take_beat_lock() -> bool:
    """Take the one-beat lock on a connection of its own; False when another beat holds it."""
    global _held
    from members_portal import locks

    connection = connections.create_connection("default")
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [locks.key(LOCK_NAME)])
        taken = bool(cursor.fetchone()[0])
    if taken:
        _held = connection
    else:
        connection.close()
    return taken


def refuse_a_second_beat(**kwargs) -> None:
    """Celery's beat_init signal: stop this beat if another one runs."""
    if not take_beat_lock():
        logger.critical("Another Celery beat is running (it holds the one-beat lock): this one stops.")
        raise SystemExit("Another Celery beat is running: only one may schedule the periodic tasks.")
