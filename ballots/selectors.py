"""Reads for the ballot pages, scoped to who asks: a member reaches only the slots they may use."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from assembly.models import Meeting, Proxy
from ballots.models import Question, Slot
from members.models import Member


def usable_slots(member: Member) -> QuerySet[Slot]:
    """The member's own slots, and the slot of each member whose accepted proxy they hold (for that meeting)."""
    held = Proxy.objects.filter(
        holder=member,
        status=Proxy.Status.ACCEPTED,
        meeting_id=OuterRef("question__meeting_id"),
        principal_id=OuterRef("member_id"),
    )
    return Slot.objects.filter(Q(member=member) | Q(Exists(held))).select_related("question__meeting", "member")


def open_slots(member: Member, meeting: Meeting) -> list[Slot]:
    """What the member may vote on online now at this meeting: their own first, then the principal's. Nothing once
    the meeting has begun: online voting ends then, and the room votes on paper (ballots.paper)."""
    slots = usable_slots(member).filter(
        question__meeting=meeting,
        question__status=Question.Status.OPEN,
        question__meeting__starts_at__gt=timezone.now(),
    )
    return sorted(slots, key=lambda slot: (slot.question_id, slot.member_id != member.pk))


def meetings_open_to(member: Member) -> list[Meeting]:
    """The meetings, not yet begun, with a secret question open on which the member may vote (one query)."""
    slots = usable_slots(member).filter(question__status=Question.Status.OPEN)
    return list(
        Meeting.objects.filter(pk__in=slots.values("question__meeting_id"), starts_at__gt=timezone.now()).order_by(
            "starts_at"
        )
    )


def meetings_for_officers() -> list[Meeting]:
    """The published meetings not yet begun: those whose secret questions the board may still prepare and open."""
    return list(
        Meeting.objects.filter(status=Meeting.Status.PUBLISHED, starts_at__gt=timezone.now()).order_by("starts_at")
    )
