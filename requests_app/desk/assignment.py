"""Who works a request: "take it" for staff, assign and reassign for supervisors, bulk assign.

Races are settled by the database, not by reading first: "take it" is one conditional UPDATE
(`WHERE assignee IS NULL`), so of two people clicking at once exactly one row count is 1 and the other
is told who has it; assign/reassign lock the row and compare the version the supervisor saw, so of two
supervisors reassigning at once the second is told the request changed. Every assignment bumps
`version` and writes an "assigned" timeline event (staff-only: the member does not see staff names).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import User
from requests_app import access, sla
from requests_app.models import ServiceRequest, TimelineEvent
from requests_app.services import StaleRequest


class AlreadyTaken(ValidationError):
    """Someone else took the request first; `assignee` is who has it."""

    def __init__(self, assignee: User | None) -> None:
        self.assignee = assignee
        name = display_name(assignee) if assignee else _("someone else")
        super().__init__(_("%(name)s has already taken this request.") % {"name": name}, code="already_taken")


def display_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _event(service_request_id: int, *, by: User, assignee: User | None) -> TimelineEvent:
    note = _("Assigned to %(name)s") % {"name": display_name(assignee)} if assignee else _("Assignment removed")
    return TimelineEvent.objects.create(
        service_request_id=service_request_id,
        kind=TimelineEvent.Kind.ASSIGNED,
        actor=by,
        note=note,
        visible_to_member=False,
    )


@transaction.atomic
def take(*, service_request: ServiceRequest, by: User) -> ServiceRequest:
    """The staff member takes an unassigned open request of their department.

    Exactly one of several concurrent takers wins (conditional UPDATE); the others get AlreadyTaken with
    the winner's name. Taking a request one already has is a no-op. Side effects: timeline event.
    """
    if service_request.department_id not in access.scope_of(by).department_ids:
        raise PermissionDenied
    updated = ServiceRequest.objects.filter(
        pk=service_request.pk, assignee__isnull=True, status__in=sla.OPEN_STATUSES
    ).update(assignee=by, version=F("version") + 1, updated_at=timezone.now())
    current = ServiceRequest.objects.select_related("assignee").get(pk=service_request.pk)
    if not updated:
        if current.is_closed:
            raise ValidationError(_("This request is closed; it cannot be taken."), code="closed")
        if current.assignee_id == by.pk:
            return current
        raise AlreadyTaken(current.assignee)
    _event(current.pk, by=by, assignee=by)
    return current


def _check_supervisor(by: User, service_request: ServiceRequest) -> None:
    if not access.scope_of(by).supervises(service_request.department_id):
        raise PermissionDenied(_("Only a supervisor of the department assigns its requests."))


def _check_assignee(assignee: User | None, service_request: ServiceRequest) -> None:
    if assignee is not None and not access.may_assign_to(assignee, service_request.department_id):
        raise ValidationError(_("%(name)s does not work in this department.") % {"name": display_name(assignee)},
                              code="not_department_staff")  # fmt: skip


@transaction.atomic
def assign(
    *, service_request: ServiceRequest, to: User | None, by: User, expected_version: int | None = None
) -> ServiceRequest:
    """A supervisor assigns (or reassigns, or unassigns with to=None) a request of their department.

    Locks the row; with `expected_version` (what the supervisor's page showed) a request changed since
    raises StaleRequest and nothing is written. Side effects: timeline event, version bumped.
    """
    _check_supervisor(by, service_request)
    _check_assignee(to, service_request)
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleRequest(_("This request changed after you opened it. Please look at it again."), code="stale")
    if locked.is_closed:
        raise ValidationError(_("This request is closed; it cannot be assigned."), code="closed")
    if locked.assignee_id == (to.pk if to else None):
        return locked
    locked.assignee = to
    locked.version += 1
    locked.save(update_fields=["assignee", "version", "updated_at"])
    _event(locked.pk, by=by, assignee=to)
    return locked


@dataclass
class BulkOutcome:
    """What a bulk assignment did: the requests assigned, and each one it left with the reason, by number."""

    assigned: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    not_found: int = 0


@transaction.atomic
def bulk_assign(*, service_request_ids: Iterable[int], to: User, by: User) -> BulkOutcome:
    """A supervisor assigns several requests at once: each request that may go to `to` does, and each that
    may not is named with its reason (closed, already theirs, a department the supervisor does not lead, a
    department `to` does not work in). Ids outside the supervisor's departments are only counted, never
    named: the supervisor was never shown them.
    """
    scope = access.scope_of(by)
    if not scope.is_supervisor:
        raise PermissionDenied(_("Only a supervisor of the department assigns its requests."))
    ids = sorted({int(pk) for pk in service_request_ids})
    outcome = BulkOutcome()
    # Lock in id order: two bulk assignments over overlapping rows cannot deadlock.
    locked = list(
        ServiceRequest.objects.select_for_update()
        .filter(pk__in=ids, department_id__in=scope.department_ids)
        .order_by("pk")
    )
    outcome.not_found = len(ids) - len(locked)
    works_in = {pk for pk in {row.department_id for row in locked} if access.may_assign_to(to, pk)}
    now = timezone.now()
    for row in locked:
        if not scope.supervises(row.department_id):
            reason = _("you do not supervise its department")
        elif row.is_closed:
            reason = _("it is closed")
        elif row.department_id not in works_in:
            reason = _("%(name)s does not work in its department") % {"name": display_name(to)}
        elif row.assignee_id == to.pk:
            reason = _("it is already with %(name)s") % {"name": display_name(to)}
        else:
            ServiceRequest.objects.filter(pk=row.pk).update(assignee=to, version=F("version") + 1, updated_at=now)
            _event(row.pk, by=by, assignee=to)
            outcome.assigned.append(row.reference_no)
            continue
        outcome.refused.append((row.reference_no, reason))
    return outcome
