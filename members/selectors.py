"""Reads of member records, shaped for a page, with who-may-see-what built in.

Staff reach records only through `directory_for` and `record_for_staff`; a member reaches only their own
record (`request.user.member`); the export gathers everything the portal holds about one member.
"""

import contextlib
import re
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from members import notification_texts, register_columns, slots
from members.models import AccessLog, Channel, CorrectionRequest, Member, MemberImport, Notification, User
from members.roles import Role, has_role
from members.validators import normalise_national_id, normalise_saudi_mobile, western_digits
from members_portal.arabic import normalise

DIRECTORY_FIELDS = (
    "pk",
    "membership_no",
    "national_id",
    "full_name_ar",
    "full_name_en",
    "mobile",
    "governorate",
    "village",
    "status",
    "user_id",
)


def _require_staff(user: User) -> None:
    if not has_role(user, Role.STAFF):
        raise PermissionDenied


def directory_for(*, by: User, query: str = "", governorate: str = "", status: str = "") -> QuerySet[Member]:
    """Members matching a staff search: a national ID, a mobile, a membership number, or words of a name
    (Arabic-normalised: أحمد finds احمد and أَحْمَد), among the members of the staff member's departments
    (members.slots.member_scope). One query for the rows."""
    _require_staff(by)
    members = Member.objects.filter(slots.member_scope(by)).only(*DIRECTORY_FIELDS).order_by("membership_no", "pk")
    return _filtered(members, query=query, governorate=governorate, status=status)


def member_for_new_request(*, by: User, query: str) -> QuerySet[Member]:
    """The whole register, searched for a request opened on a member's behalf (the member who phoned or walked
    in may have no request in the staff member's departments yet). Shown masked; nothing without a search."""
    _require_staff(by)
    if not " ".join(query.split()):
        return Member.objects.none()
    members = Member.objects.only(*DIRECTORY_FIELDS).order_by("membership_no", "pk")
    return _filtered(members, query=query)


def _filtered(members: QuerySet[Member], *, query: str, governorate: str = "", status: str = "") -> QuerySet[Member]:
    if governorate:
        members = members.filter(governorate=governorate)
    if status:
        members = members.filter(status=status)
    query = " ".join(query.split())
    if not query:
        return members
    return members.filter(_search_condition(query))


def _search_condition(query: str) -> Q:
    digits = re.sub(r"[\s\-()]", "", western_digits(query))
    condition = Q(membership_no__iexact=query.strip()) | Q(membership_no__iexact=digits)
    if digits.lstrip("+").isdigit():
        with contextlib.suppress(ValidationError):
            condition |= Q(national_id=normalise_national_id(digits))
        with contextlib.suppress(ValidationError):
            condition |= Q(mobile=normalise_saudi_mobile(digits))
    words = normalise(query).split()
    if words and not digits.lstrip("+").isdigit():
        name_condition = Q()
        for word in words:
            name_condition &= Q(name_search__contains=word)
        condition |= name_condition
    return condition


def record_for_staff(*, by: User, pk: int) -> Member:
    """One member's record for a staff page, among the members of the staff member's departments (DoesNotExist
    otherwise, a 404 for the page). The caller writes the access-log line."""
    _require_staff(by)
    return Member.objects.filter(slots.member_scope(by)).select_related("user").get(pk=pk)


def requests_of(member: Member, *, limit: int = 20, visible_to: User | None = None) -> list[slots.MemberRequest]:
    """The member's service requests, newest first, as the app that keeps them provides them (members.slots).

    `visible_to`: a staff member sees only the requests they may open, those of the departments they work in
    (the scope of the staff request page); the member's own export passes nobody and gets them all."""
    if visible_to is not None and not has_role(visible_to, Role.STAFF):
        return []
    return slots.member_requests(member, limit=limit, visible_to=visible_to)


def corrections_for_staff(*, by: User, status: str = CorrectionRequest.Status.OPEN) -> QuerySet[CorrectionRequest]:
    _require_staff(by)
    corrections = CorrectionRequest.objects.select_related("member", "handled_by").order_by("created_at", "pk")
    return corrections.filter(status=status) if status else corrections


def imports_for_staff(*, by: User) -> QuerySet[MemberImport]:
    _require_staff(by)
    return MemberImport.objects.select_related("uploaded_by")


def access_log_of(member: Member, *, limit: int = 20) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(member=member).select_related("viewer")[:limit]


def access_log_for(*, by: User, membership_no: str = "", viewer: User | None = None) -> QuerySet[AccessLog]:
    """The staff access log for the privacy officer (administrators), newest first, filtered by the member's
    membership number and by the staff account that looked. One query for the rows, whatever their number."""
    if not has_role(by, Role.ADMINISTRATOR):
        raise PermissionDenied
    entries = AccessLog.objects.select_related("viewer", "member").order_by("-at", "-pk")
    if membership_no:
        entries = entries.filter(member__membership_no=western_digits(membership_no).strip())
    if viewer is not None:
        entries = entries.filter(viewer=viewer)
    return entries


def staff_accounts() -> QuerySet[User]:
    """Accounts that may look at member records (staff, supervisors, administrators), for the log's filter."""
    return (
        User.objects.filter(groups__name__in=[Role.STAFF, Role.SUPERVISOR, Role.ADMINISTRATOR])
        .distinct()
        .order_by("first_name", "last_name", "pk")
        .only("pk", "username", "first_name", "last_name", "email")
    )


# --- The member's own data ---------------------------------------------------------------------------


def _plain(value):
    """A value as JSON would carry it: dates in ISO 8601, decimals and phone numbers as text."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


# The record in the data export: every column of the register's table (members/register_columns.py).
RECORD_FIELDS = tuple(column.name for column in register_columns.COLUMNS)
# Latin text shown left-to-right inside Arabic (STYLE.md §7): numbers, addresses, dates.
LTR_FIELDS = {column.name for column in register_columns.COLUMNS if column.ltr} | {"created_at", "updated_at"}
NOTIFICATION_FIELDS = ("created_at", "channel", "event", "subject", "body", "status", "sent_at", "read_at")


def _readable(value):
    """A value for people: dates and times without seconds, in the portal's time zone."""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    return _plain(value)


def _labelled(model, instance, fields) -> list[dict]:
    """[{field, label, value, display}] for a readable export: labels in the active language."""
    rows = []
    for name in fields:
        field = model._meta.get_field(name)
        value = getattr(instance, name)
        display_method = getattr(instance, f"get_{name}_display", None)
        rows.append(
            {
                "field": name,
                "label": str(field.verbose_name),
                "value": _plain(value),
                "display": str(display_method()) if display_method else _readable(value),
                "ltr": name in LTR_FIELDS,
            }
        )
    return rows


def member_data_export(member: Member) -> dict:
    """Everything the portal holds about one member, for the member (Saudi PDPL right of access).

    The record, the account, correction requests, messages sent to them, consents given to channels, their service
    requests, and the dates and kinds of staff access to their record (not staff names). Never includes another
    member.
    """
    user = member.user
    account = None
    if user is not None:
        account = {
            "mobile": _plain(user.phone),
            "mobile_verified": user.phone_verified,
            "email": user.email,
            "date_joined": _plain(user.date_joined),
            "last_login": _plain(user.last_login),
            "roles": sorted(user.groups.values_list("name", flat=True)),
        }
    notification_fields = [
        name for name in NOTIFICATION_FIELDS if any(f.name == name for f in Notification._meta.get_fields())
    ]
    return {
        "generated_at": _plain(timezone.now()),
        "record": _labelled(Member, member, RECORD_FIELDS),
        "account": account,
        "correction_requests": [
            {
                "submitted": _plain(correction.created_at),
                "field": correction.field,
                "field_label": str(correction.get_field_display()),
                "value_on_record": correction.current_value,
                "requested_value": correction.requested_value,
                "reason": correction.reason,
                "status": correction.status,
                "status_label": str(correction.get_status_display()),
                "staff_note": correction.staff_note,
                "handled": _plain(correction.handled_at),
            }
            for correction in member.correction_requests.order_by("created_at", "pk")
        ],
        "messages": [
            {
                **{name: _plain(value) for name, value in row.items()},
                "channel_label": str(Channel(row["channel"]).label) if row.get("channel") in Channel.values else "",
                "event_label": notification_texts.event_label(row.get("event", "")),
            }
            for row in Notification.objects.filter(member=member)
            .order_by("created_at", "pk")
            .values(*notification_fields)
        ],
        # Each yes and no given to a channel on the preferences page, with the words shown (a WhatsApp opt-in).
        "consents": [
            {"when": _plain(record.at), "channel": record.channel, "agreed": record.given, "wording": record.wording}
            for record in member.consents.order_by("at", "pk")
        ],
        "share_acquisitions": [
            {
                "shares": acquisition.shares,
                "acquired_on": _plain(acquisition.acquired_on),
                "how": acquisition.how,
                "how_label": str(acquisition.get_how_display()),
            }
            for acquisition in member.share_acquisitions.all()
        ],
        "service_requests": [_request_summary(service_request) for service_request in requests_of(member, limit=1000)],
        "record_access": [
            {"when": _plain(entry.at), "what": entry.action, "what_label": str(entry.get_action_display())}
            for entry in AccessLog.objects.filter(member=member).order_by("at", "pk")
        ],
    }


def _request_summary(service_request: slots.MemberRequest) -> dict:
    return {
        "reference_no": service_request.reference_no,
        "status": service_request.status,
        "submitted_at": _plain(service_request.submitted_at),
        "closed_at": _plain(service_request.closed_at),
        "outcome": service_request.outcome,
        "answers": service_request.answers,
        "status_label": service_request.status_label,
        "service": service_request.service,
    }
