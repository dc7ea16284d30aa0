"""Anonymity of the board reports: fewer than 5 answers never shown, and never worked out by subtraction."""

import datetime

import pytest

from members.models import Governorate
from surveys.reports import anonymity, dashboard
from surveys.reports.periods import Period
from surveys.reports.satisfaction import Cube, CubeRow, Scope
from tests.surveys.report_factories import answers, service

pytestmark = pytest.mark.django_db

QUARTER = Period.quarter(2025, 2)
APRIL, MAY, JUNE = datetime.date(2025, 4, 1), datetime.date(2025, 5, 1), datetime.date(2025, 6, 1)


def suppress_one_breakdown(counts: dict) -> set:
    """The children of one breakdown to hide: the parent's children are the only breakdown there is."""
    return anonymity.suppress(counts, [list(counts)])


def test_a_breakdown_hides_children_under_five_answers():
    hidden = suppress_one_breakdown({"a": 40, "b": 3, "c": 12, "d": 2})

    assert hidden == {"b", "d"}  # together 5 answers and two cells: neither can be worked out


def test_a_single_hidden_child_takes_the_next_smallest_with_it():
    hidden = suppress_one_breakdown({"a": 40, "b": 3, "c": 12, "d": 9})

    assert hidden == {"b", "d"}


def test_two_hidden_children_under_five_together_take_the_next_smallest_too():
    hidden = suppress_one_breakdown({"a": 40, "b": 2, "c": 2, "d": 9})

    assert hidden == {"b", "c", "d"}


def test_nothing_is_hidden_when_every_child_has_enough_answers():
    assert suppress_one_breakdown({"a": 5, "b": 6}) == set()


def test_a_cell_hidden_in_one_breakdown_is_protected_in_every_other():
    # x is hidden beside y (complementary); in its other breakdown it would be the only hidden child.
    counts = {"x": 20, "y": 3, "z": 50, "p": 30, "q": 40}
    hidden = anonymity.suppress(counts, [["x", "y", "z"], ["x", "p", "q"]])

    assert {"x", "y"} <= hidden
    assert "p" in hidden  # else the second breakdown's total minus q would give x, and x gives y


def _cube(rows):
    return Cube([CubeRow(d, s, g, m, n) for d, s, g, m, n in rows])


def test_a_service_small_in_its_department_is_hidden_with_its_sibling_in_every_view():
    # Department 1: service 10 has 12 answers, service 11 has 2. The department total (14) is shown.
    cube = _cube([(1, 10, "najran", APRIL, 12), (1, 11, "najran", APRIL, 2), (2, 20, "najran", APRIL, 30)])

    department = cube.is_published(("d", 1), "all", Period.month(2025, 4))
    service_10 = cube.is_published(("s", 10), "all", Period.month(2025, 4))
    service_11 = cube.is_published(("s", 11), "all", Period.month(2025, 4))

    assert department
    assert not service_11
    assert not service_10  # else department (14) minus service 10 (12) = service 11 (2)


def test_a_month_small_in_its_quarter_hides_another_month_so_the_quarter_cannot_reveal_it():
    cube = _cube([(1, 10, "najran", APRIL, 20), (1, 10, "najran", MAY, 3), (1, 10, "najran", JUNE, 30)])

    assert cube.is_published(("s", 10), "all", QUARTER)
    assert not cube.is_published(("s", 10), "all", Period.month(2025, 5))
    assert not cube.is_published(("s", 10), "all", Period.month(2025, 4))  # the next smallest month
    assert cube.is_published(("s", 10), "all", Period.month(2025, 6))


def test_a_governorate_small_for_a_service_is_protected_against_the_service_total():
    cube = _cube([(1, 10, Governorate.NAJRAN, APRIL, 40), (1, 10, Governorate.THAR, APRIL, 4)])

    assert cube.is_published(("s", 10), "all", Period.month(2025, 4))
    assert not cube.is_published(("s", 10), Governorate.THAR, Period.month(2025, 4))
    assert not cube.is_published(("s", 10), Governorate.NAJRAN, Period.month(2025, 4))


def test_a_range_of_months_is_shown_only_when_every_month_in_it_is():
    cube = _cube([(1, 10, "najran", APRIL, 20), (1, 10, "najran", MAY, 3), (1, 10, "najran", JUNE, 30)])

    assert not cube.is_published(("s", 10), "all", Period.months_range(APRIL, MAY))
    assert cube.is_published(("s", 10), "all", Period.months_range(JUNE, JUNE))


def test_the_dashboard_hides_a_small_service_and_its_complement_but_shows_the_department():
    certificate = service(name_ar="شهادة")
    seedlings = service(name_ar="شتلات", department=certificate.department)
    answers(12, request_type=certificate, month=APRIL, overall=5)
    answers(3, request_type=seedlings, month=APRIL, overall=1)

    report = dashboard.build(period=Period.month(2025, 4), scope=Scope(department_id=certificate.department_id))

    rows = {row.key: row for row in report.breakdowns["service"]}
    assert report.satisfaction.published
    assert report.satisfaction.answers == 15
    assert not rows[seedlings.pk].satisfaction.published
    assert not rows[certificate.pk].satisfaction.published
    assert rows[certificate.pk].satisfaction.average is None


def test_filtering_on_the_protected_service_does_not_show_it_either():
    certificate = service()
    seedlings = service(department=certificate.department)
    answers(12, request_type=certificate, month=APRIL)
    answers(3, request_type=seedlings, month=APRIL)

    report = dashboard.build(period=Period.month(2025, 4), scope=Scope(request_type_id=certificate.pk))

    assert not report.satisfaction.published
    assert report.satisfaction.average is None
    assert report.comments is None


def test_the_page_says_not_enough_answers_instead_of_the_figures(client, make_user):
    from django.urls import reverse

    from members.roles import Role

    lonely = service()
    answers(4, request_type=lonely, month=APRIL, overall=1, comment="خدمة سيئة")
    client.force_login(make_user("board@example.org", Role.BOARD))

    response = client.get(reverse("surveys:board-dashboard"), {"period": "2025-04"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "إجابات غير كافية" in content
    assert "خدمة سيئة" not in content
