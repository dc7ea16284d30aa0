import datetime

import pytest

from requests_app import calendar
from requests_app.models import Holiday

pytestmark = pytest.mark.django_db

SUNDAY = datetime.date(2026, 11, 1)
THURSDAY = datetime.date(2026, 11, 5)


def test_friday_and_saturday_are_not_working_days():
    assert calendar.is_working_day(THURSDAY, set())
    assert not calendar.is_working_day(THURSDAY + datetime.timedelta(days=1), set())
    assert not calendar.is_working_day(THURSDAY + datetime.timedelta(days=2), set())


def test_adding_working_days_skips_the_weekend():
    assert calendar.add_working_days(THURSDAY, 1) == datetime.date(2026, 11, 8)  # the next Sunday
    assert calendar.add_working_days(SUNDAY, 5) == datetime.date(2026, 11, 8)


def test_adding_working_days_skips_holidays():
    Holiday.objects.create(date=datetime.date(2026, 11, 2), name_ar="عطلة")

    assert calendar.add_working_days(SUNDAY, 1) == datetime.date(2026, 11, 3)


def test_zero_working_days_is_the_same_day():
    assert calendar.add_working_days(THURSDAY, 0) == THURSDAY


def test_working_days_between_counts_after_start_up_to_end():
    assert calendar.working_days_between(SUNDAY, SUNDAY) == 0
    assert calendar.working_days_between(THURSDAY, datetime.date(2026, 11, 8)) == 1
    assert calendar.working_days_between(SUNDAY, datetime.date(2026, 11, 8)) == 5


def test_working_days_between_and_adding_agree():
    Holiday.objects.create(date=datetime.date(2026, 11, 10), name_ar="عطلة")
    for days in range(0, 15):
        end = calendar.add_working_days(SUNDAY, days)
        assert calendar.working_days_between(SUNDAY, end) == days


def test_the_seeded_calendar_has_eid_and_national_day():
    assert Holiday.objects.filter(date=datetime.date(2026, 9, 23)).exists()
    assert Holiday.objects.filter(date=datetime.date(2026, 3, 20)).exists()
