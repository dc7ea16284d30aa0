"""Celery tasks of the staff queue (registered through requests_app.tasks, which imports them)."""

from celery import shared_task


@shared_task(name="requests_app.tasks.escalate_requests")
def escalate_requests() -> dict[str, int]:
    """The daily escalation (beat): reminders, late and unassigned notices. Idempotent per request and day."""
    from requests_app.desk import escalation

    return escalation.escalate()


@shared_task(name="requests_app.tasks.email_staff_notices")
def email_staff_notices() -> int:
    """E-mail staff the notices not yet e-mailed. Safe to run twice: each notice is claimed before sending."""
    from requests_app.desk import escalation

    return escalation.email_notices()
