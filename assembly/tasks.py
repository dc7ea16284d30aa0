"""Celery tasks of the General Assembly: thin wrappers that load by id and call a service. Each may run twice."""

from celery import shared_task

from assembly import notices
from members_portal.db_retry import RETRY_ON_DATABASE_ERRORS


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def send_meeting_notice(meeting_id: int) -> int:
    """Queue a published meeting's notice to its eligible members. Idempotent (keyed rows)."""
    return notices.send_notice(meeting_id=meeting_id)


@shared_task
def send_meeting_reminders() -> int:
    """Beat, hourly: a notice whose task was lost, then the reminders 3 days and 1 day before each published
    meeting. Idempotent (keyed rows)."""
    return notices.catch_up() + notices.send_reminders()


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def issue_minutes(meeting_id: int) -> bool:
    """Render a closed meeting's minutes and tell its eligible members. Idempotent: rendered and sent once
    (assembly.minutes)."""
    from assembly import minutes

    return minutes.issue_minutes(meeting_id=meeting_id)


@shared_task
def issue_missing_minutes() -> int:
    """Beat, every minute: one task per closed meeting whose minutes task was lost (broker or worker down)."""
    from assembly import minutes
    from members_portal.enqueue import after_commit

    missing = minutes.missing()
    for meeting_id in missing:
        after_commit(issue_minutes, meeting_id)
    return len(missing)
