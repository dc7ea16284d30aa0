"""The status workflow: row for row the transition table in DESIGN.md. Who may move a request, from where to where."""

import enum

from members.roles import Role, has_role
from requests_app.models import DepartmentMembership, ServiceRequest

Status = ServiceRequest.Status


class Actor(enum.Enum):
    DEPARTMENT_STAFF = "department_staff"
    OWNING_MEMBER = "owning_member"
    BOARD = "board"

    def allows(self, user, service_request: ServiceRequest) -> bool:
        """This member's own request? Staff of its department? The board (or staff recording its decision)?"""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if self is Actor.OWNING_MEMBER:
            return service_request.member.user_id == user.pk
        if service_request.member.user_id == user.pk:
            # Staff or board who are also members never decide their own request (a share transfer, a withdrawal).
            return False
        if self is Actor.DEPARTMENT_STAFF:
            return is_department_staff(user, service_request)
        # The board, or a supervisor of the department recording a decision the board took in its meeting.
        return has_role(user, Role.BOARD) or is_department_supervisor(user, service_request)


def is_department_staff(user, service_request: ServiceRequest) -> bool:
    return (
        has_role(user, Role.STAFF)
        and DepartmentMembership.objects.filter(department_id=service_request.department_id, user=user).exists()
    )


def is_department_supervisor(user, service_request: ServiceRequest) -> bool:
    return DepartmentMembership.objects.filter(
        department_id=service_request.department_id, user=user, is_supervisor=True
    ).exists()


TRANSITIONS: dict[tuple[Status, Status], Actor] = {
    (Status.SUBMITTED, Status.UNDER_REVIEW): Actor.DEPARTMENT_STAFF,
    (Status.UNDER_REVIEW, Status.RETURNED_TO_MEMBER): Actor.DEPARTMENT_STAFF,
    (Status.RETURNED_TO_MEMBER, Status.UNDER_REVIEW): Actor.OWNING_MEMBER,
    (Status.UNDER_REVIEW, Status.IN_PROGRESS): Actor.DEPARTMENT_STAFF,
    (Status.IN_PROGRESS, Status.PENDING_BOARD_DECISION): Actor.DEPARTMENT_STAFF,
    (Status.PENDING_BOARD_DECISION, Status.COMPLETED): Actor.BOARD,
    (Status.PENDING_BOARD_DECISION, Status.REJECTED): Actor.BOARD,
    (Status.UNDER_REVIEW, Status.COMPLETED): Actor.DEPARTMENT_STAFF,
    (Status.UNDER_REVIEW, Status.REJECTED): Actor.DEPARTMENT_STAFF,
    (Status.IN_PROGRESS, Status.COMPLETED): Actor.DEPARTMENT_STAFF,
    (Status.IN_PROGRESS, Status.REJECTED): Actor.DEPARTMENT_STAFF,
    (Status.SUBMITTED, Status.CANCELLED): Actor.OWNING_MEMBER,
    (Status.UNDER_REVIEW, Status.CANCELLED): Actor.OWNING_MEMBER,
    (Status.RETURNED_TO_MEMBER, Status.CANCELLED): Actor.OWNING_MEMBER,
}


def law_allows(service_request: ServiceRequest, to: Status) -> bool:
    """The services reserved to the board (and only those) go to the board, and only the board approves them."""
    reserved_to_board = service_request.request_type.needs_board_decision
    if to == Status.PENDING_BOARD_DECISION:
        return reserved_to_board
    if to == Status.COMPLETED and service_request.status != Status.PENDING_BOARD_DECISION:
        return not reserved_to_board
    return True


def may_move(user, service_request: ServiceRequest, to: Status) -> bool:
    """The table's answer, plus the law's."""
    actor = TRANSITIONS.get((Status(service_request.status), to))
    return actor is not None and law_allows(service_request, to) and actor.allows(user, service_request)


def allowed_moves(user, service_request: ServiceRequest) -> list[Status]:
    """The statuses this user may move the request to now (for buttons; the services check again)."""
    return [
        to for (current, to) in TRANSITIONS if current == service_request.status and may_move(user, service_request, to)
    ]
