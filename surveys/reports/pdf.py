"""The board report as a PDF (WeasyPrint through members_portal.pdf): A4, a cover page, page numbers."""

from django.utils import timezone

from members_portal.pdf import render_pdf
from surveys.reports.dashboard import Report
from surveys.reports.dashboard_charts import chart_svgs

TEMPLATE = "pdf/board_report.html"


def context(report: Report, *, title: str = "") -> dict:
    return {
        "report": report,
        "charts": chart_svgs(report),
        "issued_at": timezone.localtime(report.issued_at),
        "title": title,
    }


def render(report: Report, *, title: str = "") -> bytes:
    """The PDF bytes, in the active language (wrap in translation.override to choose it)."""
    return render_pdf(TEMPLATE, context(report, title=title))


def filename(report: Report, prefix: str = "board-report") -> str:
    return f"{prefix}-{report.period.key}.pdf"
