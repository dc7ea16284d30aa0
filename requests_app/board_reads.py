"""What the board's pages read: the requests waiting for its decision, one of them, the decisions lately.

Board members see every request pending the board; a supervisor those of the departments they lead (to
record a meeting's decision on the board's behalf). A request outside that is not found (404).
"""

from django.db.models import F, Q, QuerySet
from django.http import Http404

from members.models import User
from members.roles import Role, has_role
from requests_app.access import scope_of
from requests_app.models import BoardDecision, ServiceRequest, TimelineEvent

Status = ServiceRequest.Status


def may_record_board_decision(user: User, service_request: ServiceRequest) -> bool:
    """Board members; and a supervisor of the request's department, recording a meeting's decision."""
    return has_role(user, Role.BOARD) or scope_of(user).supervises(service_request.department_id)


def board_requests_for(user: User) -> QuerySet[ServiceRequest]:
    """Requests pending the board's decision that this user may record: all for the board, the supervised
    departments' for a supervisor."""
    pending = ServiceRequest.objects.filter(status=Status.PENDING_BOARD_DECISION)
    if has_role(user, Role.BOARD):
        return pending
    return pending.filter(department_id__in=scope_of(user).supervised_ids)


def board_queue(user: User) -> QuerySet[ServiceRequest]:
    """On the board's own clock: the decision expected soonest first."""
    return (
        board_requests_for(user)
        .select_related("request_type", "member", "department")
        .order_by(F("board_due_date").asc(nulls_last=True), "due_date", "pk")
    )


def is_own_request(user: User, service_request: ServiceRequest) -> bool:
    """A board member's own request (a share transfer, a withdrawal): another member of the board decides it."""
    return service_request.member.user_id == user.pk


def board_request(user: User, reference_no: str) -> ServiceRequest:
    try:
        return (
            board_requests_for(user)
            .select_related("member", "request_type", "department")
            .get(reference_no=reference_no)
        )
    except ServiceRequest.DoesNotExist as missing:
        raise Http404 from missing


def recent_board_decisions(user: User, *, limit: int = 20) -> QuerySet[BoardDecision]:
    decisions = BoardDecision.objects.select_related("service_request", "service_request__request_type", "recorded_by")
    if not has_role(user, Role.BOARD):
        decisions = decisions.filter(service_request__department_id__in=scope_of(user).supervised_ids)
    return decisions.order_by("-created_at", "-pk")[:limit]


def board_timeline(service_request: ServiceRequest) -> QuerySet[TimelineEvent]:
    """What the board reads of a request's history: what the member sees, and the notes staff wrote for the
    board (not the staff's internal notes)."""
    return (
        service_request.timeline.filter(Q(visible_to_member=True) | Q(kind=TimelineEvent.Kind.BOARD_NOTE))
        .exclude(kind=TimelineEvent.Kind.INTERNAL_NOTE)
        .select_related("actor")
        .order_by("created_at", "pk")
    )
