"""The one way to start background work: after the transaction commits, never blocking on a broker that is down."""

import logging
from functools import partial

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def _send(task: Task, args: tuple) -> None:
    try:
        task.apply_async(args=args)
    except Exception:
        # The state change is already committed; the periodic sweep of each task's own rows delivers it later.
        logger.exception("Could not enqueue %s%r; a periodic sweep will pick it up", task.name, args)


def after_commit(task: Task, *ids: int) -> None:
    """Enqueue `task(*ids)` once the current transaction commits; nothing is sent if it rolls back."""
    transaction.on_commit(partial(_send, task, ids))
