"""How long a task may run, when the broker hands a dead worker's task to another, and how lost receipts catch up.

Imported by base.py (one line); the values read the environment like every other setting.
"""

import os

# A task is warned at the soft limit and killed at the hard one. Receipts render one per task (about a second each),
# outbox batches hand the rest to a new task before the soft limit: nothing should come near either.
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# Redis keeps a task a worker took until the worker acknowledges it (acks late, after the task). When the worker dies
# (SIGKILL, power, out of memory) the task goes back to the queue once it has waited this long unacknowledged: longer
# than the longest task (the hard limit), so a task still running is not handed out twice, and short, so the killed
# task runs again within minutes (Celery's default is an hour). A task delayed longer than this (an outbox retry with
# back-off) may be handed out once more when it is due: every task is idempotent (claims, unique keys).
BROKER_VISIBILITY_TIMEOUT_S = int(os.environ.get("BROKER_VISIBILITY_TIMEOUT_S", "120"))
# Each worker looks for such tasks every 10 s (kombu's default throttle looks on every tenth pass only, ~100 s).
REDIS_REDELIVERY_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT_S, "unacked_restore_throttle": 1}

# The receipt sweep (requests_app.tasks.issue_missing_receipts) runs this often and fans out one task per receipt
# missing for a request submitted more than RECEIPT_SWEEP_GRACE_S ago (its own task may still be on its way before).
# Together they bound how late a receipt is once Redis or a worker is back: about two minutes.
RECEIPT_SWEEP_INTERVAL_S = float(os.environ.get("RECEIPT_SWEEP_INTERVAL_S", "30"))
RECEIPT_SWEEP_GRACE_S = float(os.environ.get("RECEIPT_SWEEP_GRACE_S", "60"))
CATCH_UP_SCHEDULE = {
    "issue-missing-receipts": {
        "task": "requests_app.tasks.issue_missing_receipts",
        "schedule": RECEIPT_SWEEP_INTERVAL_S,
        "options": {"expires": RECEIPT_SWEEP_INTERVAL_S * 0.9},  # queued while no worker ran: only the last counts
    },
    # Private files no row names (a process killed between writing a file and its row): removed after an hour.
    "sweep-orphaned-files": {"task": "requests_app.tasks.sweep_orphaned_files", "schedule": 3600.0},
}
