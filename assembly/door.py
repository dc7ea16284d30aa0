"""Registering members at the door of a General Assembly meeting (issue 17 item 6), the rules in one place.

Staff at a desk (or a board member) find a member by their pass (assembly.passes) or by membership number or
national ID, and register them. The rules:
  - only on the day of a published meeting (the meeting's date in Riyadh; the clock decides, no setting);
  - only a member on the meeting's list as it stood on the record date: a member withdrawn since is still on it and
    registers, and the desk is shown the register's change; a member not on it is refused;
  - once: a second scan answers with the first registration and its time. Two desks scanning one pass at the same
    instant queue on the meeting's row lock and the second reads the first's row; the unique constraint
    (assembly_registration_once) holds should a path around the lock ever exist;
  - a principal who comes in person ends the proxy they gave (assembly.proxies.revoke_on_arrival: its holder is told).
Each registration records who registered and at which desk. Attendance and the quorum are counted in
assembly.attendance, never here.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly import proxies, selectors
from assembly.models import Meeting, Proxy, Registration
from members.models import Member, User
from members.roles import Role, has_role
from members_portal.arabic import to_western_digits


@dataclass
class Arrival:
    """What the desk shows after a scan: who, whether this scan registered them, whom they vote for."""

    registration: Registration
    member: Member
    new: bool
    represents: list[Member] = field(default_factory=list)
    revoked: Proxy | None = None  # the proxy this member had given, ended because they came in person
    register_changed: bool = False  # the register no longer shows them active with shares (the record date rules)


def is_meeting_day(meeting: Meeting, *, now: datetime.datetime | None = None) -> bool:
    """A published meeting, on its date in Riyadh."""
    now = now or timezone.now()
    return meeting.status == Meeting.Status.PUBLISHED and timezone.localdate(meeting.starts_at) == timezone.localdate(
        now
    )


def check_open(meeting: Meeting) -> None:
    if not is_meeting_day(meeting):
        raise ValidationError(
            _("Members register at the door only on the day of a meeting whose notice is published."), code="closed"
        )


def _check_desk(by: User) -> None:
    if not has_role(by, Role.STAFF, Role.BOARD):
        raise ValidationError(_("Only staff at the door or the board register members."), code="permission")


def find_member(*, query: str) -> Member | None:
    """The member whose membership number or national ID is exactly this (digits in either script), or None. The
    desk shows only their name and membership number."""
    query = to_western_digits(query).strip()
    if not query:
        return None
    return Member.objects.filter(Q(membership_no=query) | Q(national_id=query)).order_by("pk").first()


def _not_on_list(meeting: Meeting, member: Member) -> ValidationError:
    assert meeting.record_date is not None  # the meeting is published (check_open), so it has its record date
    return ValidationError(
        _(
            "%(name)s (membership number %(number)s) is not on this meeting's list of members, written on the record "
            "date %(date)s: they cannot be registered."
        )
        % {"name": member.full_name_ar, "number": member.membership_no, "date": meeting.record_date.isoformat()},
        code="not_eligible",
    )


def _arrival(meeting: Meeting, registration: Registration, *, new: bool, revoked: Proxy | None = None) -> Arrival:
    member = registration.member
    represents = [
        proxy.principal
        for proxy in Proxy.objects.filter(meeting=meeting, holder=member, status=Proxy.Status.ACCEPTED)
        .select_related("principal")
        .order_by("pk")
    ]
    changed = selectors.changed_since_record_date(meeting).filter(member=member).exists()
    return Arrival(
        registration=registration,
        member=member,
        new=new,
        represents=represents,
        revoked=revoked,
        register_changed=changed,
    )


@transaction.atomic
def register(*, meeting: Meeting, member: Member, by: User, desk: str) -> Arrival:
    """Register the member as present in person (see the module's docstring for the rules). A second call for the
    same member registers nothing and answers with the first registration (`new` is False). Registering a principal
    revokes the proxy they gave, and its holder is told through the outbox. Refusals change nothing."""
    _check_desk(by)
    # The meeting's row, locked: desks register one at a time (milliseconds each), and an adjournment or the
    # meeting's closing never interleaves with a registration.
    meeting = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
    check_open(meeting)
    if not meeting.eligible.filter(member=member).exists():
        raise _not_on_list(meeting, member)
    existing = Registration.objects.filter(meeting=meeting, member=member).select_related("member").first()
    if existing is not None:
        return _arrival(meeting, existing, new=False)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                meeting=meeting, member=member, registered_by=by, desk=desk.strip()[:40]
            )
    except IntegrityError:  # the constraint, should the lock ever be bypassed: the first registration stands
        existing = Registration.objects.select_related("member").get(meeting=meeting, member=member)
        return _arrival(meeting, existing, new=False)
    revoked = proxies.revoke_on_arrival(meeting=meeting, principal=member)
    return _arrival(meeting, registration, new=True, revoked=revoked)
