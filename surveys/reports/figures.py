"""Every headline figure of the board report, defined once: the dashboard, the CSV and the PDF read this table.

A figure is `scale * numerator / denominator` over sums of a period (or the numerator alone when it has no
denominator), where numerator and denominator name sums the report holds: survey sums (`Stats`: answers,
rating sums, counts per rating band), request counts (`ServiceFigures`) and invitation counts. Two figures
are statistics of a distribution instead (median and 90th percentile of working days), named by `statistic`.

Period rules (a period is whole Riyadh months, [start, end)):
- ANSWERED_IN: answers given in the period (an answer is dated by the month it was given in);
- INVITED_IN: invitations created in the period (when the request closed), answered by the time of the report;
- SUBMITTED_IN: requests submitted in the period;
- CLOSED_IN: requests closed (completed or rejected) in the period;
- OPEN_AT_END: requests submitted before the period's end and not closed by then;
- NOW: the state now, whatever the period.
Survey figures (`anonymous`) are shown only where the slice is published (surveys.reports.anonymity and
Cube.is_published); tests/surveys/test_report_figures_recomputed.py recomputes each one from the raw rows.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SATISFACTION, SERVICE = "satisfaction", "service"
ANSWERED_IN = _("answers given in the period")
INVITED_IN = _("invitations created in the period")
SUBMITTED_IN = _("requests submitted in the period")
CLOSED_IN = _("requests closed in the period")
OPEN_AT_END = _("requests open at the end of the period")
NOW = _("now, whatever the period")


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    section: str
    numerator: tuple[str, ...]  # sums added; a name starting with "-" is subtracted
    denominator: str | None
    period_rule: Promise
    decimals: int
    scale: int = 1
    unit: str = ""
    statistic: str = ""  # "median" or "p90": a statistic of working days instead of a ratio
    minimum_denominator: int = 0  # below it the figure is not shown (too few answers to the question)
    compare: bool = True  # shown against the previous period
    change_decimals: int | None = None
    card: bool = True  # a card on the page and in the PDF; else a line of the aspects table (always in the CSV)

    @property
    def anonymous(self) -> bool:
        return self.section == SATISFACTION

    def value(self, sums: Callable[[str], int | float | None]) -> float | None:
        """The figure from a function giving each named sum (or statistic)."""
        if self.statistic:
            return sums(self.statistic)
        top = 0
        for name in self.numerator:
            top += -(sums(name[1:]) or 0) if name.startswith("-") else (sums(name) or 0)
        if self.denominator is None:
            return top
        bottom = sums(self.denominator) or 0
        if not bottom or bottom < self.minimum_denominator:
            return None
        return self.scale * top / bottom


FIGURES: tuple[Figure, ...] = (
    Figure("answers", _("Answers"), SATISFACTION, ("n",), None, ANSWERED_IN, 0, card=False),
    Figure("average", _("Average rating (1 to 5)"), SATISFACTION, ("overall_sum",), "n", ANSWERED_IN, 2),
    Figure(
        "satisfied_share", _("Satisfied (rated 4 or 5)"), SATISFACTION, ("satisfied",), "n", ANSWERED_IN, 0,
        scale=100, unit="%", change_decimals=1,
    ),
    Figure(
        "recommendation_score", _("Recommendation score (promoters minus detractors)"), SATISFACTION,
        ("promoters", "-detractors"), "recommend_n", ANSWERED_IN, 0, scale=100, minimum_denominator=5,
    ),
    Figure(
        "response_rate", _("Response rate (invitations answered / invitations)"), SATISFACTION,
        ("invitations_answered",), "invitations", INVITED_IN, 0, scale=100, unit="%", compare=False,
    ),
    Figure("received", _("Requests received"), SERVICE, ("received",), None, SUBMITTED_IN, 0),
    Figure("completed", _("Completed"), SERVICE, ("completed",), None, CLOSED_IN, 0),
    Figure("rejected", _("Rejected"), SERVICE, ("rejected",), None, CLOSED_IN, 0),
    Figure("open", _("Open at the end of the period"), SERVICE, ("open",), None, OPEN_AT_END, 0, compare=False),
    Figure(
        "median_days", _("Median working days to complete"), SERVICE, (), None, CLOSED_IN, 1, statistic="median_days",
    ),
    Figure(
        "p90_days", _("90th percentile of working days to complete"), SERVICE, (), None, CLOSED_IN, 1,
        statistic="p90_days", compare=False,
    ),
    Figure(
        "on_time_share", _("Completed within the service-level target"), SERVICE, ("completed_on_time",),
        "completed", CLOSED_IN, 0, scale=100, unit="%", change_decimals=1,
    ),
    Figure("late_now", _("Late now"), SERVICE, ("late_now",), None, NOW, 0, compare=False),
    Figure("complaints", _("Complaints received"), SERVICE, ("complaints",), None, SUBMITTED_IN, 0),
    Figure("complaints_answered", _("Complaints answered"), SERVICE, ("complaints_answered",), None, CLOSED_IN, 0),
    Figure("suggestions", _("Suggestions received"), SERVICE, ("suggestions",), None, SUBMITTED_IN, 0),
    Figure("suggestions_answered", _("Suggestions answered"), SERVICE, ("suggestions_answered",), None, CLOSED_IN, 0),
)  # fmt: skip
ASPECT_LABELS = {
    "speed": _("speed"),
    "clarity": _("clarity"),
    "courtesy": _("courtesy"),
    "ease": _("ease of the procedure"),
}
FIGURES += tuple(
    Figure(
        aspect, label, SATISFACTION, (f"{aspect}_sum",), f"{aspect}_n", ANSWERED_IN, 2,
        minimum_denominator=5, compare=False, card=False,
    )
    for aspect, label in ASPECT_LABELS.items()
)  # fmt: skip
BY_KEY = {figure.key: figure for figure in FIGURES}


def of(section: str, *, cards: bool = False) -> list[Figure]:
    return [figure for figure in FIGURES if figure.section == section and (figure.card or not cards)]
