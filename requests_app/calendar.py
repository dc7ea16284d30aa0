"""Working days for the service-level clock: Sunday to Thursday, minus the holidays of the working calendar.

The queue (SLA, overdue) and the member's "expected completion" both count with these two functions.
"""

import datetime
from collections.abc import Set

from members_portal import reference
from requests_app.models import Holiday
from requests_app.reference_data import HOLIDAYS

# Python's weekday(): Monday is 0. The Saudi weekend is Friday (4) and Saturday (5).
WEEKEND = frozenset({4, 5})


def days_off() -> frozenset[datetime.date]:
    """Every day off of the working calendar (some tens a year), kept as reference data."""
    return reference.read(
        HOLIDAYS, (), lambda: frozenset(Holiday.objects.values_list("date", flat=True)), shape=("date",)
    )


def is_working_day(day: datetime.date, holidays: Set[datetime.date] | None = None) -> bool:
    if holidays is None:
        holidays = days_off()
    return day.weekday() not in WEEKEND and day not in holidays


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted); `start` when days is 0."""
    if days <= 0:
        return start
    off = days_off()
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, off):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days after `start` up to and including `end`; 0 when end is not after start."""
    if end <= start:
        return 0
    holidays = days_off()
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count
