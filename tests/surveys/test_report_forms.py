"""The report's periods and its filter form: both calendars, and clear refusals of bad input."""

import datetime

import pytest
from django.utils import translation

from members.models import Governorate
from surveys.reports.forms import ReportForm, parse_period
from surveys.reports.periods import Period
from tests.surveys.report_factories import service

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)


def test_a_quarter_covers_three_months_and_its_previous_period_is_the_quarter_before():
    quarter = Period.quarter(2026, 1)

    assert quarter.months == [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)]
    assert quarter.previous() == Period("quarter", datetime.date(2025, 10, 1), datetime.date(2026, 1, 1))


def test_the_trend_is_the_twelve_months_ending_with_the_period():
    months = Period.year(2025).trend_months()

    assert months[0] == datetime.date(2025, 1, 1)
    assert months[-1] == datetime.date(2025, 12, 1)
    assert len(months) == 12


def test_a_period_is_labelled_in_both_calendars():
    with translation.override("ar"):
        label = Period.quarter(2026, 3).label()

    assert "2026" in label
    assert "1448" in label  # the Hijri year of July-September 2026
    assert "محرم" in label


def test_last_complete_quarter_on_the_first_of_january_is_the_fourth_quarter():
    assert Period.last_complete_quarter(datetime.date(2026, 1, 1)) == Period.quarter(2025, 4)


def test_period_keys_are_parsed_and_anything_else_is_refused():
    assert parse_period("2026-07") == Period.month(2026, 7)
    assert parse_period("2026-Q3") == Period.quarter(2026, 3)
    assert parse_period("2026") == Period.year(2026)
    assert parse_period("2026-13") is None
    assert parse_period("2026-Q5") is None
    assert parse_period("'; DROP TABLE x") is None


def _errors(data: dict) -> list[str]:
    with translation.override("ar"):
        form = ReportForm(data, today=TODAY)
        assert not form.is_valid()
        return [str(message) for messages in form.errors.values() for message in messages]


def test_a_period_in_the_future_is_refused_with_a_clear_message():
    errors = _errors({"period": "2027-Q1"})

    assert any("لم تبدأ" in error for error in errors), errors


def test_a_reversed_range_is_refused():
    errors = _errors({"first_month": "2026-06", "last_month": "2026-02"})

    assert any("بعد" in error for error in errors), errors


def test_a_range_longer_than_twelve_months_is_refused():
    errors = _errors({"first_month": "2024-01", "last_month": "2026-02"})

    assert any("12" in error for error in errors), errors


@pytest.mark.parametrize("field", ["service", "department", "governorate"])
def test_an_unknown_filter_value_is_refused(field):
    errors = _errors({"period": "2026-Q1", field: "999999" if field != "governorate" else "riyadh"})

    assert any("القائمة" in error for error in errors), errors


def test_a_service_of_another_department_is_refused():
    certificate = service()
    other = service()

    errors = _errors({"period": "2026-Q1", "service": certificate.pk, "department": other.department_id})

    assert any("إدارة أخرى" in error for error in errors), errors


def test_a_valid_form_gives_the_period_and_the_scope():
    seedlings = service()
    form = ReportForm({"period": "2026-Q2", "service": seedlings.pk, "governorate": Governorate.THAR}, today=TODAY)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["report_period"] == Period.quarter(2026, 2)
    assert form.cleaned_data["scope"].request_type_id == seedlings.pk
    assert form.cleaned_data["scope"].governorate == Governorate.THAR


def test_a_supervisor_form_offers_only_their_departments_and_defaults_to_the_first():
    mine = service()
    theirs = service()
    form = ReportForm({"period": "2026-Q2"}, departments=[mine.department], today=TODAY)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["scope"].department_id == mine.department_id
    refused = ReportForm(
        {"period": "2026-Q2", "department": theirs.department_id}, departments=[mine.department], today=TODAY
    )
    assert not refused.is_valid()
