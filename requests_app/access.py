"""Who works where: a department's staff and its supervisors, defined once.

A staff member works in the departments they are a member of (DepartmentMembership). A supervisor of a department
holds the supervisor role AND is marked supervisor in that department's membership: the role alone supervises no
department, the mark alone (on a plain staff account) supervises nothing. Every check of "may this person work or
lead this request" reads `scope_of`, which asks the database once per user object.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import QuerySet

from members.models import User
from members.roles import Role, has_role
from members_portal import reference
from requests_app.models import DepartmentMembership, ServiceRequest
from requests_app.reference_data import DEPARTMENT_STAFF


def departments_of(user) -> dict[int, bool]:
    """The departments the user belongs to, each with whether the membership marks a supervisor; read once per user
    object (as the roles are), so a page that asks for every move asks the database once. One plain statement,
    asked on every request (never cached: a membership taken away takes effect at the next click); the ORM took
    twice as long to build it as the database to answer."""
    cached = getattr(user, "_portal_departments", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(_memberships_sql(), [user.pk])
            cached = user._portal_departments = {department: bool(supervisor) for department, supervisor in cursor}
    return cached


MEMBERSHIPS = "SELECT {department}, {supervisor} FROM {table} WHERE {user} = %s"


@cache
def _memberships_sql() -> str:
    meta = DepartmentMembership._meta
    q = connection.ops.quote_name
    columns = {field.name: q(field.column or field.attname) for field in meta.concrete_fields}
    return MEMBERSHIPS.format(
        department=columns["department"],
        supervisor=columns["is_supervisor"],
        table=q(meta.db_table),
        user=columns["user"],
    )


@dataclass(frozen=True)
class StaffScope:
    """The departments a user works in, and those they lead."""

    department_ids: frozenset[int]
    supervised_ids: frozenset[int]

    def supervises(self, department_id: int) -> bool:
        return department_id in self.supervised_ids

    @property
    def is_supervisor(self) -> bool:
        return bool(self.supervised_ids)


def scope_of(user: User) -> StaffScope:
    """Cached on the user object, so a page asks the database once however many times it is needed."""
    cached = getattr(user, "_staff_scope", None)
    if cached is not None:
        return cached
    department_ids: set[int] = set()
    supervised: set[int] = set()
    if has_role(user, Role.STAFF):
        for department_id, marked_supervisor in departments_of(user).items():
            department_ids.add(department_id)
            if marked_supervisor and has_role(user, Role.SUPERVISOR):
                supervised.add(department_id)
    scope = StaffScope(frozenset(department_ids), frozenset(supervised))
    user._staff_scope = scope  # type: ignore[attr-defined]  # a cache for this request, not a column of User
    return scope


def is_department_staff(user, service_request: ServiceRequest) -> bool:
    return service_request.department_id in scope_of(user).department_ids


def is_department_supervisor(user, service_request: ServiceRequest) -> bool:
    return scope_of(user).supervises(service_request.department_id)


def requests_for_staff(user: User) -> QuerySet[ServiceRequest]:
    """The requests of the user's departments (none for anyone who is not staff)."""
    return ServiceRequest.objects.filter(department_id__in=scope_of(user).department_ids)


def department_staff(department_ids) -> list[User]:
    """Active staff accounts of these departments, for the assign menus (reference data: read from the cache)."""
    ids = sorted(set(department_ids))

    def staff() -> QuerySet[User]:
        return (
            User.objects.filter(department_memberships__department_id__in=ids, is_active=True)
            .distinct()
            .order_by("first_name", "last_name", "pk")
        )

    return reference.read_rows(DEPARTMENT_STAFF, ids, staff, User, "id", "first_name", "last_name", "username", "email")


def may_assign_to(user: User, department_id: int) -> bool:
    return DepartmentMembership.objects.filter(
        user=user,
        department_id=department_id,
        user__is_active=True,
        user__groups__name__in=[Role.STAFF, Role.SUPERVISOR],
    ).exists()
