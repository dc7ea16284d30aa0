"""The report's figures as CSV: UTF-8 with a byte-order mark (so Excel shows Arabic), one figure a line.

Text cells that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a carriage
return) get a leading apostrophe. Numbers are written as numbers: a negative recommendation score stays
a number, and numbers never come from what a person typed.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.reports import figures
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
    """The report as the CSV's rows: what it is, the headline figures, the trend, and each breakdown."""
    out: list[list] = [
        [_("Report"), _("Najran Agricultural Cooperative Society for Coffee")],
        [_("Period"), report.period.gregorian_label(), report.period.hijri_label()],
        [_("Previous period"), report.previous.gregorian_label(), report.previous.hijri_label()],
        *[[label, value] for label, value in report.scope_labels],
        [_("Issued"), timezone.localtime(report.issued_at).strftime("%Y-%m-%d %H:%M")],
        [],
        [_("Section"), _("Figure"), _("This period"), _("Previous period")],
    ]
    out += _headline_rows(report)
    out += [[], [_("Month"), _("Average rating"), _("Requests received"), _("Completed"), _("Within target, %")]]
    for point in report.trend:
        out.append(
            [
                point.month.strftime("%Y-%m"),
                point.average if point.average is not None else _hidden(),
                point.received,
                point.completed,
                point.on_time_share,
            ]
        )
    titles = {"service": _("Service"), "department": _("Department"), "governorate": _("Governorate")}
    for dimension, breakdown in report.breakdowns.items():
        out += _breakdown_rows(titles[dimension], breakdown)
    return out


def _hidden() -> str:
    return _("not enough answers")


def _shown(value, published=True):
    if not published:
        return _hidden()
    return "" if value is None else value


def _headline_rows(report: Report) -> list[list]:
    """The table of figures (surveys.reports.figures), by section; a survey figure of a slice not published reads
    "not enough answers"."""
    out: list[list] = []
    sections = {figures.SATISFACTION: _("Satisfaction"), figures.SERVICE: _("Service")}
    for section, title in sections.items():
        for row in report.headline(section):
            label = f"{row.figure.label}, %" if row.figure.unit == "%" else str(row.figure.label)
            current, previous = row.current, row.previous
            if row.figure.anonymous:
                current = _hidden() if not report.satisfaction.published else current
                previous = _hidden() if not report.previous_satisfaction.published else previous
            out.append([title, label, _shown(current), _shown(previous) if row.figure.compare else ""])
    return out


def _breakdown_rows(title: str, breakdown: list) -> list[list]:
    out: list[list] = [
        [],
        [
            _("Rank"),
            title,
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
                _shown(row.satisfaction.answers, published),
                _shown(row.satisfaction.average, published),
                _shown(row.satisfaction.satisfied_share, published),
                _shown(row.satisfaction.recommendation_score, published),
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
