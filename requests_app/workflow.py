"""The status workflow: row for row the transition table in DESIGN.md. Who may move a request, from where to where."""

import dataclasses
import enum

from django import forms
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from members.roles import Role, has_role
from requests_app import move_forms
from requests_app.access import is_department_staff, is_department_supervisor
from requests_app.models import ServiceRequest

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


@dataclasses.dataclass(frozen=True)
class StaffButton:
    """How the staff page offers a move: the action its form posts to, the form, the button's label and style.
    The form's fields (without `version`, which is the service's `expected_version`) are the service's keyword
    arguments."""

    action: str
    form: type[forms.Form]
    label: str | Promise  # a lazy translation, read in the language of the page
    style: str = "btn-primary"


@dataclasses.dataclass(frozen=True)
class Move:
    """One row of the table: from where to where, who may, the use case that makes it (its dotted path inside
    requests_app: the services import this module, so it is looked up when the move is made) and, for a move staff
    make on the staff page, its button. A row without a button is made on its actor's own page: the member's
    request page, the board's decision page."""

    current: Status
    to: Status
    actor: Actor
    service: str
    button: StaffButton | None = None

    def make(self, **arguments):
        """Call the row's service; it checks the table, the law and the version again."""
        return import_string(f"requests_app.{self.service}")(**arguments)


START_REVIEW = StaffButton("start-review", move_forms.PlainMoveForm, _("Start review"))
RETURN = StaffButton("return", move_forms.ReturnForm, _("Return to the member for completion"), "btn-outline-warning")
START_WORK = StaffButton("start-work", move_forms.PlainMoveForm, _("Start work"))
REFER = StaffButton("refer-to-board", move_forms.ReferForm, _("Refer to the board"))
COMPLETE = StaffButton("complete", move_forms.CompleteForm, _("Complete the request"), "btn-success")
REJECT = StaffButton("reject", move_forms.RejectForm, _("Reject the request"), "btn-outline-danger")
BOARD_DECISION = "staff_services.record_board_decision"

MOVES: tuple[Move, ...] = (
    Move(Status.SUBMITTED, Status.UNDER_REVIEW, Actor.DEPARTMENT_STAFF, "services.start_review", START_REVIEW),
    Move(Status.UNDER_REVIEW, Status.RETURNED_TO_MEMBER, Actor.DEPARTMENT_STAFF, "services.return_to_member", RETURN),
    Move(Status.RETURNED_TO_MEMBER, Status.UNDER_REVIEW, Actor.OWNING_MEMBER, "services.resubmit"),
    Move(Status.UNDER_REVIEW, Status.IN_PROGRESS, Actor.DEPARTMENT_STAFF, "services.start_work", START_WORK),
    Move(Status.IN_PROGRESS, Status.PENDING_BOARD_DECISION, Actor.DEPARTMENT_STAFF, "services.refer_to_board", REFER),
    Move(Status.PENDING_BOARD_DECISION, Status.COMPLETED, Actor.BOARD, BOARD_DECISION),
    Move(Status.PENDING_BOARD_DECISION, Status.REJECTED, Actor.BOARD, BOARD_DECISION),
    Move(Status.UNDER_REVIEW, Status.COMPLETED, Actor.DEPARTMENT_STAFF, "services.complete_request", COMPLETE),
    Move(Status.UNDER_REVIEW, Status.REJECTED, Actor.DEPARTMENT_STAFF, "services.reject_request", REJECT),
    Move(Status.IN_PROGRESS, Status.COMPLETED, Actor.DEPARTMENT_STAFF, "services.complete_request", COMPLETE),
    Move(Status.IN_PROGRESS, Status.REJECTED, Actor.DEPARTMENT_STAFF, "services.reject_request", REJECT),
    Move(Status.SUBMITTED, Status.CANCELLED, Actor.OWNING_MEMBER, "services.cancel_request"),
    Move(Status.UNDER_REVIEW, Status.CANCELLED, Actor.OWNING_MEMBER, "services.cancel_request"),
    Move(Status.RETURNED_TO_MEMBER, Status.CANCELLED, Actor.OWNING_MEMBER, "services.cancel_request"),
)

# The table read as (from, to) → who.
TRANSITIONS: dict[tuple[Status, Status], Actor] = {(move.current, move.to): move.actor for move in MOVES}


def move_between(current: Status, to: Status) -> Move | None:
    return next((move for move in MOVES if move.current == current and move.to == to), None)


def staff_page_moves(action: str) -> list[Move]:
    """The rows whose button posts to this action on the staff page (one per `from`), or none."""
    return [move for move in MOVES if move.button is not None and move.button.action == action]


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
    move = move_between(Status(service_request.status), to)
    return move is not None and law_allows(service_request, to) and move.actor.allows(user, service_request)


def allowed_moves(user, service_request: ServiceRequest) -> list[Move]:
    """The moves this user may make on the request now (for buttons; the services check again)."""
    return [
        move for move in MOVES if move.current == service_request.status and may_move(user, service_request, move.to)
    ]
