"""Reads of the General Assembly, scoped to who asks."""

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from assembly.models import AgendaItem, EligibleMember, Meeting
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
    """The member's next published meeting (they are on its eligible list), with its agenda; None when none."""
    if not getattr(user, "is_authenticated", False):
        return None
    upcoming = Meeting.objects.filter(
        status=Meeting.Status.PUBLISHED, starts_at__gt=timezone.now(), eligible__member__user=user
    )
    return with_agenda(upcoming).order_by("starts_at").first()


def changed_since_record_date(meeting: Meeting) -> QuerySet[EligibleMember]:
    """Eligible members the register no longer shows as active with shares: kept on the list, shown to the board."""
    return (
        meeting.eligible.select_related("member")
        .exclude(member__status=Member.Status.ACTIVE, member__shares__gt=0)
        .order_by("membership_no")
    )
