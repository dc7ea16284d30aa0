"""Umm al-Qura (the official Saudi civil calendar) dates beside Gregorian ones."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import get_language
from hijridate import Gregorian

_MONTHS_EN = [
    "Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Ula", "Jumada al-Akhirah",
    "Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah", "Dhu al-Hijjah",
]  # fmt: skip
_MONTHS_AR = [
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
]  # fmt: skip


@dataclass(frozen=True)
class HijriDate:
    year: int
    month: int
    day: int

    def month_name(self, language: str | None = None) -> str:
        names = _MONTHS_AR if (language or get_language() or "ar").startswith("ar") else _MONTHS_EN
        return names[self.month - 1]

    def format(self, language: str | None = None) -> str:
        """'15 جمادى الآخرة 1448 هـ' in Arabic, '15 Jumada al-Akhirah 1448 AH' in English."""
        language = language or get_language() or "ar"
        suffix = "هـ" if language.startswith("ar") else "AH"
        return f"{self.day} {self.month_name(language)} {self.year} {suffix}"

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def to_hijri(value: datetime.date | datetime.datetime) -> HijriDate | None:
    """The Umm al-Qura date of a date or an aware datetime (in the portal's time zone); None outside its range."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    try:
        hijri = Gregorian(value.year, value.month, value.day).to_hijri()
    except OverflowError:
        return None
    return HijriDate(hijri.year, hijri.month, hijri.day)
