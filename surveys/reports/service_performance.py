"""Service figures from requests, aggregated in the database: counts, times to complete, service level.

Definitions (a period is [start, end) in Riyadh days):
- received: submitted in the period;
- completed / rejected: closed with that status in the period;
- open: submitted before the period's end (or now, for the current period) and not closed by then;
- time to complete: working days from the submission day to the completion day, less the working days
  the request waited on the member; median and 90th percentile over the requests completed in the period
  (PostgreSQL `percentile_cont`; elsewhere, on small data only, the same interpolation in Python);
- within target: completed in the period on or before its due date (which moves with the waiting days);
- late now: open, not waiting on the member, past its due date today (requests_app.sla);
- complaints and suggestions: received in the period, and answered (completed or rejected) in it.
"""

import datetime
import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from requests_app import sla
from requests_app.models import RequestType, ServiceRequest
from surveys.reports import calendar_index
from surveys.reports.models import WorkingDayIndex
from surveys.reports.periods import Period, aware_midnight, month_start
from surveys.reports.satisfaction import Scope

Status = ServiceRequest.Status
Kind = RequestType.Kind
ANSWERED = (Status.COMPLETED, Status.REJECTED)


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def uses_percentile_cont() -> bool:
    return connection.vendor == "postgresql"


def percentile(values: list[int], fraction: float) -> float | None:
    """percentile_cont in Python (linear interpolation between closest ranks), for the SQLite fallback."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _index_of(column: str) -> Subquery:
    return Subquery(
        WorkingDayIndex.objects.filter(date=TruncDate(OuterRef(column))).values("working_index")[:1],
        output_field=IntegerField(),
    )


def working_days_expression():
    """Working days from submission to closure less the days waiting on the member (never below 0)."""
    return _index_of("closed_at") - _index_of("submitted_at") - F("paused_working_days")


def scoped(scope: Scope) -> QuerySet[ServiceRequest]:
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

    @property
    def on_time_share(self) -> float | None:
        return 100 * self.completed_on_time / self.completed if self.completed else None


def _aggregates(period: Period, now: datetime.datetime) -> dict:
    start, end = period.bounds()
    open_until = min(end, now)
    received = Q(submitted_at__gte=start, submitted_at__lt=end)
    closed_in = Q(closed_at__gte=start, closed_at__lt=end)
    completed = closed_in & Q(status=Status.COMPLETED)
    aggregates = {
        "received": Count("pk", filter=received),
        "completed": Count("pk", filter=completed),
        "rejected": Count("pk", filter=closed_in & Q(status=Status.REJECTED)),
        "open": Count(
            "pk",
            filter=Q(submitted_at__lt=open_until) & (Q(closed_at__isnull=True) | Q(closed_at__gte=open_until)),
        ),
        "completed_on_time": Count("pk", filter=completed & Q(closed_day__lte=F("due_date"))),
        "late_now": Count("pk", filter=sla.condition(sla.SlaState.LATE, on=timezone.localdate(now))),
        "complaints": Count("pk", filter=received & Q(request_type__kind=Kind.COMPLAINT)),
        "complaints_answered": Count(
            "pk", filter=closed_in & Q(status__in=ANSWERED, request_type__kind=Kind.COMPLAINT)
        ),
        "suggestions": Count("pk", filter=received & Q(request_type__kind=Kind.SUGGESTION)),
        "suggestions_answered": Count(
            "pk", filter=closed_in & Q(status__in=ANSWERED, request_type__kind=Kind.SUGGESTION)
        ),
    }
    if uses_percentile_cont():
        aggregates["median_days"] = PercentileCont("working_days", 0.5, filter=completed)
        aggregates["p90_days"] = PercentileCont("working_days", 0.9, filter=completed)
    return aggregates


def _relevant(requests: QuerySet, period: Period, now: datetime.datetime) -> QuerySet:
    """Only rows that can count: submitted before the end, and open or closed after the start."""
    start, end = period.bounds()
    counted = Q(submitted_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))
    return requests.filter(counted | sla.condition(sla.SlaState.LATE, on=timezone.localdate(now)))


def _annotated(requests: QuerySet) -> QuerySet:
    requests = requests.annotate(closed_day=TruncDate("closed_at"))
    if uses_percentile_cont():
        requests = requests.annotate(working_days=working_days_expression())
    return requests


def _python_percentiles(requests: QuerySet, period: Period, group: str | None = None) -> dict:
    """SQLite fallback (development, small data): the working days of completed requests, read once."""
    start, end = period.bounds()
    completed = requests.filter(status=Status.COMPLETED, closed_at__gte=start, closed_at__lt=end).annotate(
        working_days=working_days_expression()
    )
    values: dict = {}
    for key, days in completed.values_list(group or "status", "working_days"):
        values.setdefault(key if group else None, []).append(max(days or 0, 0))
    return {key: (percentile(days, 0.5), percentile(days, 0.9)) for key, days in values.items()}


def figures(scope: Scope, period: Period, *, now: datetime.datetime | None = None) -> ServiceFigures:
    """The service figures of one period and scope: one aggregate query."""
    now = now or timezone.now()
    calendar_index.ensure_covers(max(period.last_day, timezone.localdate(now)))
    requests = _relevant(scoped(scope), period, now)
    totals = _annotated(requests).aggregate(**_aggregates(period, now))
    result = ServiceFigures(**totals)
    if not uses_percentile_cont():
        result.median_days, result.p90_days = _python_percentiles(requests, period).get(None, (None, None))
    return result


BREAKDOWN_COLUMNS = {
    "service": "request_type_id",
    "department": "department_id",
    "governorate": "member__governorate",
}


def breakdown(scope: Scope, period: Period, by: str, *, now: datetime.datetime | None = None) -> dict:
    """Service figures per service, department or governorate: one GROUP BY query."""
    now = now or timezone.now()
    column = BREAKDOWN_COLUMNS[by]
    requests = _relevant(scoped(scope), period, now)
    rows = _annotated(requests).values(column).annotate(**_aggregates(period, now)).order_by()
    result = {row.pop(column): ServiceFigures(**row) for row in rows}
    if not uses_percentile_cont():
        for key, (median, p90) in _python_percentiles(requests, period, column).items():
            if key in result:
                result[key].median_days, result[key].p90_days = median, p90
    return result


def monthly(scope: Scope, months: list[datetime.date]) -> dict[datetime.date, dict]:
    """Per month: received, completed, and completed within target. Two GROUP BY queries."""
    if not months:
        return {}
    start, end = aware_midnight(months[0]), aware_midnight(_next_month(months[-1]))
    requests = scoped(scope)
    result = {month: {"received": 0, "completed": 0, "completed_on_time": 0} for month in months}
    received = (
        requests.filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for row in received:
        result[_as_date(row["month"])]["received"] = row["total"]
    completed = (
        requests.filter(status=Status.COMPLETED, closed_at__gte=start, closed_at__lt=end)
        .annotate(month=TruncMonth("closed_at"), closed_day=TruncDate("closed_at"))
        .values("month")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(closed_day__lte=F("due_date"))))
        .order_by()
    )
    for row in completed:
        month = _as_date(row["month"])
        result[month]["completed"] = row["total"]
        result[month]["completed_on_time"] = row["on_time"]
    return result


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return month_start(value)
