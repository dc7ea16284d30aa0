"""The working-day index (WorkingDayIndex): rebuilt from the holidays, read by service_performance."""

import datetime

from django.db import transaction
from django.utils import timezone

from requests_app import calendar
from requests_app.models import Holiday
from surveys.reports.models import WorkingDayIndex

FIRST_DAY = datetime.date(2020, 1, 1)
YEARS_AHEAD = 2


def wanted_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return FIRST_DAY, datetime.date(today.year + YEARS_AHEAD, 12, 31)


@transaction.atomic
def rebuild(*, first: datetime.date | None = None, last: datetime.date | None = None) -> int:
    """Write the index for every day from `first` to `last` (about 4,000 rows, well under a second).

    Idempotent: it replaces the whole table in one transaction, so readers see the old or the new one.
    """
    default_first, default_last = wanted_range()
    first, last = first or default_first, last or default_last
    holidays = set(Holiday.objects.filter(date__gte=first, date__lte=last).values_list("date", flat=True))
    rows, index, day = [], 0, first
    while day <= last:
        if calendar.is_working_day(day, holidays):
            index += 1
        rows.append(WorkingDayIndex(date=day, working_index=index))
        day += datetime.timedelta(days=1)
    WorkingDayIndex.objects.all().delete()
    WorkingDayIndex.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def ensure_covers(last: datetime.date) -> None:
    """Rebuild when the index is empty or ends before `last` (a fresh database, a new year)."""
    if not WorkingDayIndex.objects.filter(date=last).exists():
        _, default_last = wanted_range()
        rebuild(last=max(default_last, last))
