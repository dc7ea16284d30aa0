"""The workflow table is the staff page's list of moves: each row names its service and, for staff, its form and
button; the page offers what `allowed_moves` returns and a row added to the table is a working button. The board's
decision, recorded, is the only way out of "pending the board's decision", whoever calls the service."""

import inspect

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

from members.roles import Role
from requests_app import move_forms, services, workflow
from requests_app.models import BoardDecision, TimelineEvent
from requests_app.workflow import Actor, Move, StaffButton
from tests.requests_app.factories import UserFactory
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import Status, make_request, staff_in

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_page(service_request) -> str:
    return reverse("requests_app:staff-request", args=[service_request.reference_no])


@pytest.mark.parametrize("move", workflow.MOVES, ids=lambda move: f"{move.current}-{move.to}")
def test_every_row_names_a_service_that_takes_its_forms_fields(move):
    parameters = inspect.signature(import_string(f"requests_app.{move.service}")).parameters

    assert {"service_request", "by"} <= set(parameters)
    if move.button:
        fields = set(move.button.form.base_fields) - {"version"}
        assert fields | {"expected_version"} <= set(parameters)


def test_the_staff_page_offers_the_moves_the_table_allows(clerk, seedlings):
    service_request = make_request(seedlings, status=Status.UNDER_REVIEW)

    body = client_for(clerk).get(staff_page(service_request)).content.decode()

    offered = [move.button.action for move in workflow.allowed_moves(clerk, service_request) if move.button]
    assert offered == ["return", "start-work", "complete", "reject"]
    for action in offered:
        assert reverse("requests_app:staff-request-move", args=[service_request.reference_no, action]) in body
    assert "start-review" not in body


def test_a_row_added_to_the_table_is_a_working_button(monkeypatch, clerk, seedlings):
    back = StaffButton("back-to-review", move_forms.PlainMoveForm, "Back to review")
    row = Move(Status.IN_PROGRESS, Status.UNDER_REVIEW, Actor.DEPARTMENT_STAFF, "services.start_review", back)
    monkeypatch.setattr(workflow, "MOVES", (*workflow.MOVES, row))
    service_request = make_request(seedlings, status=Status.IN_PROGRESS)
    client = client_for(clerk)

    assert "Back to review" in client.get(staff_page(service_request)).content.decode()
    response = client.post(
        reverse("requests_app:staff-request-move", args=[service_request.reference_no, "back-to-review"]),
        {"back-to-review-version": service_request.version},
    )

    service_request.refresh_from_db()
    assert response.status_code == 302
    assert service_request.status == Status.UNDER_REVIEW


def test_an_action_no_row_names_is_not_found(clerk, seedlings):
    service_request = make_request(seedlings, status=Status.UNDER_REVIEW)

    response = client_for(clerk).post(
        reverse("requests_app:staff-request-move", args=[service_request.reference_no, "approve"]),
        {"approve-version": service_request.version},
    )

    assert response.status_code == 404


@pytest.fixture
def share_transfer(coffee):
    from tests.requests_app.factories import RequestTypeFactory

    return RequestTypeFactory(department=coffee, code="TQ-MV1", name_ar="التنازل عن الأسهم", needs_board_decision=True)


@pytest.mark.parametrize("who", ["supervisor", "board"])
def test_a_service_call_cannot_take_a_request_out_of_the_boards_hands(who, coffee, share_transfer):
    service_request = make_request(share_transfer, status=Status.PENDING_BOARD_DECISION)
    user = staff_in(coffee, supervisor=True) if who == "supervisor" else UserFactory(roles=[Role.BOARD])

    with pytest.raises(services.BoardDecisionRequired):
        services.complete_request(service_request=service_request, by=user, outcome="تم")
    with pytest.raises(services.BoardDecisionRequired):
        services.reject_request(service_request=service_request, by=user, reason="لا")

    service_request.refresh_from_db()
    assert service_request.status == Status.PENDING_BOARD_DECISION
    assert not service_request.timeline.exists()


def test_a_decision_that_was_never_recorded_does_not_count(share_transfer):
    service_request = make_request(share_transfer, status=Status.PENDING_BOARD_DECISION)
    board = UserFactory(roles=[Role.BOARD])
    made_up = BoardDecision(service_request=service_request, approved=True, meeting_reference="1/1448", note="نعم")

    with pytest.raises(services.BoardDecisionRequired):
        services.complete_request(service_request=service_request, by=board, outcome="تم", decision=made_up)

    service_request.refresh_from_db()
    assert service_request.status == Status.PENDING_BOARD_DECISION
    assert not service_request.timeline.filter(kind=TimelineEvent.Kind.STATUS_CHANGED).exists()


def test_staff_completing_a_service_reserved_to_the_board_are_told_to_refer_it(clerk, share_transfer):
    service_request = make_request(share_transfer, status=Status.IN_PROGRESS)

    with pytest.raises(services.ReservedToTheBoard):
        services.complete_request(service_request=service_request, by=clerk, outcome="تم")

    service_request.refresh_from_db()
    assert service_request.status == Status.IN_PROGRESS
