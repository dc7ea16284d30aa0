"""Reads of the General Assembly, scoped to who asks."""

import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from assembly.attendance import attendance
from assembly.models import AgendaItem, Decision, Document, EligibleMember, Meeting
from members.models import Member, User
from members.roles import Role, has_role


def with_agenda(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings with their agenda in order, each appeal's request joined (its number is the item's title)."""
    return meetings.prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("appeal").order_by("order"))
    )


def meetings_for_board() -> QuerySet[Meeting]:
    return Meeting.objects.annotate(items=Count("agenda_items", distinct=True)).order_by("-starts_at", "-pk")


def meeting_for_member(user: User, pk: int) -> QuerySet[Meeting]:
    """A published meeting the member is on the eligible list of; the board sees every published one."""
    meetings = Meeting.objects.exclude(status=Meeting.Status.DRAFT).filter(pk=pk)
    if has_role(user, Role.BOARD):
        return meetings
    return meetings.filter(eligible__member__user=user)


def next_meeting_for(user: User) -> Meeting | None:
    """The member's next published meeting (they are on its eligible list), with its agenda and its published
    documents (`published_documents`); None when none. A meeting stays "next" all through its day, until it is held
    or adjourned: the member opens their pass at the door after the hour has begun."""
    if not getattr(user, "is_authenticated", False):
        return None
    today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    upcoming = Meeting.objects.filter(
        status=Meeting.Status.PUBLISHED, starts_at__gte=today, eligible__member__user=user
    )
    published = Document.objects.filter(published_at__isnull=False).order_by("kind")
    upcoming = upcoming.prefetch_related(Prefetch("documents", queryset=published, to_attr="published_documents"))
    return with_agenda(upcoming).order_by("starts_at").first()


def changed_since_record_date(meeting: Meeting) -> QuerySet[EligibleMember]:
    """Eligible members the register no longer shows as active with shares: kept on the list, shown to the board."""
    return (
        meeting.eligible.select_related("member")
        .exclude(member__status=Member.Status.ACTIVE, member__shares__gt=0)
        .order_by("membership_no")
    )


def meetings_today_for_desk(user: User) -> list[Meeting]:
    """Published meetings held today (Riyadh), for staff and the board: the door desk's way in."""
    if not has_role(user, Role.STAFF, Role.BOARD):
        return []
    today = timezone.localdate()
    return list(Meeting.objects.filter(status=Meeting.Status.PUBLISHED, starts_at__date=today).order_by("starts_at"))


def meeting_day(meeting: Meeting) -> dict:
    """What the board's meeting page shows about the day: attendance from the meeting's date, the adjournment's links;
    `may_adjourn` when the meeting has begun without its quorum (assembly.adjournment decides, this only offers)."""
    values: dict = {"meeting": meeting, "adjourned_to": Meeting.objects.filter(adjourned_from=meeting).first()}
    if meeting.status != Meeting.Status.PUBLISHED or timezone.localdate(meeting.starts_at) > timezone.localdate():
        return values
    seen = attendance(meeting)
    begun = timezone.now() >= meeting.starts_at
    values |= {
        "seen": seen,
        "begun": begun,
        "may_adjourn": begun and not meeting.adjourned_from_id and not seen.quorum_met,
    }
    return values


def decisions_of(meeting: Meeting) -> dict:
    """The meeting's decisions by agenda item id, with who entered and confirmed them."""
    decisions = Decision.objects.filter(item__meeting=meeting).select_related("entered_by", "confirmed_by")
    return {decision.item_id: decision for decision in decisions}


def minutes_for(user: User, *, limit: int = 5) -> QuerySet[Meeting]:
    """Held meetings whose minutes are ready that this member was eligible for (the board: every one), newest
    first."""
    if not getattr(user, "is_authenticated", False):
        return Meeting.objects.none()
    held = Meeting.objects.filter(status=Meeting.Status.HELD).exclude(minutes="")
    if not has_role(user, Role.BOARD):
        held = held.filter(eligible__member__user=user)
    return held.order_by("-starts_at", "-pk")[:limit]
