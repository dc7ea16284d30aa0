"""Against dates of the officially published Umm al-Qura calendar and the announced Saudi holidays."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from members_portal.hijri import HijriDate, to_hijri

OFFICIAL_DATES = [
    (datetime.date(2023, 7, 19), HijriDate(1445, 1, 1)),  # Islamic new year 1445
    (datetime.date(2024, 3, 11), HijriDate(1445, 9, 1)),  # 1 Ramadan 1445
    (datetime.date(2024, 4, 10), HijriDate(1445, 10, 1)),  # Eid al-Fitr 1445
    (datetime.date(2024, 6, 16), HijriDate(1445, 12, 10)),  # Eid al-Adha 1445
    (datetime.date(2024, 7, 7), HijriDate(1446, 1, 1)),  # Islamic new year 1446
    (datetime.date(2025, 3, 1), HijriDate(1446, 9, 1)),  # 1 Ramadan 1446
    (datetime.date(2025, 3, 30), HijriDate(1446, 10, 1)),  # Eid al-Fitr 1446
    (datetime.date(2026, 2, 18), HijriDate(1447, 9, 1)),  # 1 Ramadan 1447
]


@pytest.mark.parametrize(("gregorian", "expected"), OFFICIAL_DATES)
def test_dates_match_the_published_umm_al_qura_calendar(gregorian, expected):
    assert to_hijri(gregorian) == expected


def test_an_aware_datetime_is_read_in_riyadh_time():
    # 22:30 UTC on 10 March 2024 is already 11 March (1 Ramadan) in Riyadh.
    moment = datetime.datetime(2024, 3, 10, 22, 30, tzinfo=datetime.UTC)

    assert to_hijri(moment) == HijriDate(1445, 9, 1)


def test_a_date_outside_the_calendar_gives_none():
    assert to_hijri(datetime.date(1900, 1, 1)) is None


def test_the_filters_show_hijri_beside_gregorian_in_arabic():
    template = Template("{% load hijri %}{{ day|hijri }}|{{ day|dual_date }}")

    with translation.override("ar"):
        html = template.render(Context({"day": datetime.date(2026, 11, 25)}))

    assert html.startswith("15 جمادى الآخرة 1448 هـ|")
    assert "نوفمبر 2026" in html


def test_the_filters_speak_english_in_english():
    with translation.override("en"):
        text = Template("{% load hijri %}{{ day|hijri }}").render(Context({"day": datetime.date(2024, 3, 11)}))

    assert text == "1 Ramadan 1445 AH"


def test_a_day_written_once_is_written_again_in_each_language_and_at_riyadh_midnight():
    """The filters keep each day's text (a page repeats the same days): the language and Riyadh's day still count."""
    template = Template("{% load hijri %}{{ moment|dual_date }}|{{ moment|short_date }}|{{ moment|short_datetime }}")
    before_midnight = datetime.datetime(2024, 3, 10, 20, 59, 30, tzinfo=datetime.UTC)  # 23:59 in Riyadh
    after_midnight = datetime.datetime(2024, 3, 10, 21, 0, 30, tzinfo=datetime.UTC)  # 00:00 on 11 March

    rendered = []
    for language, moment in [("ar", before_midnight), ("en", before_midnight), ("ar", after_midnight)] * 2:
        with translation.override(language):
            rendered.append(template.render(Context({"moment": moment})))

    assert rendered[:3] == rendered[3:]
    arabic, english, next_day = rendered[:3]
    assert "29 شعبان 1445 هـ" in arabic and "10 مارس 2024" in arabic and "2024/03/10 23:59" in arabic
    assert "29 Shaban 1445 AH" in english and "10 March 2024 CE" in english
    assert "1 رمضان 1445 هـ" in next_day and "11 مارس 2024" in next_day
    assert "2024/03/11</span>" in next_day and "2024/03/11 00:00" in next_day
