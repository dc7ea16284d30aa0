"""Every change to a General Assembly meeting: drafting it, its agenda, and publishing its notice.

The board (its secretary) drafts; a published meeting's date, place and agenda no longer change here. Publishing
checks the notice period, freezes the eligible members at the record date and, after commit, tells each of them
through the outbox (assembly/notices.py).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import AgendaItem, EligibleMember, Meeting
from members.models import Member, User
from members.roles import Role, has_role
from members_portal.enqueue import after_commit
from requests_app.models import ServiceRequest

APPEAL_SERVICE = "GOV-03"  # the catalogue's appeal against a board decision (DOMAIN.md, GOV-03)


def _check_board(by: User) -> None:
    if not has_role(by, Role.BOARD):
        raise ValidationError(_("Only the board may prepare a General Assembly meeting."), code="permission")


def _check_draft(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.DRAFT:
        raise ValidationError(
            _("The notice of this meeting is already published: its date, place and agenda can no longer change."),
            code="published",
        )


def days_ahead(starts_at: datetime.datetime, *, today: datetime.date | None = None) -> int:
    """Whole days from today to the meeting's day, in Riyadh."""
    today = today or timezone.localdate()
    return (timezone.localtime(starts_at).date() - today).days


@transaction.atomic
def create_meeting(
    *,
    by: User,
    kind: str,
    starts_at: datetime.datetime,
    place_ar: str = "",
    place_en: str = "",
    remote_attendance: bool = False,
) -> Meeting:
    """Draft a meeting. The place defaults to the headquarters; remote attendance only where the bylaws allow it
    (ASSEMBLY_REMOTE_ATTENDANCE). No one is told anything until the notice is published."""
    _check_board(by)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a date and time in the future.")})
    meeting = Meeting(
        kind=kind,
        starts_at=starts_at,
        place_ar=place_ar.strip() or settings.ASSEMBLY_HEADQUARTERS_AR,
        place_en=place_en.strip() or settings.ASSEMBLY_HEADQUARTERS_EN,
        remote_attendance=bool(remote_attendance and settings.ASSEMBLY_REMOTE_ATTENDANCE),
        created_by=by,
    )
    meeting.full_clean()
    meeting.save()
    add_pending_appeals(meeting=meeting)
    return meeting


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    by: User,
    kind: str,
    starts_at: datetime.datetime,
    place_ar: str = "",
    place_en: str = "",
    remote_attendance: bool = False,
) -> Meeting:
    """Correct a draft's kind, date, time or place (empty: the headquarters). A published meeting is refused:
    its members were told. Appeals already on the agenda stay there."""
    _check_board(by)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_draft(locked)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a date and time in the future.")})
    locked.kind = kind
    locked.starts_at = starts_at
    locked.place_ar = place_ar.strip() or settings.ASSEMBLY_HEADQUARTERS_AR
    locked.place_en = place_en.strip() or settings.ASSEMBLY_HEADQUARTERS_EN
    locked.remote_attendance = bool(remote_attendance and settings.ASSEMBLY_REMOTE_ATTENDANCE)
    locked.full_clean()
    locked.save()
    add_pending_appeals(meeting=locked)
    return locked


def add_pending_appeals(*, meeting: Meeting) -> list[AgendaItem]:
    """Put every appeal against a board decision (GOV-03) filed and not yet on an agenda on this ordinary meeting's
    agenda, oldest first (Law art. 24.7: the ordinary Assembly decides them). Withdrawn (cancelled) or rejected
    appeals are left out. Named by request number only: the agenda is read by every member. Returns the new items.
    Call inside the transaction that holds the meeting; an appeal lands on one agenda only (a unique key)."""
    if meeting.kind != Meeting.Kind.ORDINARY or meeting.status != Meeting.Status.DRAFT:
        return []
    appeals = (
        ServiceRequest.objects.filter(request_type__code=APPEAL_SERVICE)
        .exclude(status__in=[ServiceRequest.Status.CANCELLED, ServiceRequest.Status.REJECTED])
        .exclude(pk__in=AgendaItem.objects.filter(appeal__isnull=False).values("appeal_id"))
        .order_by("submitted_at", "pk")
    )
    last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
    items = []
    for order, appeal in enumerate(appeals, start=last + 1):
        items.append(
            AgendaItem.objects.create(
                meeting=meeting,
                kind=AgendaItem.Kind.APPEAL,
                order=order,
                appeal=appeal,
                title_ar=f"التظلم رقم {appeal.reference_no} من قرار مجلس الإدارة",
                title_en=f"Appeal {appeal.reference_no} against a board decision",
            )
        )
    return items


@transaction.atomic
def add_agenda_item(*, meeting: Meeting, by: User, kind: str, title_ar: str, title_en: str) -> AgendaItem:
    """Add an item at the end of a draft meeting's agenda, titled in Arabic and English."""
    _check_board(by)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_draft(locked)
    errors = {}
    if not title_ar.strip():
        errors["title_ar"] = [_("Write the item's title in Arabic.")]
    if not title_en.strip():
        errors["title_en"] = [_("Write the item's title in English.")]
    if errors:
        raise ValidationError(errors)
    last = locked.agenda_items.aggregate(last=Max("order"))["last"] or 0
    item = AgendaItem(meeting=locked, kind=kind, order=last + 1, title_ar=title_ar.strip(), title_en=title_en.strip())
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def remove_agenda_item(*, item: AgendaItem, by: User) -> None:
    """Take an item off a draft meeting's agenda; the items after it move up one place."""
    _check_board(by)
    locked = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _check_draft(locked)
    if item.appeal_id is not None:
        raise ValidationError(
            _("An appeal against a board decision goes to the General Assembly: it cannot be taken off the agenda."),
            code="appeal",
        )
    AgendaItem.objects.filter(pk=item.pk).delete()
    for order, pk in enumerate(locked.agenda_items.order_by("order").values_list("pk", flat=True), start=1):
        AgendaItem.objects.filter(pk=pk).update(order=order)


def eligible_members():
    """Who belongs to the Assembly today: active members holding paid-up shares."""
    return Member.objects.filter(status=Member.Status.ACTIVE, shares__gt=0)


@transaction.atomic
def publish_notice(*, meeting: Meeting, by: User) -> int:
    """Publish a draft meeting's notice: refuses a meeting less than ASSEMBLY_NOTICE_DAYS ahead or without an
    agenda (nothing changes). Writes the eligible members as the register stands today (the record date) and, after
    commit, queues the notice to each of them (`assembly.tasks.send_meeting_notice`). Returns how many are eligible.

    Once only: the meeting's row is locked, so a second publish (a double click, two board members at once) waits
    and is refused as already published; the list is written once and the notice queued once.
    """
    _check_board(by)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_draft(locked)
    notice_days = settings.ASSEMBLY_NOTICE_DAYS
    if days_ahead(locked.starts_at) < notice_days:
        raise ValidationError(
            _(
                "The notice must reach the members at least %(days)s days before the meeting: choose a later date "
                "or publish sooner. Nothing was published."
            )
            % {"days": notice_days},
            code="too_late",
        )
    add_pending_appeals(meeting=locked)  # an appeal filed since the draft was written
    if not locked.agenda_items.exists():
        raise ValidationError(_("Add at least one agenda item before publishing the notice."), code="no_agenda")
    rows = [
        EligibleMember(meeting=locked, member_id=pk, membership_no=membership_no, shares=shares)
        for pk, membership_no, shares in eligible_members()
        .order_by("pk")
        .values_list("pk", "membership_no", "shares")
        .iterator()
    ]
    EligibleMember.objects.bulk_create(rows, batch_size=2000)
    locked.status = Meeting.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = by
    locked.record_date = timezone.localdate()
    locked.save(update_fields=["status", "published_at", "published_by", "record_date"])
    from assembly import tasks

    after_commit(tasks.send_meeting_notice, locked.pk)
    return len(rows)
