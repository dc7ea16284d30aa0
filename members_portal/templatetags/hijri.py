"""`{{ value|hijri }}`: the Umm al-Qura date; `{{ value|dual_date }}`: Hijri beside Gregorian, marked up for RTL."""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    gregorian = date_format(value, "j F Y")
    converted = to_hijri(value)
    if converted is None:
        return gregorian
    return format_html(
        '<span class="dual-date">{} <span class="text-body-secondary">{}</span> {} {}</span>',
        converted.format(),
        _("corresponding to"),
        gregorian,
        pgettext("Gregorian era, after a date", "CE"),
    )
