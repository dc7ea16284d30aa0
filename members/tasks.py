"""Celery tasks of the members app: thin wrappers that load by id and call a service.

Each may run twice (acks late, a redelivery after a worker died, the beat sweep): the services they call
are idempotent (see members/outbox.py for how a message is never claimed twice).
"""

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from members import activation, announcements, code_delivery, outbox_sending
from members_portal.db_retry import RETRY_ON_DATABASE_ERRORS


@shared_task
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry (beat, nightly). Idempotent: a second run finds nothing to delete."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def render_data_export(export_id: int) -> None:
    """Render a member's data export (PDF) into private storage. Safe to run twice: a ready export is kept."""
    from members import data_exports

    data_exports.render_data_export(export_id)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def send_notification(notification_id: int) -> str:
    """Deliver one outbox row. Safe to run twice: only the call that claims the row sends it.
    A database error retries the task with a backoff (the claim was given back)."""
    return outbox_sending.deliver_notification(notification_id)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def send_notification_batch(notification_ids: list[int]) -> dict[str, int]:
    """Deliver several outbox rows (announcements), each claimed on its own; retried like send_notification."""
    return outbox_sending.deliver_batch(list(notification_ids))


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def sweep_outbox() -> int:
    """Beat, every minute: mark for checking what a dead worker had handed over, re-enqueue messages left pending
    or claimed by a dead worker, and announcements whose fan-out was lost. Idempotent: what is already on its way
    finds nothing to claim."""
    announcements.requeue_stuck(grace_s=settings.OUTBOX_PENDING_GRACE_S)
    return outbox_sending.requeue_due()


@shared_task
def fan_out_announcement(announcement_id: int) -> int:
    """Write an announcement's outbox rows in bulk and hand them to delivery. Idempotent (unique keys)."""
    return announcements.fan_out(announcement_id=announcement_id)


@shared_task
def send_access_code(token: str) -> bool:
    """Draw and send the code of one activation, registration or new-password attempt (after the response, so that
    known and unknown details answer alike). Idempotent: a second run finds the code already issued."""
    return activation.issue_code(token)


@shared_task
def send_code_sms(phone: str, text: str) -> bool:
    """Send one sign-in or verification code that allauth drew, or nothing for a number without an account
    (`phone` empty): the request took the same path either way."""
    return code_delivery.deliver_sms(phone, text)


@shared_task
def send_account_email(to: str, subject: str, body: str, html: str = "") -> bool:
    """Send one account e-mail (a sign-in code, a password reset link, a security notice) after the response."""
    return code_delivery.deliver_email(to, subject, body, html)
