"""Monthly summaries of answers and requests: what the board reports read instead of every row.

Every figure of a report is a sum over (month, department, service, governorate) cells, so the reports
read per-month sums: from the summary tables for months that are over and summarised (Celery refreshes
them each night, and a month is final once it is over: answers are dated by the month they were given,
a request by its submission month and, once closed, by its closing month, and a closed request never
reopens), and straight from the live tables, with the same GROUP BY, for the other months (the current
one). A year of 1,000,000 answers and 200,000 requests is then a few thousand rows to read.

`refresh(months)` rewrites the summaries of some months (idempotent; the nightly task does the last two
and any month never summarised).
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from members_portal import locks
from requests_app.models import ServiceRequest
from surveys.models import ASPECTS, Invitation, Response
from surveys.reports import calendar_index
from surveys.reports.models import CompletionDays, RequestSummary, SatisfactionSummary, SummarisedMonth, WorkingDayIndex
from surveys.reports.periods import add_months, aware_midnight, month_start

Status = ServiceRequest.Status
SATISFACTION_FIELDS = (
    "n",
    "overall_sum",
    "satisfied",
    "recommend_n",
    "promoters",
    "detractors",
    *(f"{aspect}_{part}" for aspect in ASPECTS for part in ("sum", "n")),
)
REQUEST_FIELDS = ("received", "completed", "rejected", "closed", "completed_on_time", "invited", "invited_answered")


@dataclass(frozen=True)
class Cell:
    month: datetime.date
    department_id: int | None
    request_type_id: int | None
    governorate: str


def _ranges(months: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Contiguous [start, end) ranges covering these months."""
    ranges: list[list[datetime.date]] = []
    for month in sorted(set(months)):
        if ranges and ranges[-1][1] == month:
            ranges[-1][1] = add_months(month, 1)
        else:
            ranges.append([month, add_months(month, 1)])
    return [(start, end) for start, end in ranges]


def _as_month(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return month_start(value)


def summarised(months: list[datetime.date]) -> set[datetime.date]:
    return set(SummarisedMonth.objects.filter(month__in=months).values_list("month", flat=True))


# --- Live aggregation (also what refresh writes) ------------------------------------------------------


def live_satisfaction(months: list[datetime.date]) -> dict[Cell, list[int]]:
    result: dict[Cell, list[int]] = {}
    aggregates = {
        "n": Count("id"),
        "overall_sum": Sum("overall"),
        "satisfied": Count("id", filter=Q(overall__gte=4)),
        "recommend_n": Count("recommend"),
        "promoters": Count("id", filter=Q(recommend__gte=9)),
        "detractors": Count("id", filter=Q(recommend__lte=6)),
    }
    for aspect in ASPECTS:
        aggregates[f"{aspect}_sum"] = Sum(aspect)
        aggregates[f"{aspect}_n"] = Count(aspect)
    for start, end in _ranges(months):
        rows = (
            Response.objects.for_service()
            .filter(month__gte=start, month__lt=end)
            .values("month", "department_id", "request_type_id", "governorate")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            cell = Cell(row["month"], row["department_id"], row["request_type_id"], row["governorate"] or "")
            result[cell] = [row[name] or 0 for name in SATISFACTION_FIELDS]
    return result


def live_requests(months: list[datetime.date]) -> dict[Cell, list[int]]:
    result: dict[Cell, list[int]] = defaultdict(lambda: [0] * len(REQUEST_FIELDS))
    for start, end in _ranges(months):
        low, high = aware_midnight(start), aware_midnight(end)
        received = (
            ServiceRequest.objects.filter(submitted_at__gte=low, submitted_at__lt=high)
            .annotate(month=TruncMonth("submitted_at"))
            .values("month", "department_id", "request_type_id", "member__governorate")
            .annotate(total=Count("pk"))
            .order_by()
        )
        for row in received:
            cell = Cell(
                _as_month(row["month"]), row["department_id"], row["request_type_id"], row["member__governorate"]
            )
            result[cell][0] += row["total"]
        closed = (
            ServiceRequest.objects.filter(closed_at__gte=low, closed_at__lt=high)
            .annotate(month=TruncMonth("closed_at"), closed_day=TruncDate("closed_at"))
            .values("month", "department_id", "request_type_id", "member__governorate")
            .annotate(
                completed=Count("pk", filter=Q(status=Status.COMPLETED)),
                rejected=Count("pk", filter=Q(status=Status.REJECTED)),
                closed=Count("pk", filter=Q(status__in=ServiceRequest.CLOSED_STATUSES)),
                on_time=Count("pk", filter=Q(status=Status.COMPLETED, closed_day__lte=F("due_date"))),
            )
            .order_by()
        )
        for row in closed:
            cell = Cell(
                _as_month(row["month"]), row["department_id"], row["request_type_id"], row["member__governorate"]
            )
            values = result[cell]
            values[1] += row["completed"]
            values[2] += row["rejected"]
            values[3] += row["closed"]
            values[4] += row["on_time"]
        invited = (
            Invitation.objects.filter(created_at__gte=low, created_at__lt=high)
            .annotate(month=TruncMonth("created_at"))
            .values(
                "month", "service_request__department_id", "service_request__request_type_id", "member__governorate"
            )
            .annotate(total=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
            .order_by()
        )
        for row in invited:
            cell = Cell(
                _as_month(row["month"]),
                row["service_request__department_id"],
                row["service_request__request_type_id"],
                row["member__governorate"],
            )
            result[cell][5] += row["total"]
            result[cell][6] += row["answered"]
    return dict(result)


def with_working_days(requests):
    """Annotate `working_days`: from the submission day to the closing day (Riyadh days), less the working
    days the request waited on the member, from the working-day index (two key lookups a row)."""
    from django.db.models import IntegerField, OuterRef, Subquery

    def index_of(day: str) -> Subquery:
        return Subquery(
            WorkingDayIndex.objects.filter(date=OuterRef(day)).values("working_index")[:1], output_field=IntegerField()
        )

    return requests.annotate(submitted_day=TruncDate("submitted_at"), closed_day=TruncDate("closed_at")).annotate(
        working_days=index_of("closed_day") - index_of("submitted_day") - F("paused_working_days")
    )


def live_days(months: list[datetime.date]) -> dict[tuple[Cell, int], int]:
    result: dict[tuple[Cell, int], int] = defaultdict(int)
    if months:
        calendar_index.ensure_covers(max(timezone.localdate(), add_months(max(months), 1)))
    for start, end in _ranges(months):
        completed = ServiceRequest.objects.filter(
            status=Status.COMPLETED, closed_at__gte=aware_midnight(start), closed_at__lt=aware_midnight(end)
        )
        rows = (
            with_working_days(completed)
            .annotate(month=TruncMonth("closed_at"))
            .values("month", "department_id", "request_type_id", "member__governorate", "working_days")
            .annotate(total=Count("pk"))
            .order_by()
        )
        for row in rows:
            cell = Cell(
                _as_month(row["month"]), row["department_id"], row["request_type_id"], row["member__governorate"]
            )
            result[(cell, max(row["working_days"] or 0, 0))] += row["total"]
    return dict(result)


# --- Reading: summaries where there are, live elsewhere ------------------------------------------------


def _cell(row) -> Cell:
    return Cell(row.month, row.department_id, row.request_type_id, row.governorate)


def satisfaction_rows(months: list[datetime.date]) -> dict[Cell, list[int]]:
    done = summarised(months)
    result = live_satisfaction([month for month in months if month not in done])
    for row in SatisfactionSummary.objects.filter(month__in=done):
        result[_cell(row)] = [getattr(row, name) for name in SATISFACTION_FIELDS]
    return result


def request_rows(months: list[datetime.date]) -> dict[Cell, list[int]]:
    done = summarised(months)
    result = live_requests([month for month in months if month not in done])
    for row in SummaryRows.requests(done):
        result[row[0]] = row[1]
    return result


def days_rows(months: list[datetime.date]) -> dict[tuple[Cell, int], int]:
    done = summarised(months)
    result = live_days([month for month in months if month not in done])
    for row in CompletionDays.objects.filter(month__in=done).values_list(
        "month", "department_id", "request_type_id", "governorate", "working_days", "requests"
    ):
        key = (Cell(row[0], row[1], row[2], row[3]), row[4])
        result[key] = result.get(key, 0) + row[5]
    return result


class SummaryRows:
    @staticmethod
    def requests(months):
        fields = ("month", "department_id", "request_type_id", "governorate", *REQUEST_FIELDS)
        for row in RequestSummary.objects.filter(month__in=months).values_list(*fields):
            yield Cell(row[0], row[1], row[2], row[3]), list(row[4:])


def first_month() -> datetime.date | None:
    first = ServiceRequest.objects.aggregate(first=Min("submitted_at"))["first"]
    return _as_month(first) if first else None


# --- Refreshing ----------------------------------------------------------------------------------------


@transaction.atomic
def refresh(months: list[datetime.date]) -> int:
    """Rewrite the summaries of these months. Idempotent. The current month is summarised too (the beat
    does it every few minutes); it is final only once it is over, and the nightly run rewrites it then.

    Refreshes never overlap: each waits for the one running (two beats, or the beat and a board page summarising
    a month on the spot), then deletes and rewrites from what is committed, so no cell is ever written twice
    (a unique constraint per cell backs this)."""
    locks.hold("surveys.reports.summary.refresh")
    today = timezone.localdate()
    current = month_start(today)
    months = sorted({month_start(month) for month in months if month_start(month) <= current})
    if not months:
        return 0
    # The running month's survey sums are rewritten once a day only (every other month whenever asked).
    rewritten_today = set(
        SummarisedMonth.objects.filter(month=current, satisfaction_on=today).values_list("month", flat=True)
    )
    survey_months = [month for month in months if month not in rewritten_today]
    SatisfactionSummary.objects.filter(month__in=survey_months).delete()
    RequestSummary.objects.filter(month__in=months).delete()
    CompletionDays.objects.filter(month__in=months).delete()
    _write_cells(survey_months=survey_months, months=months)
    now = timezone.now()
    for month in months:
        defaults = {"refreshed_at": now}
        if month in survey_months:
            defaults["satisfaction_on"] = today
        SummarisedMonth.objects.update_or_create(month=month, defaults=defaults)
    return len(months)


def _write_cells(*, survey_months: list[datetime.date], months: list[datetime.date]) -> None:
    """The summaries' cells, recomputed from the live rows: survey sums, request counts, completion days."""
    SatisfactionSummary.objects.bulk_create(
        [
            SatisfactionSummary(
                month=cell.month,
                department_id=cell.department_id,
                request_type_id=cell.request_type_id,
                governorate=cell.governorate,
                **dict(zip(SATISFACTION_FIELDS, values, strict=True)),
            )
            for cell, values in live_satisfaction(survey_months).items()
        ],
        batch_size=2000,
    )
    RequestSummary.objects.bulk_create(
        [
            RequestSummary(
                month=cell.month,
                department_id=cell.department_id,
                request_type_id=cell.request_type_id,
                governorate=cell.governorate or "",
                **dict(zip(REQUEST_FIELDS, values, strict=True)),
            )
            for cell, values in live_requests(months).items()
        ],
        batch_size=2000,
    )
    CompletionDays.objects.bulk_create(
        [
            CompletionDays(
                month=cell.month,
                department_id=cell.department_id,
                request_type_id=cell.request_type_id,
                governorate=cell.governorate or "",
                working_days=days,
                requests=count,
            )
            for (cell, days), count in live_days(months).items()
        ],
        batch_size=2000,
    )


def ensure_fresh(months: list[datetime.date], *, max_age_s: int = 300) -> dict[datetime.date, datetime.datetime]:
    """Summarise months the reports need that were never summarised, and the current month when its
    summary is older than `max_age_s` (the beat refreshes it every few minutes, so a view rarely waits).
    Returns the refresh times of these months (none for a month still to come)."""
    current = month_start(timezone.localdate())
    wanted = {month_start(month) for month in months if month_start(month) <= current}
    stamps = dict(SummarisedMonth.objects.filter(month__in=wanted).values_list("month", "refreshed_at"))
    stale_before = timezone.now() - datetime.timedelta(seconds=max_age_s)
    missing = sorted(
        month for month in wanted if month not in stamps or (month == current and stamps[month] < stale_before)
    )
    for start in range(0, len(missing), 6):
        refresh(missing[start : start + 6])
    if missing:
        stamps = dict(SummarisedMonth.objects.filter(month__in=wanted).values_list("month", "refreshed_at"))
    return stamps


def version(months: list[datetime.date]) -> str:
    """The summaries of these months as they are now, in one word (brought up to date first): a digest of their
    refresh times. `refresh` is the only writer of the summaries and stamps every month it rewrites, so whatever is
    worked out from these months' summaries alone may be kept under this word (cache keys of the board report)."""
    return digest(ensure_fresh(months))


def digest(stamps: dict[datetime.date, datetime.datetime]) -> str:
    """`version`'s word from refresh times already read (ensure_fresh's answer, or a part of it): a page that needs
    the version of several sets of months reads the refresh times once."""
    return hashlib.sha256(repr(sorted(stamps.items())).encode()).hexdigest()


def refresh_due() -> int:
    """The periodic run: this month, the two before it (their invitations are still being answered: a link
    lasts 30 days, renewed from the request page) and any month never summarised."""
    current = month_start(timezone.localdate())
    first = first_month() or current
    months, month = [], first
    stamps = dict(SummarisedMonth.objects.values_list("month", "refreshed_at"))
    while month <= current:
        # The last three months always (answers to their invitations still come in); others once.
        if month >= add_months(current, -2) or month not in stamps:
            months.append(month)
        month = add_months(month, 1)
    for start in range(0, len(months), 6):
        refresh(months[start : start + 6])
    return len(months)
