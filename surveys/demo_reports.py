"""Demo board reports: the summaries the dashboard reads, and last quarter's report in the board's inbox.

Runs after surveys.demo (answers) and requests_app.demo (requests). Idempotent: summaries are rewritten,
the quarterly report is issued once per quarter and sent once per board member.
"""

from django.db import transaction

from surveys.reports import calendar_index, quarterly, summary
from surveys.reports.periods import Period


def seed(stdout) -> list[tuple[str, str, str]]:
    calendar_index.rebuild()
    months = summary.refresh_due()
    with transaction.atomic():
        report = quarterly.issue_quarterly_report(period=Period.last_complete_quarter())
    stdout.write(
        f"  board reports: {months} months summarised; quarterly report {report.period.key} "
        f"sent to {report.recipients} board member(s)"
    )
    return []
