"""Celery tasks of the board reports: thin wrappers. Imported by the worker through CELERY_IMPORTS (settings)."""

from celery import shared_task

from surveys.reports import calendar_index, quarterly, summary


@shared_task
def issue_quarterly_report() -> str:
    """Beat (daily, early morning): on the first working day of a quarter, last quarter's report is rendered
    and sent to the board. Idempotent: on other days, or once issued, it does nothing new."""
    report = quarterly.issue_if_due()
    return report.period.key if report else ""


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_board_report_email(email_id: int) -> str:
    """E-mail one board member the report's PDF. Safe to run twice: only the call that claims the row sends."""
    return quarterly.deliver_email(email_id)


@shared_task
def rebuild_working_day_index() -> int:
    """Beat (nightly): the working-day index from the holidays (a holiday added today counts tomorrow)."""
    return calendar_index.rebuild()


@shared_task
def refresh_report_summaries() -> int:
    """Beat (every 5 minutes): the monthly summaries the board reports read; this month, last month once it
    is over, and any month never summarised. Idempotent (each month is rewritten whole)."""
    return summary.refresh_due()
