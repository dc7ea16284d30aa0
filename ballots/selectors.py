"""Reads for the ballot pages, scoped to who asks: a member reaches only the slots they may use."""

from django.db.models import Exists, OuterRef, Q, QuerySet

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
    """What the member may vote on now at this meeting: their own first, then the principal's."""
    slots = usable_slots(member).filter(question__meeting=meeting, question__status=Question.Status.OPEN)
    return sorted(slots, key=lambda slot: (slot.question_id, slot.member_id != member.pk))
