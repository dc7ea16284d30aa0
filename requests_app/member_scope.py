"""What the members app asks of requests through its slots (members.slots): which members a staff member may find
in the members directory and open, and which members have a request open (an announcement's recipients).

Staff see the members who have a request in one of the departments they work in. The staff of a department that
handles a service reserved to the board (admissions, share transfers, withdrawals) keep the register, so they
see every member.
"""

from django.db.models import Q

from requests_app.models import RequestType, ServiceRequest
from requests_app.queue import scope_of


def members_of_departments(user) -> Q:
    department_ids = scope_of(user).department_ids
    if not department_ids:
        return Q(pk__in=[])
    if RequestType.objects.filter(department_id__in=department_ids, needs_board_decision=True).exists():
        return ~Q(pk__in=[])
    return Q(pk__in=ServiceRequest.objects.filter(department_id__in=department_ids).values("member_id"))


def members_with_open_requests() -> Q:
    return Q(pk__in=ServiceRequest.objects.open().values("member_id"))
