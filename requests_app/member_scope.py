"""What the members app asks of requests through its slots (members.slots): which members a staff member may find
in the members directory and open, which members have a request open (an announcement's recipients), and a member's
requests (the staff member page, the member's data export).

Staff see the members who have a request in one of the departments they work in. The staff of a department that
handles a service reserved to the board (admissions, share transfers, withdrawals) keep the register, so they
see every member.
"""

from django.db.models import Q
from django.urls import reverse

from members.models import Member, User
from members.slots import MemberRequest
from requests_app.access import requests_for_staff, scope_of
from requests_app.models import RequestType, ServiceRequest


def members_of_departments(user: User) -> Q:
    department_ids = scope_of(user).department_ids
    if not department_ids:
        return Q(pk__in=[])
    if RequestType.objects.filter(department_id__in=department_ids, needs_board_decision=True).exists():
        return ~Q(pk__in=[])
    return Q(pk__in=ServiceRequest.objects.filter(department_id__in=department_ids).values("member_id"))


def members_with_open_requests() -> Q:
    return Q(pk__in=ServiceRequest.objects.open().values("member_id"))


def member_requests(member: Member, *, limit: int, visible_to: User | None) -> list[MemberRequest]:
    """Newest first; for a staff reader only those of their departments (the staff request page's scope)."""
    found = requests_for_staff(visible_to) if visible_to is not None else ServiceRequest.objects.all()
    return [
        MemberRequest(
            reference_no=service_request.reference_no,
            service=str(service_request.request_type),
            status=service_request.status,
            status_label=str(service_request.get_status_display()),
            submitted_at=service_request.submitted_at,
            closed_at=service_request.closed_at,
            outcome=service_request.outcome,
            answers=service_request.answers,
            staff_url=reverse("requests_app:staff-request", args=[service_request.reference_no]),
        )
        for service_request in found.filter(member=member).select_related("request_type")[:limit]
    ]
