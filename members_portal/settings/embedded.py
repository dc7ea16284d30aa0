"""The embedded defaults, tuned to hold real use: SQLite for several people at once, a filesystem broker that
never hands the worker half a message, and links that point at the server `make run` started. Production
(PostgreSQL, Redis, SITE_URL in the environment) passes through untouched."""

from pathlib import Path
from typing import Any

# Seconds a connection waits for another's write to finish before SQLite answers "database is locked".
SQLITE_BUSY_TIMEOUT_S = 20


def sqlite_for_concurrent_use(database: Any) -> Any:
    """WAL (readers never wait for the writer), a busy timeout, and transactions that take the write lock when
    they begin (BEGIN IMMEDIATE): a deferred transaction that reads and then writes cannot wait for the lock, so
    two such at once failed at once with "database is locked" (68 HTTP 500s in 45 s of four people submitting)."""
    if not database["ENGINE"].endswith("sqlite3"):
        return database
    database.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT_S,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}",
        }
    )
    return database


def filesystem_broker(var_dir: Path) -> dict:
    """The folders of the filesystem broker, in <var>/broker/ (members_portal.celery points filesystem:// at
    members_portal.broker, which writes message files atomically)."""
    broker_dir = var_dir / "broker"
    for folder in ("queue", "processed", "control"):
        (broker_dir / folder).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(broker_dir / "queue"),
        "data_folder_out": str(broker_dir / "queue"),
        "processed_folder": str(broker_dir / "processed"),
        "control_folder": str(broker_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }


def recorded_site_url(var_dir: Path) -> str:
    """The address `make run` serves on, recorded in <var>/site_url while it runs: a command run beside it (in
    another terminal, without SITE_URL set) prints links to that server, not to a default port."""
    try:
        return (var_dir / "site_url").read_text(encoding="utf-8").strip()
    except OSError:
        return ""
