"""A staff member sees the averages of the requests they handled: closed quarters with at least 5 answers only."""

import datetime
import re

import pytest
from django.urls import reverse

from members.roles import Role
from surveys import selectors
from surveys.models import StaffResultTally
from tests.surveys.factories import UserFactory

pytestmark = pytest.mark.django_db

LAST_QUARTER = datetime.date(2026, 7, 1)
TODAY = datetime.date(2026, 11, 25)


def _tally(staff, *, answers: int, quarter=LAST_QUARTER, overall_sum=None) -> StaffResultTally:
    return StaffResultTally.objects.create(
        staff=staff,
        quarter=quarter,
        answers=answers,
        overall_sum=overall_sum if overall_sum is not None else 4 * answers,
        courtesy_sum=5 * answers,
        courtesy_count=answers,
        speed_sum=3 * 4,
        speed_count=4,
        recommend_sum=8 * answers,
        recommend_count=answers,
    )


def test_four_answers_show_nothing():
    staff = UserFactory(roles=[Role.STAFF])
    _tally(staff, answers=4)

    assert selectors.staff_results(staff, today=TODAY) == []


def test_five_answers_show_the_averages():
    staff = UserFactory(roles=[Role.STAFF])
    _tally(staff, answers=5, overall_sum=17)

    [result] = selectors.staff_results(staff, today=TODAY)

    assert (result.answers, result.overall, result.aspects["courtesy"], result.recommend) == (5, 3.4, 5.0, 8.0)


def test_an_aspect_answered_fewer_than_five_times_shows_no_average():
    staff = UserFactory(roles=[Role.STAFF])
    _tally(staff, answers=6)

    [result] = selectors.staff_results(staff, today=TODAY)

    assert result.aspects["speed"] is None


def test_the_running_quarter_is_not_shown_however_many_answers_it_has():
    staff = UserFactory(roles=[Role.STAFF])
    _tally(staff, answers=40, quarter=datetime.date(2026, 10, 1))

    assert selectors.staff_results(staff, today=TODAY) == []


def test_a_staff_member_sees_only_their_own_results(client):
    staff, colleague = UserFactory(roles=[Role.STAFF]), UserFactory(roles=[Role.STAFF])
    _tally(colleague, answers=9, quarter=datetime.date(2025, 1, 1))
    client.force_login(staff)

    page = client.get(reverse("surveys:my-results"))

    assert page.status_code == 200
    assert "الربع الأول 2025" not in page.content.decode()


def test_the_results_page_shows_an_eligible_quarter(client):
    staff = UserFactory(roles=[Role.STAFF])
    _tally(staff, answers=9, quarter=datetime.date(2025, 1, 1), overall_sum=36)
    client.force_login(staff)

    html = client.get(reverse("surveys:my-results")).content.decode()

    shown = re.sub(r'value="[^"]*"', "", html)  # not inside a form token, which is random text
    assert "الربع الأول 2025" in html and "4.0" in html and "Q1" not in shown


def test_members_cannot_open_the_staff_results(client):
    client.force_login(UserFactory(roles=[Role.MEMBER]))

    assert client.get(reverse("surveys:my-results")).status_code == 403
