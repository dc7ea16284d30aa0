"""The whole report for one period, scope and viewer: what the page, the PDF and the CSV all show.

Reads two small cubes (survey sums and request counts per month, department, service and governorate,
from the monthly summaries; surveys.reports.summary), the late requests now, the response rate and the
comments, plus the names of services and departments: about a dozen queries, none growing with the data.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from members.models import Governorate
from requests_app.models import Department, RequestType
from surveys.models import ASPECTS
from surveys.reports import anonymity, figures, satisfaction, service_performance, summary
from surveys.reports.periods import Period, month_label, months_between
from surveys.reports.satisfaction import ALL, Cube, Scope, Stats
from surveys.reports.service_performance import ServiceFigures

DIMENSIONS = ("service", "department", "governorate")


def departments_supervised_by(user) -> QuerySet[Department]:
    """The departments a supervisor may drill into: those they supervise (the drill-down's scope)."""
    return Department.objects.filter(memberships__user=user, memberships__is_supervisor=True).order_by("name_ar")


@dataclass
class Change:
    """This period against the previous one."""

    current: float | None
    previous: float | None

    @property
    def difference(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def direction(self) -> str:
        """ "up", "down", "same", or "" when one side is missing."""
        difference = self.difference
        if difference is None:
            return ""
        if abs(difference) < 1e-9:
            return "same"
        return "up" if difference > 0 else "down"


@dataclass
class Satisfaction:
    published: bool
    stats: Stats
    invitations: int = 0
    invitations_answered: int = 0

    def sum(self, name: str) -> int:
        if name in ("invitations", "invitations_answered"):
            return getattr(self, name)
        return getattr(self.stats, name)

    def figure(self, key: str) -> float | None:
        """The survey figure (surveys.reports.figures), or None where the slice is not published."""
        return figures.BY_KEY[key].value(self.sum) if self.published else None

    @property
    def response_rate(self) -> float | None:
        return self.figure("response_rate")

    @property
    def average(self):
        return self.figure("average")

    @property
    def satisfied_share(self):
        return self.figure("satisfied_share")

    @property
    def recommendation_score(self):
        return self.figure("recommendation_score")

    @property
    def answers(self):
        return self.figure("answers")

    def aspects(self) -> list[tuple[str, str, float | None]]:
        return [(aspect, figures.BY_KEY[aspect].label, self.figure(aspect)) for aspect in ASPECTS]


@dataclass
class Headline:
    """One figure of the table as the page, the PDF and the CSV show it."""

    figure: figures.Figure
    current: float | None
    previous: float | None
    hidden: bool  # a survey figure of a slice that is not published: "not enough answers"

    @property
    def change(self) -> "Change | None":
        return Change(self.current, self.previous) if self.figure.compare else None

    @property
    def change_decimals(self) -> int:
        figure = self.figure
        return figure.change_decimals if figure.change_decimals is not None else figure.decimals


@dataclass
class BreakdownRow:
    key: object
    label: str
    satisfaction: Satisfaction
    service: ServiceFigures
    rank: int | None = None


@dataclass
class TrendPoint:
    month: datetime.date
    label: str
    average: float | None
    received: int
    completed: int
    on_time_share: float | None


@dataclass
class Report:
    period: Period
    previous: Period
    scope: Scope
    scope_labels: list[tuple[str, str]]
    issued_at: datetime.datetime
    satisfaction: Satisfaction
    previous_satisfaction: Satisfaction
    service: ServiceFigures
    previous_service: ServiceFigures
    trend: list[TrendPoint]
    breakdowns: dict[str, list[BreakdownRow]]
    comments: list[dict] | None

    @property
    def aspects(self):
        return self.satisfaction.aspects()

    def headline(self, section: str, *, cards: bool = False) -> list[Headline]:
        """The figures of a section (surveys.reports.figures), this period and the previous one."""
        rows = []
        for figure in figures.of(section, cards=cards):
            if figure.anonymous:
                current, previous = self.satisfaction, self.previous_satisfaction
                rows.append(
                    Headline(figure, current.figure(figure.key), previous.figure(figure.key), not current.published)
                )
            else:
                rows.append(
                    Headline(figure, self.service.figure(figure.key), self.previous_service.figure(figure.key), False)
                )
        return rows

    @property
    def satisfaction_cards(self) -> list[Headline]:
        return self.headline(figures.SATISFACTION, cards=True)

    @property
    def service_cards(self) -> list[Headline]:
        return self.headline(figures.SERVICE, cards=True)


def catalogue() -> tuple[dict[str, dict], dict[int, str]]:
    """The names of the services, departments and governorates in the active language, and each service's kind."""
    request_types = list(RequestType.objects.only("name_ar", "name_en", "kind"))
    labels: dict[str, dict] = {
        "service": {request_type.pk: request_type.name for request_type in request_types},
        "department": {department.pk: department.name for department in Department.objects.only("name_ar", "name_en")},
        "governorate": dict(Governorate.choices),
    }
    return labels, {request_type.pk: request_type.kind for request_type in request_types}


def _satisfaction(
    cube: Cube, scope: Scope, period: Period, today: datetime.date, stats: Stats | None = None
) -> Satisfaction:
    org, geo = cube.org_node(scope), scope.governorate or ALL
    if stats is None:
        stats = satisfaction.stats(scope, period.months)
    return Satisfaction(published=cube.is_published(org, geo, period, today=today), stats=stats)


def _row_scope(scope: Scope, dimension: str, key) -> Scope:
    if dimension == "service":
        return Scope(scope.department_id, key, scope.governorate)
    if dimension == "department":
        return Scope(key, scope.request_type_id, scope.governorate)
    return Scope(scope.department_id, scope.request_type_id, key)


def _breakdown(cube, requests, scope, period, dimension, labels, today) -> tuple[list[BreakdownRow], dict]:
    """The rows of one breakdown, and their request figures by key (the late requests are added to those)."""
    service_rows = requests.from_summaries(scope, period, dimension)
    keys = set(service_rows)
    attribute = {"service": "request_type_id", "department": "department_id", "governorate": "governorate"}[dimension]
    answer_stats = satisfaction.grouped_stats(scope, period.months, attribute)
    keys |= set(answer_stats)
    keys.discard(None)
    keys.discard("")
    rows = []
    for key in keys:
        row_scope = _row_scope(scope, dimension, key)
        rows.append(
            BreakdownRow(
                key=key,
                label=str(labels.get(key, key)),
                satisfaction=_satisfaction(cube, row_scope, period, today, answer_stats.get(key, Stats())),
                service=service_rows.get(key, ServiceFigures()),
            )
        )
    # Ranked by average rating; rows with hidden ratings after them, by requests received.
    rows.sort(
        key=lambda row: (
            row.satisfaction.average is None,
            -(row.satisfaction.average or 0),
            -row.service.received,
            row.label,
        )
    )
    rank = 0
    for row in rows:
        if row.satisfaction.average is not None:
            rank += 1
            row.rank = rank
    return rows, service_rows


def _trend(
    cube: Cube,
    requests: service_performance.RequestFigures,
    scope: Scope,
    trend_months: list[datetime.date],
    today: datetime.date,
) -> list[TrendPoint]:
    """Month by month: the average satisfaction where the month's figures may be published, and the requests."""
    monthly = requests.monthly(scope, trend_months)
    org, geo = cube.org_node(scope), scope.governorate or ALL
    trend = []
    monthly_stats = satisfaction.grouped_stats(scope, trend_months, "month")
    for month in trend_months:
        month_period = Period.month(month.year, month.month)
        stats = monthly_stats.get(month, Stats())
        published = cube.is_published(org, geo, month_period, today=today)
        figures = monthly.get(month, {})
        completed = figures.get("completed", 0)
        trend.append(
            TrendPoint(
                month=month,
                label=month_label(month),
                average=stats.average if published else None,
                received=figures.get("received", 0),
                completed=completed,
                on_time_share=100 * figures.get("completed_on_time", 0) / completed if completed else None,
            )
        )
    return trend


def _scope_labels(scope: Scope, labels: dict) -> list[tuple[str, str]]:
    """What the report is narrowed to, in words: the service, the department, the governorate."""
    scope_labels = []
    if scope.request_type_id is not None:
        scope_labels.append((_("Service"), labels["service"].get(scope.request_type_id, "")))
    if scope.department_id is not None:
        scope_labels.append((_("Department"), labels["department"].get(scope.department_id, "")))
    if scope.governorate is not None:
        scope_labels.append((_("Governorate"), str(labels["governorate"].get(scope.governorate, ""))))
    return scope_labels


def build(
    *,
    period: Period,
    scope: Scope,
    now: datetime.datetime | None = None,
) -> Report:
    """Everything the board report shows for this period and scope, anonymity rules applied.

    What comes from the summaries is kept in the cache under their version (summary.version: a refresh of any month
    the report reads starts it afresh) and under everything else it depends on: the period, the scope, the day,
    the language, the names and kinds of the services and the departments. The requests late now and the comments
    are read on every call."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    labels, kinds = catalogue()
    years = satisfaction.years_needed(period)
    first = min(summary.first_month() or period.start, datetime.date(min(years), 1, 1))
    months = months_between(first, datetime.date(max(years) + 1, 1, 1))  # all the cube and the figures read
    stamps = summary.ensure_fresh(months)  # read once: the report's key and the cube's both come from it
    words = (
        summary.digest(stamps), anonymity.MIN_ANSWERS, anonymity.RULE_VERSION, period, scope, today, get_language(),
        sorted(kinds.items()),
        [(dimension, sorted((key, str(label)) for key, label in names.items())) for dimension, names in labels.items()],
    )  # fmt: skip
    key = f"board-report:{hashlib.sha256(repr(words).encode()).hexdigest()}"
    stored = cache.get(key)
    if stored is None:
        stored = _from_summaries(period=period, scope=scope, now=now, labels=labels, stamps=stamps)
        cache.set(key, stored, timeout=24 * 3600)
    report, with_late, comments_allowed = stored
    late = service_performance.late_now(now)
    for by, results in with_late:
        service_performance.add_late(results, late, scope, by)
    report.issued_at = now
    # Comments: for ended periods only (a live list would show each one as it arrives), in a slice with
    # enough answers, and only when there are at least 5 of them (satisfaction.latest_comments).
    if comments_allowed:
        report.comments = satisfaction.latest_comments(scope, period)
    return report


def _from_summaries(*, period: Period, scope: Scope, now: datetime.datetime, labels: dict, stamps: dict) -> tuple:
    """The report from the summaries, without the late requests and the comments; with the request figures the
    late requests are added to, (grouped by, {key: ServiceFigures}), and whether the comments may be shown."""
    previous = period.previous()
    cube = Cube.for_years(satisfaction.years_needed(period), stamps=stamps)
    today = timezone.localdate(now)
    current_sat = _satisfaction(cube, scope, period, today)
    # Response rate: of the invitations created in the period, the share answered (surveys.reports.figures).
    current_sat.invitations, current_sat.invitations_answered = satisfaction.invitations(scope, period)
    previous_sat = _satisfaction(cube, scope, previous, today)
    previous_sat.invitations, previous_sat.invitations_answered = satisfaction.invitations(scope, previous)
    requests = service_performance.cube_for(period, now=now)
    trend = _trend(cube, requests, scope, period.trend_months(), today)
    breakdowns = {}
    with_late: list[tuple[str | None, dict]] = []
    for dimension in DIMENSIONS:
        breakdowns[dimension], service_rows = _breakdown(
            cube, requests, scope, period, dimension, labels[dimension], today
        )
        with_late.append((dimension, service_rows))
    # After the breakdowns: the period's totals come from the working days per cell they read, not another query.
    current_service = requests.from_summaries(scope, period)
    previous_service = requests.from_summaries(scope, previous)
    with_late += [(None, current_service), (None, previous_service)]
    report = Report(
        period=period,
        previous=previous,
        scope=scope,
        scope_labels=_scope_labels(scope, labels),
        issued_at=now,
        satisfaction=current_sat,
        previous_satisfaction=previous_sat,
        service=current_service.get(None) or ServiceFigures(),
        previous_service=previous_service.get(None) or ServiceFigures(),
        trend=trend,
        breakdowns=breakdowns,
        comments=None,
    )
    return report, with_late, period.is_complete(today) and cube.comments_allowed(scope, period, today=today)
