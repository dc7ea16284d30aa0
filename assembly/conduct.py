"""Holding a General Assembly meeting on its day: electing the chair, the decisions, closing it (Law art. 22 and 26).

The order is the law's: the members present elect a chair first; nothing is decided before. Every decision needs
the quorum (assembly.attendance, the one count of who is there) and is taken by a majority of those present
(assembly.voting, the one rule). Each item's open vote is counted in the room and entered by TWO officers who
must agree: the first entry waits, the second confirms it when it is the same, and is refused, naming the
difference, when it is not.

Officers: the board's members, and the supervisors of the department that handles the General Assembly's requests
(governance, the board's secretariat), who keep the record of the meeting. Only the board elects the chair and
closes the meeting.

An appeal against a board decision (GOV-03) on the agenda is decided by the Assembly: confirming its vote completes
the appeal's request (upheld) or rejects it, through requests_app's own moves, by an officer the request's workflow
allows (the governance department's); the member is told as for any move. Nothing is recorded when that move is
refused: the officer reads why.
"""

from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assembly import slots, voting
from assembly.attendance import attendance
from assembly.models import AgendaItem, Decision, Meeting, Registration
from members.models import Member, User
from members.roles import Role, has_role
from members_portal.enqueue import after_commit
from members_portal.templatetags.hijri import dual_date_text
from requests_app import services as request_services
from requests_app import workflow
from requests_app.access import scope_of
from requests_app.models import RequestType, ServiceRequest

APPEAL_SERVICE = "GOV-03"


def is_officer(user: User) -> bool:
    """A board member, or a supervisor of the department that handles the Assembly's requests."""
    if has_role(user, Role.BOARD):
        return True
    department_id = RequestType.objects.filter(code=APPEAL_SERVICE).values_list("department_id", flat=True).first()
    return department_id is not None and scope_of(user).supervises(department_id)


def in_session(meeting: Meeting) -> bool:
    """The meeting is being held: its notice is published and today is its day (Riyadh)."""
    return meeting.status == Meeting.Status.PUBLISHED and timezone.localdate(meeting.starts_at) == timezone.localdate()


def _check_in_session(meeting: Meeting) -> None:
    if not in_session(meeting):
        raise ValidationError(_("The meeting is not being held: it is held on its own day."), code="not_in_session")


def _check_quorum(meeting: Meeting):
    seen = attendance(meeting)
    if not seen.quorum_met:
        raise ValidationError(
            _("The quorum is not met (%(counted)s present of the %(needed)s needed): nothing can be decided.")
            % {"counted": seen.counted, "needed": seen.needed},
            code="no_quorum",
        )
    return seen


@transaction.atomic
def elect_chair(*, meeting: Meeting, by: User, membership_no: str, votes: int) -> Meeting:
    """Record the chair the members present elected (Law art. 26), with the votes for them: a member present in
    person; the votes between 1 and those present. The quorum first. Once: a chair elected is not replaced here.
    Board only."""
    if not has_role(by, Role.BOARD):
        raise ValidationError(_("Only the board records the chair's election."), code="permission")
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_in_session(locked)
    if locked.chair_id is not None:
        raise ValidationError(_("The meeting already has its chair."), code="has_chair")
    seen = _check_quorum(locked)
    chair = Member.objects.filter(membership_no=(membership_no or "").strip()).first()
    if chair is None or not Registration.objects.filter(meeting=locked, member=chair).exists():
        raise ValidationError(
            {"membership_no": _("No member present at the meeting has this membership number.")}, code="not_present"
        )
    if votes < 1 or votes > seen.counted:
        raise ValidationError(
            {"votes": _("The votes must be between 1 and the %(counted)s members present.") % {"counted": seen.counted}}
        )
    locked.chair, locked.chair_votes, locked.chair_elected_by = chair, votes, by
    locked.save(update_fields=["chair", "chair_votes", "chair_elected_by"])
    return locked


FIELDS = ("votes_for", "votes_against", "abstentions", "chair_side")


def _field_labels() -> dict[str, str]:
    return {
        "votes_for": _("For"),
        "votes_against": _("Against"),
        "abstentions": _("Abstained"),
        "chair_side": _("The chair's vote"),
    }


def _show(field: str, value) -> str:
    if field == "chair_side":
        return str(Decision.Side(value).label) if value else "—"
    return str(value)


class Entry(TypedDict):
    """An officer's counts of one item's open vote, and the chair's side on a tie (else "")."""

    votes_for: int
    votes_against: int
    abstentions: int
    chair_side: str


@transaction.atomic
def enter_counts(
    *, item: AgendaItem, by: User, votes_for: int, votes_against: int, abstentions: int, chair_side: str = ""
) -> Decision:
    """An officer enters the counts of one item's open vote.

    The first entry waits for a second officer (the same officer entering again corrects their own entry). The
    second confirms it when every count (and, on a tie, the chair's vote) is the same, and the result is written
    (assembly.voting); otherwise it is refused with the difference named, and the first entry still waits.
    Refused, nothing written: an officer who is not one, before the chair, without the quorum, counts below zero
    or above those present, a tie without the chair's vote, an item already decided. An appeal's request moves
    when its decision is confirmed (see the module's docstring). The meeting's row is locked: two officers
    entering at once are taken one after the other.
    """
    if not is_officer(by):
        raise ValidationError(_("Only the board's officers enter the counts."), code="permission")
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _check_in_session(meeting)
    if meeting.chair_id is None:
        raise ValidationError(_("Elect the meeting's chair first: nothing is decided before."), code="no_chair")
    seen = _check_quorum(meeting)
    entry = _checked_entry(
        present=seen.counted,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        chair_side=chair_side,
    )
    decision = Decision.objects.filter(item=item).first()
    if decision is None or (not decision.is_confirmed and decision.entered_by_id == by.pk):
        return _save_first_entry(decision or Decision(item=item, entered_by=by), entry=entry, present=seen.counted)
    if decision.is_confirmed:
        raise ValidationError(_("This item is already decided."), code="decided")
    _check_same_as_first_entry(decision, entry=entry, present=seen.counted)
    _confirm(decision, entry=entry, by=by)
    if item.appeal_id:
        _decide_appeal(item=item, decision=decision, officers=[by, decision.entered_by])
    return decision


def _checked_entry(*, present: int, votes_for: int, votes_against: int, abstentions: int, chair_side: str) -> Entry:
    """The counts as entered, refused below zero, above those `present`, or on a tie without the chair's vote among
    them; the chair's side is kept only on a tie."""
    counts = {"votes_for": votes_for, "votes_against": votes_against, "abstentions": abstentions}
    if min(counts.values()) < 0:
        raise ValidationError(_("A count cannot be below zero."), code="negative")
    if sum(counts.values()) > present:
        raise ValidationError(
            _("The counts add up to %(total)s, more than the %(counted)s members present in person or by proxy.")
            % {"total": sum(counts.values()), "counted": present},
            code="above_present",
        )
    tie = voting.is_tie(votes_for=votes_for, present=present)
    if tie and chair_side not in Decision.Side.values:
        raise ValidationError(
            _("Half of those present voted for: on a tie the chair's side wins. Say how the chair voted."),
            code="tie_needs_chair",
        )
    chair_side = chair_side if tie else ""
    if tie and counts[{"for": "votes_for", "against": "votes_against", "abstain": "abstentions"}[chair_side]] < 1:
        raise ValidationError(_("The chair's vote is not among the counts entered."), code="chair_not_counted")
    return Entry(votes_for=votes_for, votes_against=votes_against, abstentions=abstentions, chair_side=chair_side)


def _save_first_entry(decision: Decision, *, entry: Entry, present: int) -> Decision:
    """Write (or let its officer correct) the first entry, which waits for a second officer."""
    for field, value in entry.items():
        setattr(decision, field, value)
    decision.present = present
    decision.full_clean()
    decision.save()
    return decision


def _check_same_as_first_entry(decision: Decision, *, entry: Entry, present: int) -> None:
    """Refuse a second entry that differs from the first, naming every difference (and a change in those present)."""
    differences = [
        _("%(what)s: %(yours)s entered now, %(theirs)s in the first entry")
        % {
            "what": _field_labels()[field],
            "yours": _show(field, value),
            "theirs": _show(field, getattr(decision, field)),
        }
        for field, value in entry.items()
        if getattr(decision, field) != value
    ]
    if decision.present != present:
        differences.append(
            _("Those present: %(now)s now, %(then)s at the first entry") % {"now": present, "then": decision.present}
        )
    if differences:
        raise ValidationError(
            _("Your counts differ from the first officer's, so nothing is confirmed: %(differences)s. Count again.")
            % {"differences": "؛ ".join(differences) if translation.get_language() == "ar" else "; ".join(differences)},
            code="differ",
        )


def _confirm(decision: Decision, *, entry: Entry, by: User) -> None:
    """The second officer's matching entry confirms the decision; its result is assembly.voting's."""
    result = voting.outcome(present=decision.present, **entry)
    decision.adopted = result.adopted
    decision.confirmed_by = by
    decision.confirmed_at = timezone.now()
    decision.save(update_fields=["adopted", "confirmed_by", "confirmed_at"])


def _decide_appeal(*, item: AgendaItem, decision: Decision, officers: list[User]) -> None:
    """The Assembly's decision on an appeal completes (upheld) or rejects its request, by requests_app's moves; the
    member is told by the move's own notice. The first of the two officers the workflow allows makes the move."""
    assert item.appeal_id is not None  # enter_counts decides an appeal only for an appeal's item
    appeal = ServiceRequest.objects.select_related("member", "request_type").get(pk=item.appeal_id)
    to = ServiceRequest.Status.COMPLETED if decision.adopted else ServiceRequest.Status.REJECTED
    mover = next((officer for officer in officers if workflow.may_move(officer, appeal, to)), None)
    if mover is None:
        raise ValidationError(
            _(
                "The General Assembly's decision on appeal %(reference)s must be recorded on the request by the "
                "department that handles it: one of the two officers must be its supervisor, and the request must "
                "be under review or in progress (it is “%(status)s”). Nothing is confirmed."
            )
            % {"reference": appeal.reference_no, "status": appeal.get_status_display()},
            code="appeal_not_movable",
        )
    with translation.override(appeal.member.language or "ar"):
        text = _(
            "The General Assembly decided on your appeal in its meeting of %(date)s: %(for)s for, %(against)s "
            "against, %(abstain)s abstained, of %(present)s present."
        ) % {
            "date": dual_date_text(item.meeting.starts_at),
            "for": decision.votes_for,
            "against": decision.votes_against,
            "abstain": decision.abstentions,
            "present": decision.present,
        }
        head = _("Your appeal is upheld.") if decision.adopted else _("Your appeal is not upheld.")
    if decision.adopted:
        request_services.complete_request(service_request=appeal, by=mover, outcome=f"{head}\n{text}")
    else:
        request_services.reject_request(service_request=appeal, by=mover, reason=f"{head}\n{text}")


@transaction.atomic
def close_meeting(*, meeting: Meeting, by: User) -> Meeting:
    """Close the meeting held today: it is held (Status.HELD) and, after commit, its minutes are rendered and sent to
    every eligible member (assembly.tasks.issue_minutes). Refused before the chair or while an item is undecided.
    Once: the row is locked, a second close (a double click, two board members) is refused as already held and
    queues nothing; the task itself renders and sends once (assembly.minutes). Board only."""
    if not has_role(by, Role.BOARD):
        raise ValidationError(_("Only the board closes the meeting."), code="permission")
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status == Meeting.Status.HELD:
        raise ValidationError(_("The meeting is already closed."), code="closed")
    _check_in_session(locked)
    if locked.chair_id is None:
        raise ValidationError(_("Elect the meeting's chair first: nothing is decided before."), code="no_chair")
    secret = slots.items_decided_in_secret(locked)
    undecided = locked.agenda_items.exclude(decision__confirmed_at__isnull=False).exclude(pk__in=secret).count()
    if undecided:
        raise ValidationError(
            _("Every agenda item needs its confirmed decision before the meeting is closed (%(count)s left).")
            % {"count": undecided},
            code="undecided",
        )
    locked.status = Meeting.Status.HELD
    locked.closed_at = timezone.now()
    locked.closed_by = by
    locked.save(update_fields=["status", "closed_at", "closed_by"])
    from assembly import tasks

    after_commit(tasks.issue_minutes, locked.pk)
    return locked
