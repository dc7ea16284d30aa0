"""Every move of the transition table, by every kind of person: allowed ones happen, every other one is refused."""

import itertools

import pytest

from members.roles import Role
from requests_app import services
from requests_app.desk import staff_services
from requests_app.models import ServiceRequest, TimelineEvent
from requests_app.workflow import TRANSITIONS, Actor
from tests.requests_app.factories import (
    PDF_BYTES,
    DepartmentFactory,
    MemberFactory,
    RequestTypeFactory,
    ServiceRequestFactory,
    UserFactory,
    department_staff,
)

pytestmark = pytest.mark.django_db

Status = ServiceRequest.Status
ACTORS = [
    "department_staff",
    "department_supervisor",
    "other_department_staff",
    "owning_member",
    "other_member",
    "board",
]
TARGETS = [status for status in Status if status != Status.SUBMITTED]


def _expected(current: Status, to: Status, actor: str, needs_board_decision: bool) -> bool:
    rule = TRANSITIONS.get((current, to))
    if rule is None:
        return False
    if to == Status.PENDING_BOARD_DECISION and not needs_board_decision:
        return False  # only the services the law reserves to the board go to it
    if needs_board_decision and to == Status.COMPLETED and current != Status.PENDING_BOARD_DECISION:
        return False  # and only the board approves them
    return (
        actor
        in {
            Actor.DEPARTMENT_STAFF: {"department_staff", "department_supervisor"},
            Actor.OWNING_MEMBER: {"owning_member"},
            # The board, or a supervisor recording the decision the board took in its meeting.
            Actor.BOARD: {"board", "department_supervisor"},
        }[rule]
    )


def _move(service_request: ServiceRequest, to: Status, user):
    if to == Status.UNDER_REVIEW and service_request.status == Status.RETURNED_TO_MEMBER:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return services.resubmit(
            service_request=service_request,
            by=user,
            note="أرفقت الصك",
            files=[(None, SimpleUploadedFile("deed.pdf", PDF_BYTES))],
        )
    if service_request.status == Status.PENDING_BOARD_DECISION and to in {Status.COMPLETED, Status.REJECTED}:
        # The only way out of "pending the board's decision": the board's decision, with its meeting.
        staff_services.record_board_decision(
            service_request=service_request,
            by=user,
            approved=to == Status.COMPLETED,
            meeting_reference="7/1448",
            note="قرار المجلس",
        )
        return service_request.timeline.filter(kind=TimelineEvent.Kind.STATUS_CHANGED).latest("created_at", "pk")
    calls = {
        Status.UNDER_REVIEW: lambda: services.start_review(service_request=service_request, by=user),
        Status.RETURNED_TO_MEMBER: lambda: services.return_to_member(
            service_request=service_request, by=user, missing="صورة الصك"
        ),
        Status.IN_PROGRESS: lambda: services.start_work(service_request=service_request, by=user),
        Status.PENDING_BOARD_DECISION: lambda: services.refer_to_board(service_request=service_request, by=user),
        Status.COMPLETED: lambda: services.complete_request(service_request=service_request, by=user, outcome="تم"),
        Status.REJECTED: lambda: services.reject_request(service_request=service_request, by=user, reason="لا يستوفي"),
        Status.CANCELLED: lambda: services.cancel_request(service_request=service_request, by=user),
    }
    return calls[to]()


def _actor(kind: str, service_request: ServiceRequest):
    if kind == "department_staff":
        return department_staff(service_request.department)
    if kind == "department_supervisor":
        return department_staff(service_request.department, supervisor=True)
    if kind == "other_department_staff":
        return department_staff(DepartmentFactory())
    if kind == "owning_member":
        return service_request.member.user
    if kind == "other_member":
        return MemberFactory().user
    return UserFactory(roles=[Role.BOARD, Role.MEMBER])


@pytest.mark.parametrize("needs_board_decision", [True, False], ids=["board-service", "ordinary-service"])
@pytest.mark.parametrize(("current", "to", "actor"), list(itertools.product(list(Status), TARGETS, ACTORS)))
def test_every_move_by_every_actor(current, to, actor, needs_board_decision, django_capture_on_commit_callbacks):
    request_type = RequestTypeFactory(needs_board_decision=needs_board_decision)
    service_request = ServiceRequestFactory(status=current, request_type=request_type)
    user = _actor(actor, service_request)
    before = service_request.timeline.count()

    if _expected(current, to, actor, needs_board_decision):
        with django_capture_on_commit_callbacks(execute=False):
            event = _move(service_request, to, user)
        service_request.refresh_from_db()
        assert service_request.status == to
        assert event.kind == TimelineEvent.Kind.STATUS_CHANGED
        assert (event.from_status, event.to_status, event.actor) == (current, to, user)
        assert service_request.member.notifications.filter(key__startswith=f"timeline:{event.pk}:").exists()
    else:
        with pytest.raises(services.TransitionNotAllowed):
            _move(service_request, to, user)
        service_request.refresh_from_db()
        assert service_request.status == current
        assert service_request.timeline.count() == before
        assert not service_request.attachments.exists()


def test_the_table_is_the_one_in_design_md():
    assert len(TRANSITIONS) == 14
    assert TRANSITIONS[(Status.RETURNED_TO_MEMBER, Status.UNDER_REVIEW)] is Actor.OWNING_MEMBER
    assert all(to != Status.SUBMITTED for _current, to in TRANSITIONS)
    assert not any(current in ServiceRequest.CLOSED_STATUSES for current, _to in TRANSITIONS)


def test_an_inactive_account_may_not_move_anything():
    service_request = ServiceRequestFactory(status=Status.SUBMITTED)
    user = department_staff(service_request.department)
    user.is_active = False
    user.save()

    with pytest.raises(services.TransitionNotAllowed):
        services.start_review(service_request=service_request, by=user)


def test_staff_without_the_staff_role_are_not_department_staff():
    service_request = ServiceRequestFactory(status=Status.SUBMITTED)
    user = department_staff(service_request.department)
    user.groups.clear()

    with pytest.raises(services.TransitionNotAllowed):
        services.start_review(service_request=service_request, by=user)
