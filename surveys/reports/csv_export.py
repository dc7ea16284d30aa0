"""The report's figures as CSV: UTF-8 with a byte-order mark (so Excel shows Arabic), one figure a line.

Text cells that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a carriage
return) get a leading apostrophe. Numbers are written as numbers: a negative recommendation score stays
a number, and numbers never come from what a person typed.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.reports.dashboard import Report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return round(value, 2) if isinstance(value, float) else value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def rows(report: Report) -> list[list]:
    hidden = _("not enough answers")
    sat, prev_sat = report.satisfaction, report.previous_satisfaction
    service, prev_service = report.service, report.previous_service

    def shown(value, published=True):
        return value if published and value is not None else (hidden if not published else "")

    out: list[list] = [
        [_("Report"), _("Najran Agricultural Cooperative Society for Coffee")],
        [_("Period"), report.period.gregorian_label(), report.period.hijri_label()],
        [_("Previous period"), report.previous.gregorian_label(), report.previous.hijri_label()],
        *[[label, value] for label, value in report.scope_labels],
        [_("Issued"), timezone.localtime(report.issued_at).strftime("%Y-%m-%d %H:%M")],
        [],
        [_("Section"), _("Figure"), _("This period"), _("Previous period")],
        [
            _("Satisfaction"),
            _("Answers"),
            shown(sat.answers, sat.published),
            shown(prev_sat.answers, prev_sat.published),
        ],
        [
            _("Satisfaction"),
            _("Average rating (1 to 5)"),
            shown(sat.average, sat.published),
            shown(prev_sat.average, prev_sat.published),
        ],
        [
            _("Satisfaction"),
            _("Satisfied (4 or 5), %"),
            shown(sat.satisfied_share, sat.published),
            shown(prev_sat.satisfied_share, prev_sat.published),
        ],
        [
            _("Satisfaction"),
            _("Recommendation score"),
            shown(sat.recommendation_score, sat.published),
            shown(prev_sat.recommendation_score, prev_sat.published),
        ],
        [_("Satisfaction"), _("Response rate, %"), shown(sat.response_rate, sat.published), ""],
    ]
    for _aspect, label, value in sat.aspects():
        out.append([_("Satisfaction"), label, shown(value, sat.published), ""])
    for label, current, previous in (
        (_("Requests received"), service.received, prev_service.received),
        (_("Completed"), service.completed, prev_service.completed),
        (_("Rejected"), service.rejected, prev_service.rejected),
        (_("Open at the end of the period"), service.open, prev_service.open),
        (_("Median working days to complete"), service.median_days, prev_service.median_days),
        (_("90th percentile of working days to complete"), service.p90_days, prev_service.p90_days),
        (_("Completed within the service-level target, %"), service.on_time_share, prev_service.on_time_share),
        (_("Late now"), service.late_now, ""),
        (_("Complaints received"), service.complaints, prev_service.complaints),
        (_("Complaints answered"), service.complaints_answered, prev_service.complaints_answered),
        (_("Suggestions received"), service.suggestions, prev_service.suggestions),
        (_("Suggestions answered"), service.suggestions_answered, prev_service.suggestions_answered),
    ):
        out.append([_("Service"), label, current, previous])
    out += [[], [_("Month"), _("Average rating"), _("Requests received"), _("Completed"), _("Within target, %")]]
    for point in report.trend:
        out.append(
            [
                point.month.strftime("%Y-%m"),
                point.average if point.average is not None else hidden,
                point.received,
                point.completed,
                point.on_time_share,
            ]
        )
    titles = {"service": _("Service"), "department": _("Department"), "governorate": _("Governorate")}
    for dimension, breakdown in report.breakdowns.items():
        out += [
            [],
            [
                _("Rank"),
                titles[dimension],
                _("Answers"),
                _("Average rating"),
                _("Satisfied, %"),
                _("Recommendation score"),
                _("Requests received"),
                _("Completed"),
                _("Median working days"),
                _("Within target, %"),
            ],
        ]
        for row in breakdown:
            published = row.satisfaction.published
            out.append(
                [
                    row.rank or "",
                    row.label,
                    shown(row.satisfaction.answers, published),
                    shown(row.satisfaction.average, published),
                    shown(row.satisfaction.satisfied_share, published),
                    shown(row.satisfaction.recommendation_score, published),
                    row.service.received,
                    row.service.completed,
                    row.service.median_days,
                    row.service.on_time_share,
                ]
            )
    return out


def render(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows(report):
        writer.writerow([safe_cell(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")
