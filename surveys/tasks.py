"""Celery tasks of the surveys app: thin wrappers around services."""

from celery import shared_task

from surveys import services


@shared_task
def send_survey_reminders() -> int:
    """Beat (hourly): remind once those who have not answered after 3 days. Safe to run twice (claims per row)."""
    return services.send_reminders()


# The board reports' tasks (quarterly report, its e-mails, the working-day index), registered with the worker.
from surveys.reports.tasks import issue_quarterly_report, rebuild_working_day_index, send_board_report_email  # noqa: E402, F401


@shared_task
def reseal_anonymous_rows() -> int:
    """After every answer and hourly: rewrite recent anonymous rows in random order (see the service)."""
    return services.reseal_anonymous_rows()
