"""Named locks for work that must not run twice at once (summaries rewritten, a periodic job, a second beat).

On PostgreSQL these are advisory locks keyed by the name: `hold(name)` waits for the lock until the transaction
ends; `try_hold_for_process(name)` takes it for as long as this database connection lives, or says it cannot. On
SQLite (a first run, one machine) a writing transaction already excludes every other writer, so `hold` has nothing
to add, and a process lock is always granted.
"""

import hashlib

from django.db import connection


def key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def hold(name: str) -> None:
    """Wait for the lock `name` and keep it until the current transaction ends (call inside one)."""
    if not connection.in_atomic_block:
        raise RuntimeError("locks.hold() needs a transaction: the lock is released when it ends")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key(name)])


def try_hold_for_process(name: str) -> bool:
    """Take the lock `name` for this connection's life without waiting; False when another process holds it."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key(name)])
        return bool(cursor.fetchone()[0])
