"""What a staff member's home page reads: my open work, my due-today and late counts, my departments' counts."""

from dataclasses import dataclass

from django.db.models import Count, Q

from members.models import User
from requests_app import sla
from requests_app.access import requests_for_staff, scope_of
from requests_app.desk.queue import ROW_FIELDS
from requests_app.models import ServiceRequest, StaffNotice
from requests_app.models.catalogue import _in_language

Status = ServiceRequest.Status


@dataclass
class DepartmentCounts:
    department_id: int
    name: str
    open: int = 0
    unassigned: int = 0
    due_today: int = 0
    late: int = 0
    waiting_on_member: int = 0
    with_board: int = 0


def home_summary(user: User) -> dict:
    """My open work (soonest due first), my due-today and late counts, and my departments' counts: 3 queries."""
    today = sla.today()
    scope = scope_of(user)
    mine = list(
        requests_for_staff(user)
        .filter(assignee=user, status__in=sla.OPEN_STATUSES)
        .select_related("request_type", "member", "assignee")
        .only(*ROW_FIELDS)
        .order_by("due_date", "pk")[:20]
    )
    running = Q(status__in=sla.RUNNING_STATUSES)
    rows = (
        ServiceRequest.objects.filter(department_id__in=scope.department_ids, status__in=sla.OPEN_STATUSES)
        .values("department_id", "department__name_ar", "department__name_en")
        .annotate(
            open=Count("pk"),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
            due_today=Count("pk", filter=running & Q(due_date=today)),
            late=Count("pk", filter=running & Q(due_date__lt=today)),
            waiting=Count("pk", filter=Q(status=Status.RETURNED_TO_MEMBER)),
            with_board=Count("pk", filter=Q(status=Status.PENDING_BOARD_DECISION)),
            my_due_today=Count("pk", filter=running & Q(due_date=today, assignee=user)),
            my_late=Count("pk", filter=running & Q(due_date__lt=today, assignee=user)),
        )
        .order_by("department__name_ar")
    )
    departments, my_due_today, my_late = [], 0, 0
    for row in rows:
        departments.append(
            DepartmentCounts(
                department_id=row["department_id"],
                name=_in_language(row["department__name_ar"], row["department__name_en"]),
                open=row["open"],
                unassigned=row["unassigned"],
                due_today=row["due_today"],
                late=row["late"],
                waiting_on_member=row["waiting"],
                with_board=row["with_board"],
            )
        )
        my_due_today += row["my_due_today"]
        my_late += row["my_late"]
    notices = list(
        StaffNotice.objects.filter(recipient=user, read_at__isnull=True)
        .select_related("service_request")
        .only("pk", "kind", "day", "created_at", "service_request__reference_no", "service_request__due_date")
        .order_by("-created_at", "-pk")[:20]
    )
    return {
        "today": today,
        "mine": mine,
        "my_due_today": my_due_today,
        "my_late": my_late,
        "departments": departments,
        "notices": notices,
        "is_supervisor": scope.is_supervisor,
    }
