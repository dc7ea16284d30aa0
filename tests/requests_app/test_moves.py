"""The request moves: the SLA clock, returns, completion, the board's decision, stale pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from members.models import Notification
from members_portal import enqueue
from requests_app import calendar, services, status_changes
from requests_app.models import Receipt, ServiceRequest
from requests_app.signals import request_completed
from tests.concurrency import at_once, meet_before, needs_postgresql
from tests.requests_app.factories import (
    RequestTypeFactory,
    ServiceRequestFactory,
    department_staff,
)
from tests.surveys.factories import default_questionnaire

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status


# --- The SLA clock ---------------------------------------------------------------------------------------------


def test_the_clock_stops_while_the_request_waits_on_the_member():
    service_request = ServiceRequestFactory(status=Status.UNDER_REVIEW, due_date=datetime.date(2026, 12, 10))
    staff = department_staff(service_request.department)
    services.return_to_member(service_request=service_request, by=staff, missing="صورة الصك")
    # The member answers three working days later.
    paused_at = timezone.now() - datetime.timedelta(days=7)
    ServiceRequest.objects.filter(pk=service_request.pk).update(paused_at=paused_at)
    service_request.refresh_from_db()
    waited = calendar.working_days_between(timezone.localdate(paused_at), timezone.localdate())

    services.resubmit(service_request=service_request, by=service_request.member.user, note="أرفقت الصك")

    service_request.refresh_from_db()
    assert waited >= 4
    assert service_request.paused_working_days == waited
    assert service_request.due_date == calendar.add_working_days(datetime.date(2026, 12, 10), waited)
    assert service_request.paused_at is None
    assert service_request.missing_items == ""


def test_returning_records_what_is_missing():
    service_request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    staff = department_staff(service_request.department)

    services.return_to_member(service_request=service_request, by=staff, missing="صورة الصك\nإيصال التحويل")

    assert service_request.status == Status.RETURNED_TO_MEMBER
    assert service_request.missing_items == "صورة الصك\nإيصال التحويل"
    assert service_request.paused_at is not None
    assert Notification.objects.filter(member=service_request.member, event="request_returned_to_member").exists()


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (services.return_to_member, {"missing": "  "}),
        (services.complete_request, {"outcome": ""}),
        (services.reject_request, {"reason": " "}),
    ],
)
def test_a_move_that_needs_words_refuses_empty_ones(service, kwargs):
    service_request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    staff = department_staff(service_request.department)

    with pytest.raises(ValidationError):
        service(service_request=service_request, by=staff, **kwargs)

    assert service_request.status == Status.UNDER_REVIEW
    assert not service_request.timeline.exists()


def test_resubmitting_needs_a_note_or_a_document():
    service_request = ServiceRequestFactory(status=Status.RETURNED_TO_MEMBER)

    with pytest.raises(ValidationError):
        services.resubmit(service_request=service_request, by=service_request.member.user, note=" ")


def test_completing_sends_request_completed_and_issues_the_completion_receipt(django_capture_on_commit_callbacks):
    service_request = ServiceRequestFactory(status=Status.IN_PROGRESS)
    staff = department_staff(service_request.department)
    received = []

    def receiver(sender, service_request, **kwargs):
        received.append(service_request.pk)

    request_completed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.complete_request(service_request=service_request, by=staff, outcome="سُلّمت الشتلات")
    finally:
        request_completed.disconnect(receiver)

    assert received == [service_request.pk]
    assert service_request.outcome == "سُلّمت الشتلات"
    assert service_request.closed_at is not None
    assert service_request.receipts.get().kind == Receipt.Kind.COMPLETED


def test_a_refused_move_does_not_send_request_completed():
    service_request = ServiceRequestFactory(status=Status.SUBMITTED)
    staff = department_staff(service_request.department)
    received = []
    request_completed.connect(lambda **kwargs: received.append(1), weak=False, dispatch_uid="t")
    try:
        with pytest.raises(services.TransitionNotAllowed):
            services.complete_request(service_request=service_request, by=staff, outcome="تم")
    finally:
        request_completed.disconnect(dispatch_uid="t")

    assert received == []


def test_a_stale_page_cannot_move_the_request():
    service_request = ServiceRequestFactory(status=Status.SUBMITTED)
    staff = department_staff(service_request.department)
    seen_version = service_request.version
    services.start_review(service_request=service_request, by=staff)

    with pytest.raises(services.StaleRequest):
        services.start_work(service_request=service_request, by=staff, expected_version=seen_version)


@pytest.mark.parametrize("written_by", ["member", "colleague"])
def test_a_page_opened_before_a_message_or_reply_cannot_move_the_request(written_by):
    """The member's message (a document the staff member has not seen) or a colleague's reply changes the request:
    a move from the page opened before it is told the request changed."""
    service_request = ServiceRequestFactory(status=Status.IN_PROGRESS)
    staff, colleague = department_staff(service_request.department), department_staff(service_request.department)
    seen_version = service_request.version
    if written_by == "member":
        services.add_member_message(service_request=service_request, by=service_request.member.user, text="أرفقت")
    else:
        services.reply_to_member(service_request=service_request, by=colleague, text="سنزورك")

    with pytest.raises(services.StaleRequest):
        services.reject_request(service_request=service_request, by=staff, reason="ناقص", expected_version=seen_version)


def test_refer_to_board_only_for_services_that_need_it():
    service_request = ServiceRequestFactory(
        status=Status.IN_PROGRESS, request_type=RequestTypeFactory(needs_board_decision=False)
    )
    staff = department_staff(service_request.department)

    with pytest.raises(services.TransitionNotAllowed):
        services.refer_to_board(service_request=service_request, by=staff)

    service_request.refresh_from_db()
    assert service_request.status == Status.IN_PROGRESS


@pytest.mark.parametrize("move", ["complete", "reject"])
def test_a_request_waiting_for_the_board_leaves_only_through_the_boards_decision(move):
    from members.roles import Role
    from tests.requests_app.factories import UserFactory

    service_request = ServiceRequestFactory(status=Status.PENDING_BOARD_DECISION)
    board = UserFactory(roles=[Role.BOARD])

    with pytest.raises(services.TransitionNotAllowed):
        if move == "complete":
            services.complete_request(service_request=service_request, by=board, outcome="وافق المجلس")
        else:
            services.reject_request(service_request=service_request, by=board, reason="لم يوافق المجلس")

    service_request.refresh_from_db()
    assert service_request.status == Status.PENDING_BOARD_DECISION
    assert not service_request.timeline.exists()


@pytest.mark.parametrize(("approved", "expected"), [(True, Status.COMPLETED), (False, Status.REJECTED)])
def test_the_board_decision_completes_or_rejects(approved, expected):
    from members.roles import Role
    from requests_app.desk import staff_services
    from tests.requests_app.factories import UserFactory

    service_request = ServiceRequestFactory(status=Status.PENDING_BOARD_DECISION)
    board = UserFactory(roles=[Role.BOARD])

    decision = staff_services.record_board_decision(
        service_request=service_request, by=board, approved=approved, meeting_reference="3/1448", note="قرار المجلس"
    )

    service_request.refresh_from_db()
    assert service_request.status == expected
    assert "قرار المجلس" in service_request.outcome and "3/1448" in service_request.outcome
    assert (decision.service_request, decision.approved) == (service_request, approved)


def test_a_board_decision_outside_pending_is_refused():
    from members.roles import Role
    from requests_app.desk import staff_services
    from tests.requests_app.factories import UserFactory

    service_request = ServiceRequestFactory(status=Status.IN_PROGRESS)

    with pytest.raises(services.TransitionNotAllowed):
        staff_services.record_board_decision(
            service_request=service_request,
            by=UserFactory(roles=[Role.BOARD]),
            approved=True,
            meeting_reference="3/1448",
            note="قرار",
        )
    assert not hasattr(ServiceRequest.objects.get(pk=service_request.pk), "board_decision")


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_staff_moving_a_request_at_once_one_wins_and_the_other_is_told_it_changed(monkeypatch):
    """One completes and one rejects, from the same page version, at the same moment: both have read the request
    before either writes unless the row lock holds the second back (then it finds the new version: StaleRequest)."""
    monkeypatch.setattr(enqueue, "_send", lambda task, args: None)  # the completion receipt renders in the worker
    default_questionnaire()  # a closed request is offered the survey (the seed is gone after a transactional test)
    service_request = ServiceRequestFactory(status=Status.IN_PROGRESS)
    first, second = department_staff(service_request.department), department_staff(service_request.department)
    seen, copies = service_request.version, ServiceRequest.objects.filter(pk=service_request.pk)
    meet_before(monkeypatch, status_changes, "_check_move", parties=2)

    results = at_once(
        lambda: services.complete_request(service_request=copies[0], by=first, outcome="تم", expected_version=seen),
        lambda: services.reject_request(service_request=copies[0], by=second, reason="ناقص", expected_version=seen),
    )

    stale = [result for result in results if isinstance(result, services.StaleRequest)]
    moved = [result for result in results if not isinstance(result, BaseException)]
    assert (len(moved), len(stale)) == (1, 1), results
    service_request.refresh_from_db()
    assert service_request.status == moved[0].to_status and service_request.version == seen + 1
    assert service_request.timeline.filter(kind="status_changed", from_status=Status.IN_PROGRESS).count() == 1
    moves_told = Notification.objects.filter(
        member=service_request.member, channel="inbox", key__startswith="timeline:"
    )
    assert moves_told.count() == 1
