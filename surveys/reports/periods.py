"""The period a report covers: a month, a quarter, a year, or a range of up to 12 months.

Every period is a half-open interval of whole Gregorian months [start, end), read in Riyadh days.
Labels give the Gregorian name and the Umm al-Qura months it spans (Hijri months do not line up
with Gregorian ones, so a Gregorian quarter is "from Rabi al-Awwal to Jumada al-Akhirah 1448").
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from members_portal.hijri import to_hijri

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
RANGE = "range"
KINDS = {
    MONTH: gettext_lazy("Month"),
    QUARTER: gettext_lazy("Quarter"),
    YEAR: gettext_lazy("Year"),
    RANGE: gettext_lazy("Range of months"),
}
MAX_RANGE_MONTHS = 12


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after the month of `day` (negative goes back)."""
    index = day.year * 12 + (day.month - 1) + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of the months in [start, end)."""
    months, current = [], month_start(start)
    while current < end:
        months.append(current)
        current = add_months(current, 1)
    return months


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date  # first day of the first month
    end: datetime.date  # first day after the period (exclusive)

    # --- construction -----------------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        start = datetime.date(year, month, 1)
        return cls(MONTH, start, add_months(start, 1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
        return cls(QUARTER, start, add_months(start, 3))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(YEAR, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))

    @classmethod
    def months_range(cls, first: datetime.date, last: datetime.date) -> "Period":
        """From the month of `first` to the month of `last`, both included."""
        return cls(RANGE, month_start(first), add_months(last, 1))

    @classmethod
    def last_complete_quarter(cls, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        current = cls.quarter(today.year, quarter_of(today))
        return current.previous()

    @classmethod
    def current(cls, kind: str, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        if kind == MONTH:
            return cls.month(today.year, today.month)
        if kind == QUARTER:
            return cls.quarter(today.year, quarter_of(today))
        return cls.year(today.year)

    # --- arithmetic -------------------------------------------------------------------------------

    @property
    def months(self) -> list[datetime.date]:
        return months_between(self.start, self.end)

    @property
    def length(self) -> int:
        return len(self.months)

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    def previous(self) -> "Period":
        """The period of the same kind and length just before this one (for "up or down")."""
        start = add_months(self.start, -self.length)
        return Period(self.kind, start, self.start)

    def trend_months(self, count: int = 12) -> list[datetime.date]:
        """The `count` months ending with the period's last month."""
        return months_between(add_months(self.end, -count), self.end)

    def is_future(self, today: datetime.date | None = None) -> bool:
        """Starts after today: there is nothing to report yet."""
        return self.start > (today or timezone.localdate())

    def is_complete(self, today: datetime.date | None = None) -> bool:
        return self.end <= (today or timezone.localdate())

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, end) as aware datetimes at Riyadh midnight, for timestamp columns."""
        return aware_midnight(self.start), aware_midnight(self.end)

    # --- naming -----------------------------------------------------------------------------------

    @property
    def key(self) -> str:
        """Stable and Latin, for file names and URLs: 2026-07, 2026-Q3, 2026, 2026-01_2026-06."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{quarter_of(self.start)}"
        if self.kind == YEAR:
            return f"{self.start.year}"
        return f"{self.start:%Y-%m}_{add_months(self.end, -1):%Y-%m}"

    def gregorian_label(self) -> str:
        if self.kind == MONTH:
            return date_format(self.start, "F Y")
        if self.kind == QUARTER:
            names = {1: _("First quarter"), 2: _("Second quarter"), 3: _("Third quarter"), 4: _("Fourth quarter")}
            return f"{names[quarter_of(self.start)]} {self.start.year}"
        if self.kind == YEAR:
            return _("Year %(year)s") % {"year": self.start.year}
        last = add_months(self.end, -1)
        return _("%(first)s to %(last)s") % {
            "first": date_format(self.start, "F Y"),
            "last": date_format(last, "F Y"),
        }

    def hijri_label(self) -> str:
        """The Umm al-Qura months the period spans: "Rabi al-Awwal – Jumada al-Akhirah 1448 AH"."""
        first, last = to_hijri(self.start), to_hijri(self.last_day)
        if first is None or last is None:
            return ""
        era = pgettext("Hijri era, after a year", "AH")
        if first.year == last.year and first.month == last.month:
            return f"{first.month_name()} {first.year} {era}"
        if first.year == last.year:
            return f"{first.month_name()} – {last.month_name()} {last.year} {era}"
        return f"{first.month_name()} {first.year} – {last.month_name()} {last.year} {era}"

    def label(self) -> str:
        hijri = self.hijri_label()
        return f"{self.gregorian_label()} ({hijri})" if hijri else self.gregorian_label()

    def __str__(self) -> str:
        return self.label()


def aware_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month_label(month: datetime.date) -> str:
    """Short label for a chart axis: "Jul 2026" in the active language."""
    return date_format(month, "M Y")
