"""The board report's charts (surveys.charts draws them): the page and the PDF show the same ones."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from surveys import charts
from surveys.reports.dashboard import Report


def chart_svgs(report: Report) -> dict:
    """The report's charts, drawn in the active language (call under translation.override for the PDF)."""
    not_enough = _("not enough answers")
    # Month names only on the axis (the year where it starts or changes); the table under it has the full label.
    categories = [
        f"{date_format(point.month, 'F')} {point.month:%y}"
        if index == 0 or point.month.month == 1
        else date_format(point.month, "F")
        for index, point in enumerate(report.trend)
    ]
    result = {
        "satisfaction_trend": charts.lines(
            chart_id="chart-satisfaction-trend",
            title=_("Average rating by month (1 to 5)"),
            description=_(
                "The average rating of each of the last 12 months; a gap where there were not enough answers."
            ),
            categories=categories,
            series=[charts.Series(_("Average rating"), [point.average for point in report.trend])],
            minimum=1,
            maximum=5,
        ),
        "requests_trend": charts.columns(
            chart_id="chart-requests-trend",
            title=_("Requests received and completed by month"),
            description=_("Requests received and requests completed in each of the last 12 months."),
            categories=categories,
            series=[
                charts.Series(_("Received"), [point.received for point in report.trend]),
                charts.Series(_("Completed"), [point.completed for point in report.trend]),
            ],
        ),
    }
    for dimension, title in (
        ("service", _("Average rating by service")),
        ("department", _("Average rating by department")),
        ("governorate", _("Average rating by governorate")),
    ):
        # What the caption says: the average rating of each row that has one, highest first. Rows without
        # enough answers are in the table under the chart only.
        rows = [row for row in report.breakdowns[dimension] if row.satisfaction.average is not None]
        result[f"{dimension}_ranking"] = charts.horizontal_bars(
            chart_id=f"chart-{dimension}-ranking",
            title=title,
            description=_(
                "Every row with enough answers, from the highest average rating; the others are in the table."
            )
            if rows
            else _("No row has enough answers in this period: the table lists them."),
            labels=[row.label for row in rows],
            values=[row.satisfaction.average for row in rows],
            maximum=5,
            decimals=2,
            missing_label=not_enough,
        )
    return result
