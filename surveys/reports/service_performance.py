"""Service figures from requests: counts, times to complete in working days, the service level.

Definitions (a period is whole months, Riyadh days):
- received: submitted in the period;
- completed / rejected: closed with that status in the period;
- open: submitted before the period's end and not closed by then (for the current period: open now);
- time to complete: working days from the submission day to the completion day, less the working days
  the request waited on the member; median and 90th percentile over the requests completed in the period;
- within target: completed in the period on or before its due date (which moves with the waiting days);
- late now: open, not waiting on the member, past its due date today (requests_app.sla);
- complaints and suggestions: received in the period, and answered (completed or rejected) in it.

The counts are sums over the monthly request summaries (surveys.reports.summary), one GROUP BY in the
database per figure set; the summaries are refreshed by Celery (the current month every few minutes). The
median and 90th percentile come from the histogram of working days per cell: percentile_cont's
interpolation over a histogram is exact, and tests check it against PostgreSQL's percentile_cont over
the rows (`percentiles_from_rows`).
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Aggregate, Count, F, FloatField, Q, Sum
from django.utils import timezone

from requests_app import sla
from requests_app.models import RequestType, ServiceRequest
from surveys.reports import figures, summary
from surveys.reports.models import CompletionDays, RequestSummary
from surveys.reports.periods import Period, months_between
from surveys.reports.satisfaction import Scope

Status = ServiceRequest.Status
Kind = RequestType.Kind


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentiles_from_rows(scope: Scope, period: Period) -> tuple[float | None, float | None]:
    """Median and 90th percentile with percentile_cont over the request rows (PostgreSQL; for checks)."""
    start, end = period.bounds()
    requests = scoped(scope).filter(status=Status.COMPLETED, closed_at__gte=start, closed_at__lt=end)
    totals = summary.with_working_days(requests).aggregate(
        median=PercentileCont("working_days", 0.5), p90=PercentileCont("working_days", 0.9)
    )
    return totals["median"], totals["p90"]


def percentile_from_histogram(histogram: dict[int, int], fraction: float) -> float | None:
    """percentile_cont(fraction) of the values a histogram {value: count} describes: linear interpolation
    between the two closest ranks, as PostgreSQL does. Walks the distinct values, never the rows."""
    total = sum(histogram.values())
    if not total:
        return None
    position = fraction * (total - 1)
    lower_rank, upper_rank = math.floor(position), math.ceil(position)
    lower = upper = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if lower is None and seen > lower_rank:
            lower = value
        if seen > upper_rank:
            upper = value
            break
    return lower + (upper - lower) * (position - lower_rank)


def scoped(scope: Scope):
    requests = ServiceRequest.objects.all()
    if scope.department_id is not None:
        requests = requests.filter(department_id=scope.department_id)
    if scope.request_type_id is not None:
        requests = requests.filter(request_type_id=scope.request_type_id)
    if scope.governorate is not None:
        requests = requests.filter(member__governorate=scope.governorate)
    return requests


@dataclass
class ServiceFigures:
    received: int = 0
    completed: int = 0
    rejected: int = 0
    open: int = 0
    completed_on_time: int = 0
    late_now: int = 0
    complaints: int = 0
    complaints_answered: int = 0
    suggestions: int = 0
    suggestions_answered: int = 0
    median_days: float | None = None
    p90_days: float | None = None

    def figure(self, key: str) -> float | None:
        """A service figure of these counts, as surveys.reports.figures defines it."""
        return figures.BY_KEY[key].value(lambda name: getattr(self, name))

    @property
    def on_time_share(self) -> float | None:
        return self.figure("on_time_share")


ATTRIBUTE = {"service": "request_type_id", "department": "department_id", "governorate": "governorate"}
CELL_POSITION = {"department_id": 0, "request_type_id": 1, "governorate": 2}  # in a row of RequestFigures._histogram


def _summary_scope(rows, scope: Scope):
    if scope.department_id is not None:
        rows = rows.filter(department_id=scope.department_id)
    if scope.request_type_id is not None:
        rows = rows.filter(request_type_id=scope.request_type_id)
    if scope.governorate is not None:
        rows = rows.filter(governorate=scope.governorate)
    return rows


class RequestFigures:
    """Request figures from the monthly summaries, each a GROUP BY in the database over a few thousand
    summary rows; the late requests now from the live table (one GROUP BY over the open ones)."""

    def __init__(self, *, months: list[datetime.date], now: datetime.datetime):
        summary.ensure_fresh(months)
        self.now = now
        self.kinds = dict(RequestType.objects.order_by().values_list("pk", "kind"))
        self.complaint_types = [pk for pk, kind in self.kinds.items() if kind == Kind.COMPLAINT]
        self.suggestion_types = [pk for pk, kind in self.kinds.items() if kind == Kind.SUGGESTION]
        self._late = None
        self._histograms: dict = {}

    def late(self) -> dict[tuple, int]:
        if self._late is None:
            self._late = late_now(self.now)
        return self._late

    def grouped(self, scope: Scope, period: Period, by: str | None = None) -> dict:
        """{key: ServiceFigures}: key None for the totals, else per service, department or governorate."""
        results = self.from_summaries(scope, period, by)
        add_late(results, self.late(), scope, by)
        return results

    def from_summaries(self, scope: Scope, period: Period, by: str | None = None) -> dict:
        """As `grouped`, all but the requests late now: what the summaries alone give."""
        column = ATTRIBUTE[by] if by else None
        in_period = Q(month__gte=period.start)
        kinds = {"complaints": self.complaint_types, "suggestions": self.suggestion_types}
        aggregates = {
            "open": Sum(F("received") - F("closed")),
            "received": Sum("received", filter=in_period),
            "completed": Sum("completed", filter=in_period),
            "rejected": Sum("rejected", filter=in_period),
            "completed_on_time": Sum("completed_on_time", filter=in_period),
        }
        for name, types in kinds.items():
            aggregates[name] = Sum("received", filter=in_period & Q(request_type_id__in=types))
            aggregates[f"{name}_answered"] = Sum(
                F("completed") + F("rejected"), filter=in_period & Q(request_type_id__in=types)
            )
        rows = _summary_scope(RequestSummary.objects.filter(month__lt=period.end), scope)
        # Aliases differ from the summary's column names (Django refuses an alias that shadows a column).
        aggregates = {f"total_{name}": aggregate for name, aggregate in aggregates.items()}
        results: dict = {}
        query = rows.values(column).annotate(**aggregates).order_by() if column else [rows.aggregate(**aggregates)]
        for row in query:
            key = row.pop(column) if column else None
            values = {name.removeprefix("total_"): value or 0 for name, value in row.items()}
            if column and not (values["received"] or values["completed"] or values["rejected"]):
                continue  # nothing in this period (only older requests still open)
            results[key] = ServiceFigures(**values)
        for key, histogram in self._days_histograms(scope, period, column).items():
            if key in results:
                results[key].median_days = percentile_from_histogram(histogram, 0.5)
                results[key].p90_days = percentile_from_histogram(histogram, 0.9)
        return results

    def _days_histograms(self, scope: Scope, period: Period, column: str | None) -> dict:
        """{key: {working days: requests completed}} in the scope and period, per key of `from_summaries`."""
        histograms: dict = defaultdict(lambda: defaultdict(int))
        if column is None and period not in self._histograms:
            # Totals of a period whose cells are not read: the scope's histogram straight from the database.
            rows = _summary_scope(CompletionDays.objects.filter(month__gte=period.start, month__lt=period.end), scope)
            for days, count in rows.values_list("working_days").annotate(total=Sum("requests")).order_by():
                histograms[None][days] += count
            return histograms
        position = CELL_POSITION[column] if column else None
        for cell in self._histogram(period):
            department, service, governorate, days, count = cell
            if (
                (scope.department_id is None or department == scope.department_id)
                and (scope.request_type_id is None or service == scope.request_type_id)
                and (scope.governorate is None or governorate == scope.governorate)
            ):
                histograms[None if position is None else cell[position]][days] += count
        return histograms

    def _histogram(self, period: Period) -> list[tuple[int, int, str, int, int]]:
        """Working days of the requests completed in the period, per (department, service, governorate):
        (department, service, governorate, working days, requests), one GROUP BY over the summaries, a few
        thousand rows, shared by the totals and the breakdowns."""
        if period not in self._histograms:
            self._histograms[period] = list(
                CompletionDays.objects.filter(month__gte=period.start, month__lt=period.end)
                .values_list("department_id", "request_type_id", "governorate", "working_days")
                .annotate(total=Sum("requests"))
                .order_by()
            )
        return self._histograms[period]

    def figures(self, scope: Scope, period: Period) -> ServiceFigures:
        return self.grouped(scope, period).get(None) or ServiceFigures()

    def breakdown(self, scope: Scope, period: Period, by: str) -> dict:
        return self.grouped(scope, period, by)

    def monthly(self, scope: Scope, months: list[datetime.date]) -> dict[datetime.date, dict]:
        result = {month: {"received": 0, "completed": 0, "completed_on_time": 0} for month in months}
        rows = _summary_scope(RequestSummary.objects.filter(month__in=months), scope)
        for row in (
            rows.values("month")
            .annotate(
                total_received=Sum("received"),
                total_completed=Sum("completed"),
                total_on_time=Sum("completed_on_time"),
            )
            .order_by()
        ):
            result[row["month"]].update(
                received=row["total_received"] or 0,
                completed=row["total_completed"] or 0,
                completed_on_time=row["total_on_time"] or 0,
            )
        return result


def late_now(now: datetime.datetime) -> dict[tuple, int]:
    """The requests late now (requests_app.sla), per (department, service, governorate): from the live table."""
    rows = (
        ServiceRequest.objects.filter(sla.condition(sla.SlaState.LATE, on=timezone.localdate(now)))
        .values_list("department_id", "request_type_id", "member__governorate")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return {(department, service, governorate): total for department, service, governorate, total in rows}


def add_late(results: dict, late: dict[tuple, int], scope: Scope, by: str | None = None) -> None:
    """Add the requests late now in the scope to the figures of `grouped`'s keys (totals, or one per row)."""
    column = ATTRIBUTE[by] if by else None
    for (department, service, governorate), total in late.items():
        cell = {"department_id": department, "request_type_id": service, "governorate": governorate or ""}
        if (
            (scope.department_id is None or department == scope.department_id)
            and (scope.request_type_id is None or service == scope.request_type_id)
            and (scope.governorate is None or governorate == scope.governorate)
        ):
            key = cell[column] if column else None
            if key in results:
                results[key].late_now += total


def cube_for(period: Period, *, now: datetime.datetime | None = None) -> RequestFigures:
    """The request figures a report of this period needs (the period, the previous one, 12 months of trend)."""
    now = now or timezone.now()
    first = summary.first_month() or period.start
    return RequestFigures(months=months_between(min(first, period.previous().start), period.end), now=now)
