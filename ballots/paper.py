"""Paper ballots in the room (issue 18 item 5): who may vote on paper, and two officers' counts of them.

Online voting on a question ends when the meeting begins (ballots.voting.check_open refuses every opening and cast
from the meeting's start). In the room, a member counted as there (assembly.attendance: in person, or represented
by the present holder of their accepted proxy) whose slot on the question was used online gets no paper ballot for
it: the door desk shows "voted online" (`marks`), from `Slot.issued` alone, which never says how.

Two officers count the paper ballots and each enters the counts, like an open vote's (assembly.conduct):
  - the first entry waits (logged "entered" in the meeting's hash chain); its officer may correct it;
  - a second officer who enters the same counts confirms it (logged "confirmed"): only then does it join the tally;
  - a second entry that differs confirms nothing and records nothing counted: both officers see the difference on
    the page (`PaperCount.disputed`) and count again; the same officer cannot confirm their own entry.
The counts are checked: no more paper ballots (valid and spoiled) than the members there who did not vote online;
an election ballot with more choices than seats is spoiled, entered as spoiled. The question's row lock (the one
every cast and the close take) serialises two officers confirming at once: one confirmation, the other refused.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assembly import conduct
from assembly.attendance import attendance, counted_member_ids
from assembly.models import Meeting
from ballots import log
from ballots.models import LogEntry, PaperCount, Question, Slot
from members.models import User


def allowed_on_paper(question: Question) -> int:
    """How many members may vote on paper now: those counted as there whose slot was not used online."""
    there = counted_member_ids(question.meeting)
    used = Slot.objects.filter(question=question, issued=True, member_id__in=there).count()
    return len(there) - used


def marks(meeting: Meeting, member_ids: list[int]) -> dict[int, list[tuple[Question, bool]]]:
    """For each member, each secret question still open at the meeting (the ones the room votes on) and whether
    their slot was used online (True: no paper ballot for it). From `Slot.issued` only: THAT a slot was used, never
    what was voted."""
    questions = list(Question.objects.filter(meeting=meeting, status=Question.Status.OPEN).order_by("pk"))
    used = set(
        Slot.objects.filter(question__in=questions, member_id__in=member_ids, issued=True).values_list(
            "question_id", "member_id"
        )
    )
    return {member: [(question, (question.pk, member) in used) for question in questions] for member in member_ids}


def payload(count: PaperCount) -> dict:
    """The paper count as the log and the record publish it: votes per option in the ballot's order."""
    order = count.question.options.order_by("order").values_list("pk", flat=True)
    return {
        "votes": [{"option": option, "votes": count.votes.get(str(option), 0)} for option in order],
        "ballots": count.ballots,
        "spoiled": count.spoiled,
        "allowed": count.allowed,
    }


def confirmed(question: Question) -> PaperCount | None:
    return PaperCount.objects.filter(question=question, confirmed_at__isnull=False).first()


@dataclass
class Entry:
    """One officer's counts, as typed: votes per option id, valid ballots (elections), spoiled ballots."""

    votes: dict[int, int]
    spoiled: int
    ballots: int | None = None
    problems: list[str] = field(default_factory=list)


def _check_counts(question: Question, entry: Entry, allowed: int) -> int:
    """The number of valid paper ballots, or a refusal naming what does not add up."""
    options = set(question.options.values_list("pk", flat=True))
    if set(entry.votes) != options:
        raise ValidationError(_("Enter a count for every option on the ballot."), code="options")
    if min([entry.spoiled, *entry.votes.values()]) < 0 or (entry.ballots is not None and entry.ballots < 0):
        raise ValidationError(_("A count cannot be below zero."), code="negative")
    total = sum(entry.votes.values())
    if question.kind == Question.Kind.ITEM:
        ballots = total  # a valid ballot on an item holds one choice
    else:
        ballots = entry.ballots if entry.ballots is not None else 0
        if any(votes > ballots for votes in entry.votes.values()):
            raise ValidationError(
                _("A candidate has more votes than there are valid paper ballots (%(ballots)s).")
                % {"ballots": ballots},
                code="above_ballots",
            )
        if total > ballots * question.seats:
            raise ValidationError(
                _(
                    "The votes add up to %(total)s, more than %(ballots)s valid ballots of at most %(seats)s choices "
                    "each can hold. A ballot with more choices than seats is spoiled: count it as spoiled."
                )
                % {"total": total, "ballots": ballots, "seats": question.seats},
                code="above_seats",
            )
        if total < ballots:
            raise ValidationError(
                _(
                    "Each valid ballot names at least one candidate: %(ballots)s ballots need at least %(ballots)s "
                    "votes."
                )
                % {"ballots": ballots},
                code="below_ballots",
            )
    if ballots + entry.spoiled > allowed:
        raise ValidationError(
            _(
                "%(counted)s paper ballots (%(spoiled)s of them spoiled) are more than the %(allowed)s members present "
                "in person or by proxy who did not vote online on this question. Nothing was recorded."
            )
            % {"counted": ballots + entry.spoiled, "spoiled": entry.spoiled, "allowed": allowed},
            code="above_allowed",
        )
    return ballots


def _check_room(question: Question, by: User) -> None:
    if not conduct.is_officer(by):
        raise ValidationError(_("Only the board's officers enter the paper counts."), code="permission")
    if question.status == Question.Status.DRAFT:
        raise ValidationError(_("Voting on this question was never opened."), code="draft")
    if question.status == Question.Status.CLOSED:
        raise ValidationError(_("Voting on this question is closed: its counts can no longer change."), code="closed")
    meeting = question.meeting
    if not conduct.in_session(meeting) or timezone.now() < meeting.starts_at:
        raise ValidationError(
            _("Paper ballots are counted in the room, once the meeting has begun and online voting has closed."),
            code="not_in_room",
        )
    if meeting.chair_id is None:
        raise ValidationError(_("Elect the meeting's chair first: nothing is decided before."), code="no_chair")
    seen = attendance(meeting)
    if not seen.quorum_met:
        raise ValidationError(
            _("The quorum is not met (%(counted)s present of the %(needed)s needed): nothing can be decided.")
            % {"counted": seen.counted, "needed": seen.needed},
            code="no_quorum",
        )


def differences(first: dict, second: dict, question: Question) -> list[str]:
    """What differs between two entries (payloads), in words, the second's value first."""
    labels = {option.pk: option.label for option in question.options.all()}
    found = []
    for mine, theirs in zip(second["votes"], first["votes"], strict=True):
        if mine["votes"] != theirs["votes"]:
            found.append((labels.get(mine["option"], "?"), mine["votes"], theirs["votes"]))
    for key, what in (("ballots", _("Valid ballots")), ("spoiled", _("Spoiled ballots")), ("allowed", _("May vote"))):
        if first[key] != second[key] and not (key == "ballots" and question.kind == Question.Kind.ITEM):
            found.append((what, second[key], first[key]))
    return [
        _("%(what)s: %(second)s in the second entry, %(first)s in the first")
        % {"what": what, "second": second_value, "first": first_value}
        for what, second_value, first_value in found
    ]


def _join(texts: list[str]) -> str:
    return ("؛ " if translation.get_language() == "ar" else "; ").join(texts)


@transaction.atomic
def _enter(*, question_id: int, by: User, entry: Entry) -> tuple[PaperCount, list[str]]:
    question = Question.objects.select_for_update().select_related("meeting").get(pk=question_id)
    _check_room(question, by)
    allowed = allowed_on_paper(question)
    ballots = _check_counts(question, entry, allowed)
    values = {
        "votes": {str(option): votes for option, votes in entry.votes.items()},
        "ballots": ballots,
        "spoiled": entry.spoiled,
        "allowed": allowed,
    }
    count = PaperCount.objects.filter(question=question).first()
    if count is not None and count.is_confirmed:
        raise ValidationError(_("The paper count of this question is already confirmed."), code="confirmed")
    if count is not None and count.entered_by_id != by.pk:
        second = payload(PaperCount(question=question, **values))
        found = differences(payload(count), second, question)
        if found:
            count.disputed = {"by": by.pk, "name": by.get_full_name() or by.get_username(), **second}
            count.save(update_fields=["disputed"])
            return count, found
        count.confirmed_by, count.confirmed_at, count.disputed = by, timezone.now(), None
        count.save(update_fields=["confirmed_by", "confirmed_at", "disputed"])
        log.append(
            meeting=question.meeting,
            action=LogEntry.Action.CONFIRMED,
            by=by,
            payload={"question": question.pk, "officer": by.pk, "paper": payload(count)},
        )
        return count, []
    if count is not None:  # the first officer again: a correction of their own entry, never its confirmation
        unchanged = all(getattr(count, key) == value for key, value in values.items())
        if unchanged:
            raise ValidationError(
                _("You entered this count already: a second officer must enter it to confirm it."), code="same_officer"
            )
    count = count or PaperCount(question=question)
    for key, value in values.items():
        setattr(count, key, value)
    count.entered_by, count.entered_at, count.disputed = by, timezone.now(), None
    count.full_clean(exclude=["question"])
    count.save()
    log.append(
        meeting=question.meeting,
        action=LogEntry.Action.ENTERED,
        by=by,
        payload={"question": question.pk, "officer": by.pk, "paper": payload(count)},
    )
    return count, []


def enter(*, question: Question, by: User, entry: Entry) -> PaperCount:
    """An officer enters the paper counts of a question (see the module's docstring). Refused, nothing counted:
    not an officer, not in the room, before the chair or without the quorum, counts that do not add up or exceed
    those who may vote on paper, the first officer confirming their own entry, a count already confirmed, and a
    second entry that differs (the difference is kept for both officers to see, and named in the refusal)."""
    count, found = _enter(question_id=question.pk, by=by, entry=entry)
    if found:
        raise ValidationError(
            _("Your counts differ from the first officer's, so nothing is confirmed: %(differences)s. Count again.")
            % {"differences": _join(found)},
            code="differ",
        )
    return count
