"""`{{ value|hijri }}`: the Umm al-Qura date; `{{ value|dual_date }}`: Hijri beside Gregorian, marked up for RTL."""

import datetime
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from members_portal.hijri import to_hijri

register = template.Library()


@register.filter
def hijri(value: datetime.date | datetime.datetime | None) -> str:
    if not value:
        return ""
    converted = to_hijri(value)
    return converted.format() if converted else ""


@register.filter
def dual_date(value: datetime.date | datetime.datetime | None) -> str:
    """'15 جمادى الآخرة 1448 هـ الموافق 25 نوفمبر 2026 م' — both calendars, as members read dates."""
    if not value:
        return ""
    if isinstance(value, str):  # an ISO 8601 date or time, as the data export carries them
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    day = _local(value).date() if isinstance(value, datetime.datetime) else value
    return _dual_day(day, get_language())


# A page shows the same few days again and again (a member's list shows each request's dates twice, for the table
# and for the phone's cards): each day is written once per process and language, not once per date shown (each
# took some 0.1 ms, most of it Django's date_format and format_html).
DAYS_KEPT = 4096


@lru_cache(maxsize=DAYS_KEPT)
def _dual_day(day: datetime.date, language: str | None) -> str:
    gregorian = date_format(day, "j F Y")
    converted = to_hijri(day)
    if converted is None:
        return gregorian
    return format_html(
        '<span class="dual-date">{} <span class="text-body-secondary">{}</span> {} {}</span>',
        converted.format(),
        _("corresponding to"),
        gregorian,
        pgettext("Gregorian era, after a date", "CE"),
    )


# The one way dates are written on pages (with dual_date above, which members read): staff tables use the short
# forms, always left to right and never broken across lines; a month reads as its name.


@register.filter
def dual_date_text(value: datetime.date | datetime.datetime | str | None) -> str:
    """dual_date as plain text, for messages (SMS, e-mail, inbox): '15 جمادى الآخرة 1448 هـ (25 نوفمبر 2026 م)'."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        value = parsed
    gregorian = f"{date_format(_local(value), 'j F Y')} {pgettext('Gregorian era, after a date', 'CE')}"
    converted = to_hijri(value)
    return gregorian if converted is None else f"{converted.format()} ({gregorian})"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def short_date(value: datetime.date | datetime.datetime | None) -> str:
    """'2026/11/25', for dense staff tables."""
    if not value:
        return ""
    day = _local(value).date() if isinstance(value, datetime.datetime) else value
    return _short(day, "SHORT_DATE_FORMAT", get_language())


@register.filter
def short_datetime(value: datetime.datetime | None) -> str:
    """'2026/11/25 14:05' (Riyadh time)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):  # the form shows minutes: one entry a minute
        value = _local(value).replace(second=0, microsecond=0)
    return _short(value, "SHORT_DATETIME_FORMAT", get_language())


@lru_cache(maxsize=DAYS_KEPT)
def _short(value: datetime.date, form: str, language: str | None) -> str:
    """A day or a minute in the short form, written once per process and language (as _dual_day)."""
    return format_html('<span dir="ltr" class="text-nowrap">{}</span>', date_format(value, form))


@register.filter
def dual_datetime(value: datetime.datetime | None) -> str:
    """Both calendars, then the time: what members read beside a message or an event."""
    if not value:
        return ""
    return format_html(
        '{} <span dir="ltr" class="text-nowrap">{}</span>', dual_date(value), date_format(_local(value), "H:i")
    )


@register.filter
def month_name(value: datetime.date | None) -> str:
    """'November 2026' / «نوفمبر 2026»."""
    if not value:
        return ""
    return date_format(value, "YEAR_MONTH_FORMAT")
