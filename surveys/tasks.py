"""Celery tasks of the surveys app: thin wrappers around services."""

from celery import shared_task

from surveys import services


@shared_task
def send_survey_reminders() -> int:
    """Beat (hourly): remind once those who have not answered after 3 days. Safe to run twice (claims per row)."""
    return services.send_reminders()
