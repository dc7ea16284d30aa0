"""Working days for the service-level clock: Sunday to Thursday, minus the holidays of the working calendar.

The queue (SLA, overdue) and the member's "expected completion" both count with these two functions.
"""

import datetime

from requests_app.models import Holiday

# Python's weekday(): Monday is 0. The Saudi weekend is Friday (4) and Saturday (5).
WEEKEND = frozenset({4, 5})


def _holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return set(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def is_working_day(day: datetime.date, holidays: set[datetime.date] | None = None) -> bool:
    if holidays is None:
        holidays = _holidays_between(day, day)
    return day.weekday() not in WEEKEND and day not in holidays


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted); `start` when days is 0.

    One query: holidays are read for a window wide enough for any plausible run of days off.
    """
    if days <= 0:
        return start
    horizon = start + datetime.timedelta(days=days * 2 + 60)
    holidays = _holidays_between(start, horizon)
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day > horizon:  # more holidays than the window foresaw: widen it
            horizon = day + datetime.timedelta(days=days * 2 + 60)
            holidays |= _holidays_between(day, horizon)
        if is_working_day(day, holidays):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days after `start` up to and including `end`; 0 when end is not after start."""
    if end <= start:
        return 0
    holidays = _holidays_between(start, end)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count
