"""Reads for the staff work queue and the staff request page: who works where, the queue's filters and rows.

Every read is scoped to who asks: staff and supervisors see the requests of the departments they belong
to (a supervisor the whole department, like any of its staff). A request outside that scope is not found
(404), never forbidden, so guessing numbers teaches nothing. How a row reads is in queue_rows, the staff
home's counts in staff_home, the board's reads in board_reads. The queue is one COUNT and one row query
whatever the data (plus one to resolve a number search), so its query count does not grow with the rows.
"""

import contextlib
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import CharField, F, Lookup, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member, User
from members.validators import normalise_national_id, normalise_saudi_mobile
from members_portal import reference
from members_portal.arabic import normalise, to_western_digits
from requests_app import service_forms, sla
from requests_app.access import requests_for_staff, scope_of
from requests_app.models import (
    CannedReply,
    ServiceRequest,
    TimelineEvent,
)
from requests_app.reference_data import CANNED_REPLIES, SERVICES

Status = ServiceRequest.Status
REFERENCE_FULL = re.compile(r"^NJC-(\d{4})-(\d{1,6})$", re.IGNORECASE)
REFERENCE_SHORT = re.compile(r"^(\d{4})-(\d{1,6})$")

# The columns a queue row shows; everything else stays in the database.
ROW_FIELDS = (
    "pk",
    "reference_no",
    "status",
    "channel",
    "submitted_at",
    "due_date",
    "version",
    "department_id",
    "request_type__code",
    "request_type__name_ar",
    "request_type__name_en",
    "member__membership_no",
    "member__full_name_ar",
    "member__full_name_en",
    "member__mobile",
    "member__governorate",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
    "assignee__email",
)


class Sort:
    DUE = "due"
    DUE_DESC = "-due"
    SUBMITTED = "submitted"
    NEWEST = "-submitted"
    REFERENCE = "reference"

    CHOICES = [
        (DUE, _("Due date, soonest first")),
        (DUE_DESC, _("Due date, latest first")),
        (NEWEST, _("Newest first")),
        (SUBMITTED, _("Oldest first")),
        (REFERENCE, _("Request number")),
    ]
    ORDER = {
        DUE: ("due_date", "pk"),
        DUE_DESC: ("-due_date", "-pk"),
        NEWEST: ("-submitted_at", "-pk"),
        SUBMITTED: ("submitted_at", "pk"),
        REFERENCE: ("reference_no",),
    }


class SavedView:
    """The queue's ready-made views: each is a set of filters, shown as a tab."""

    ALL = "all"
    MINE = "mine"
    UNASSIGNED = "unassigned"
    LATE = "late"

    CHOICES = [
        (ALL, _("All open requests")),
        (MINE, _("My open work")),
        (UNASSIGNED, _("Unassigned")),
        (LATE, _("Late")),
    ]


# Status filter values besides the statuses themselves.
OPEN = "open"
ANY = "any"
ASSIGNEE_MINE = "mine"
ASSIGNEE_NONE = "none"


@dataclass
class QueueFilters:
    """What the queue page asks for; empty values mean "no filter". Built by staff_forms.QueueFilterForm."""

    view: str = SavedView.ALL
    status: str = OPEN
    service: int | None = None
    assignee: str = ""  # "mine", "none" or a user's pk
    sla_state: str = ""
    governorate: str = ""
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None
    q: str = ""
    sort: str = Sort.DUE
    department: int | None = None


# --- The queue -------------------------------------------------------------------------------------------------------


def _riyadh_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


NAME_MATCHES_RESOLVED = 5000  # members a name search resolves to ids before the queue's query


def _search(query: str) -> tuple[Q, bool] | None:
    """The condition for a search box entry: a request number, a membership number, a mobile, a national ID,
    or words of the member's Arabic name (normalised like Member.name_search, so أحمد finds احمد); and whether
    its matches are few (bounded by the members it resolved to, see rows_between).

    Numbers are resolved to member ids first (one indexed query), so the row query stays an index lookup.
    """
    text = to_western_digits(" ".join(query.split())).strip()
    if not text:
        return None
    match = REFERENCE_FULL.match(text) or REFERENCE_SHORT.match(text)
    if match:
        return Q(reference_no=f"NJC-{match.group(1)}-{int(match.group(2)):06d}"), True
    compact = re.sub(r"[\s\-()]", "", text)
    if compact.lstrip("+").isdigit():
        condition = Q(pk__in=[])
        if len(compact) <= 6:
            # The number part of a reference: this year's and the two before (staff read them out on the phone).
            year = sla.today().year
            condition |= Q(reference_no__in=[f"NJC-{y}-{int(compact):06d}" for y in (year, year - 1, year - 2)])
        member_condition = Q(membership_no=compact)
        with contextlib.suppress(ValidationError):
            member_condition |= Q(mobile=normalise_saudi_mobile(compact))
        with contextlib.suppress(ValidationError):
            member_condition |= Q(national_id=normalise_national_id(compact))
        member_ids = list(Member.objects.filter(member_condition).values_list("pk", flat=True)[:50])
        if member_ids:
            condition |= Q(member_id__in=member_ids)
        return condition, True
    words = normalise(text).split()
    members = Member.objects.all()
    for word in words:
        members = members.filter(name_search__contains=word)
    # Resolved to ids first (the name's trigram index), as numbers are: a rare name's few requests are then found by
    # their member index, where the subquery made PostgreSQL walk every open request of the department and look up
    # each one's member (155 ms at 1,000,000 requests for a name nobody in the queue has). A common name keeps the
    # subquery: the queue's own order then meets matches at once.
    member_ids = list(members.values_list("pk", flat=True)[: NAME_MATCHES_RESOLVED + 1])
    if len(member_ids) <= NAME_MATCHES_RESOLVED:
        return Q(_one_of_members(member_ids)), True
    return Q(member_id__in=members.values("pk")), False


class _OneOf(Lookup):
    """`field = ANY(%s)`, the values sent as one array on PostgreSQL (an IN list elsewhere: SQLite). A common name
    resolves thousands of members: as an IN list the ORM prepared and quoted each id one by one, twice a page (the
    count, the rows): 60 ms of Python for 3,000 ids."""

    lookup_name = "one_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = [int(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, values]
        if not values:
            return "1 = 0", [*params]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*params, *values]


def _one_of_members(member_ids: list[int]) -> _OneOf:
    return _OneOf(F("member_id"), member_ids)


def _apply_view(filters: QueueFilters, user: User) -> Q:
    if filters.view == SavedView.MINE:
        return Q(assignee=user)
    if filters.view == SavedView.UNASSIGNED:
        return Q(assignee__isnull=True)
    if filters.view == SavedView.LATE:
        return sla.condition(sla.SlaState.LATE)
    return Q()


def queue_for(user: User, filters: QueueFilters | None = None) -> QuerySet[ServiceRequest]:
    """The queue rows for this user and these filters, sorted, with the joins a row needs (not yet paginated)."""
    filters = filters or QueueFilters()
    return in_queue_order(matching(user, filters), filters.sort)


def in_queue_order(requests: QuerySet[ServiceRequest], sort: str) -> QuerySet[ServiceRequest]:
    """Sorted, with the joins a row displays."""
    order = Sort.ORDER.get(sort, Sort.ORDER[Sort.DUE])
    return requests.select_related("request_type", "member", "assignee").only(*ROW_FIELDS).order_by(*order)


@dataclass(frozen=True)
class Matching:
    """The requests the filters select, without the joins a row displays (what the queue counts), and whether they
    are few: a search that resolved its members finds at most their requests (rows_between reads them so)."""

    requests: QuerySet[ServiceRequest]
    few: bool = False


def matching(user: User, filters: QueueFilters) -> QuerySet[ServiceRequest]:
    """The requests these filters select, without the joins a row displays: what the queue counts."""
    return selection(user, filters).requests


def selection(user: User, filters: QueueFilters) -> Matching:
    """The requests these filters select, and whether a search bounded them (Matching)."""
    requests = requests_for_staff(user)
    if filters.department and filters.department in scope_of(user).department_ids:
        requests = requests.filter(department_id=filters.department)
    if filters.status == OPEN:
        requests = requests.filter(status__in=sla.OPEN_STATUSES)
    elif filters.status in Status.values:
        requests = requests.filter(status=filters.status)
    requests = requests.filter(_apply_view(filters, user))
    if filters.service:
        requests = requests.filter(request_type_id=filters.service)
    if filters.assignee == ASSIGNEE_MINE:
        requests = requests.filter(assignee=user)
    elif filters.assignee == ASSIGNEE_NONE:
        requests = requests.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        requests = requests.filter(assignee_id=int(filters.assignee))
    if filters.sla_state:
        requests = requests.filter(sla.condition(filters.sla_state))
    if filters.governorate:
        requests = requests.filter(member__governorate=filters.governorate)
    if filters.submitted_from:
        requests = requests.filter(submitted_at__gte=_riyadh_midnight(filters.submitted_from))
    if filters.submitted_to:
        requests = requests.filter(submitted_at__lt=_riyadh_midnight(filters.submitted_to + datetime.timedelta(days=1)))
    search = _search(filters.q) if filters.q else None
    if search is None:
        return Matching(requests)
    condition, few = search
    return Matching(requests.filter(condition), few=few)


# What a queue row reads, as plain values: no model instances to build for 50 rows (the page's biggest cost).
ROW_VALUES = (
    "pk",
    "reference_no",
    "status",
    "submitted_at",
    "due_date",
    "department_id",
    "assignee_id",
    "request_type__code",
    "request_type__name_ar",
    "request_type__name_en",
    "member__membership_no",
    "member__full_name_ar",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
)


def queue_values(requests: QuerySet[ServiceRequest]) -> QuerySet:
    """The queue's rows as dicts for RowFormatter (the mobile as stored, E.164 text, not parsed again)."""
    return requests.values(*ROW_VALUES, mobile=Cast("member__mobile", output_field=CharField()))


def rows_between(
    matching_requests: QuerySet[ServiceRequest], sort: str, start: int, stop: int, *, few: bool = False
) -> list[dict]:
    """Rows start..stop of the queue in its order, as queue_values dicts.

    In two steps, in one query: the page's ids are chosen from the requests alone (an index, or a top-N sort
    of narrow rows), and only those rows are joined to their member, service and assignee. Joined first, a
    filter that matches thousands (a service) made PostgreSQL join them all before sorting.

    When the matches are `few` (a search resolved its members), the page's ids are sorted after reading them: the
    order is given as expressions no index provides, so PostgreSQL reads the matches by their member index
    (request_department_member_idx) and sorts them. Left to itself it walked the department's due-date index
    until a page of them turned up: 200 ms at 1,000,000 requests for «حمد عبدالله» (51,000 rows read and
    dropped), 8 ms read then sorted.
    """
    order = Sort.ORDER.get(sort, Sort.ORDER[Sort.DUE])
    page_order = [_sorted_after_reading(name) for name in order] if few else order
    page_ids = matching_requests.order_by(*page_order).values("pk")[start:stop]
    return list(queue_values(in_queue_order(ServiceRequest.objects.filter(pk__in=page_ids), sort)))


def _sorted_after_reading(name: str) -> OrderBy:
    """The same order as the field `name` ("-" for descending), as COALESCE(field, field): equal values (the
    fields are never null), but an expression no index is sorted by."""
    column = name.removeprefix("-")
    expression = Coalesce(F(column), F(column))
    return expression.desc() if name.startswith("-") else expression.asc()


def queue_row(user: User, pk: int) -> dict:
    """One row of the queue (ROW_VALUES), for the fragment htmx swaps in after "take it"."""
    try:
        return queue_values(requests_for_staff(user)).get(pk=pk)
    except ServiceRequest.DoesNotExist as missing:
        raise Http404 from missing


def services_in_scope(user: User) -> list:
    """The services of the user's departments with their department, for the service and department filters
    (reference data: read from the cache)."""
    from requests_app.models import Department, RequestType

    ids = sorted(scope_of(user).department_ids)
    fields = reference.in_model_order(RequestType, "id", "code", "name_ar", "name_en", "department_id")
    department_fields = reference.in_model_order(Department, "id", "name_ar", "name_en")

    def build():
        services = RequestType.objects.filter(department_id__in=ids).order_by("department__name_ar", "code")
        return tuple(services.values_list(*fields, *[f"department__{name}" for name in department_fields]))

    services = []
    for row in reference.read(SERVICES, ids, build, shape=(*fields, *department_fields)):
        service = RequestType.from_db("default", fields, row[: len(fields)])
        service.department = Department.from_db("default", department_fields, row[len(fields) :])
        services.append(service)
    return services


# --- One request, for staff ------------------------------------------------------------------------------------------


def request_for_staff(user: User, reference_no: str) -> ServiceRequest:
    """A request of the user's departments with what the staff page shows, or 404."""
    joined = ["member", "assignee", "submitted_by"]
    if not reference.keeps_copies():  # else the service and the department come from the catalogue's copy
        joined += ["request_type", "department"]
    try:
        service_request = requests_for_staff(user).select_related(*joined).get(reference_no=reference_no)
    except ServiceRequest.DoesNotExist as missing:
        raise Http404 from missing
    return service_forms.with_its_service(service_request)


def staff_timeline(service_request: ServiceRequest) -> QuerySet[TimelineEvent]:
    """The whole timeline, internal notes included (never use this on a member's page)."""
    return service_request.timeline.select_related("actor").order_by("created_at", "pk")


def staff_attachments(service_request: ServiceRequest):
    return service_request.attachments.select_related("document").order_by("created_at", "pk")


def canned_replies_for(service_request: ServiceRequest) -> list[CannedReply]:
    """Replies offered for this request: its service's, then its department's general ones (reference data)."""
    department_id, request_type_id = service_request.department_id, service_request.request_type_id
    fields = [field.attname for field in CannedReply._meta.concrete_fields]

    def replies() -> QuerySet[CannedReply]:
        return CannedReply.objects.filter(
            Q(request_type_id=request_type_id) | Q(request_type__isnull=True), department_id=department_id, active=True
        ).order_by("request_type_id", "order", "pk")

    return reference.read_rows(CANNED_REPLIES, (department_id, request_type_id), replies, CannedReply, *fields)
