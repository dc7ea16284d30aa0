"""Requests waiting for the board: on the board's own clock, not the department's lateness; a board member's
own request is never offered to them for decision."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from members.roles import Role
from members_portal.templatetags.hijri import short_date
from requests_app import services, sla
from requests_app.desk.staff_home import home_summary
from requests_app.models import BoardDecision
from tests.requests_app.factories import MemberFactory, RequestTypeFactory, UserFactory
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import Status, days, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def share_transfer(coffee):
    return RequestTypeFactory(
        department=coffee, code="TQ-MEM03", name_ar="التنازل عن الأسهم", needs_board_decision=True
    )


@pytest.fixture
def board_member():
    return UserFactory(roles=[Role.BOARD], first_name="علي", last_name="آل حارث")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_referring_to_the_board_starts_the_boards_clock(clerk, share_transfer):
    service_request = make_request(share_transfer, status=Status.IN_PROGRESS, due_date=days(-2))

    services.refer_to_board(service_request=service_request, by=clerk)

    service_request.refresh_from_db()
    assert service_request.board_due_date == sla.board_due_date(sla.today())
    assert sla.state_of(service_request) == sla.SlaState.WITH_BOARD


def test_a_request_waiting_for_the_board_is_not_counted_late_for_the_department(clerk, share_transfer, seedlings):
    waiting = make_request(share_transfer, status=Status.PENDING_BOARD_DECISION, due_date=days(-20))
    late = make_request(seedlings, status=Status.IN_PROGRESS, due_date=days(-1))

    [department] = home_summary(clerk)["departments"]
    queue_page = client_for(clerk).get(reverse("requests_app:queue"), {"view": "late"})

    assert (department.late, department.with_board) == (1, 1)
    assert [row["reference_no"] for row in queue_page.context["page_obj"].object_list] == [late.reference_no]
    assert waiting.reference_no not in queue_page.content.decode()


def test_the_board_list_shows_the_boards_own_clock(board_member, share_transfer):
    overdue = make_request(
        share_transfer,
        status=Status.PENDING_BOARD_DECISION,
        due_date=days(-40),
        board_due_date=days(-1),
    )

    body = client_for(board_member).get(reverse("requests_app:board-decisions")).content.decode()

    assert overdue.reference_no in body
    with translation.override("ar"):
        assert short_date(sla.today() - datetime.timedelta(days=1)) in body
    assert "متأخر" in body


def test_a_board_members_own_request_is_not_offered_to_them_and_the_page_says_why(board_member, share_transfer):
    own = make_request(share_transfer, member=MemberFactory(user=board_member), status=Status.PENDING_BOARD_DECISION)
    client = client_for(board_member)
    decide_url = reverse("requests_app:board-decision", args=[own.reference_no])

    listing = client.get(reverse("requests_app:board-decisions")).content.decode()
    page = client.get(decide_url)
    posted = client.post(
        decide_url, {"version": own.version, "decision": "approve", "meeting_reference": "12/1448", "note": "موافقة"}
    )

    assert own.reference_no in listing and decide_url not in listing
    assert "طلبك أنت" in listing
    assert (
        page.status_code == 200
        and "طلبك أنت" in page.content.decode()
        and 'name="meeting_reference"' not in (page.content.decode())
    )
    assert posted.status_code == 403
    own.refresh_from_db()
    assert own.status == Status.PENDING_BOARD_DECISION
    assert not BoardDecision.objects.exists()


def test_another_board_member_decides_it(board_member, share_transfer):
    own = make_request(share_transfer, member=MemberFactory(user=board_member), status=Status.PENDING_BOARD_DECISION)
    colleague_on_the_board = UserFactory(roles=[Role.BOARD])

    client_for(colleague_on_the_board).post(
        reverse("requests_app:board-decision", args=[own.reference_no]),
        {"version": own.version, "decision": "approve", "meeting_reference": "12/1448", "note": "موافقة"},
    )

    own.refresh_from_db()
    assert own.status == Status.COMPLETED
