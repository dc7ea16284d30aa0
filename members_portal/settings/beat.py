"""The periodic jobs Celery beat sends, and the task modules the worker must import to know them.

Imported by base.py (one line). tests/members_portal/test_beat_schedule.py runs the task each entry names.
"""

from celery.schedules import crontab

from .redelivery import CATCH_UP_SCHEDULE

CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "members.tasks.clear_expired_sessions", "schedule": crontab(hour=3, minute=15)},
    # The outbox sweep: re-enqueues messages left pending (broker or worker down) and those stuck "sending".
    "outbox-sweep": {"task": "members.tasks.sweep_outbox", "schedule": 30.0, "options": {"expires": 25}},
    # Proves beat, broker and a worker alive to /healthz/ready; a heartbeat not run within 25 s is dropped.
    "worker-heartbeat": {"task": "members_portal.tasks.worker_heartbeat", "schedule": 30.0, "options": {"expires": 25}},
    # The staff queue's escalation (requests_app/desk/escalation.py): early on working days, Riyadh time; idempotent.
    "requests-escalation": {"task": "requests_app.tasks.escalate_requests", "schedule": crontab(hour=6, minute=30)},
    # Receipts whose rendering task was lost (broker or worker down, a worker killed): one task per receipt.
    **CATCH_UP_SCHEDULE,  # settings/redelivery.py: lost receipts, orphaned files
    # Survey reminders: once per invitation, 3 days after it was sent (each invitation is claimed by its row).
    "survey-reminders": {"task": "surveys.tasks.send_survey_reminders", "schedule": crontab(minute=17)},
    # Rewrites recent anonymous survey rows in random order (no shared xmin/row order with invitations).
    "survey-reseal": {"task": "surveys.tasks.reseal_anonymous_rows", "schedule": crontab(minute=47)},
    # Board reports: last quarter's report on the first working day of a quarter (checked daily, idempotent),
    # and the working-day index the reports count with, rebuilt from the holidays each night.
    "quarterly-board-report": {
        "task": "surveys.reports.tasks.issue_quarterly_report",
        "schedule": crontab(hour=6, minute=5),
    },
    "working-day-index": {
        "task": "surveys.reports.tasks.rebuild_working_day_index",
        "schedule": crontab(hour=2, minute=40),
    },
    # General Assembly reminders, 3 days and 1 day before a published meeting (each member's once: keyed rows).
    "assembly-reminders": {"task": "assembly.tasks.send_meeting_reminders", "schedule": crontab(minute=23)},
    # Minutes of a closed meeting whose rendering task was lost: caught up within a minute or two (idempotent).
    "assembly-missing-minutes": {
        "task": "assembly.tasks.issue_missing_minutes",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "board-report-summaries": {
        "task": "surveys.reports.tasks.refresh_report_summaries",
        "schedule": 300.0,
        "options": {"expires": 280},
    },
}
# Task modules outside an app's tasks.py (autodiscovery finds only those): the board reports' tasks.
CELERY_IMPORTS = ("surveys.reports.tasks",)
