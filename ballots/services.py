"""What officers do with a meeting's secret questions: prepare one, open voting, close it. Each step is an entry in
the meeting's hash-chained log (ballots.log), in the same transaction.

A question is put only to a meeting whose notice is published (the eligible list is frozen at the record date) and
that has not begun. Opening writes one slot per eligible member. Closing writes the tally and a digest of the ballot
list into the log, so the published record commits to exactly the ballots counted; once the meeting has begun it
waits for the room's paper count confirmed by two officers (ballots.paper), which joins the tally.
"""

import hashlib
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import AgendaItem, EligibleMember, Meeting
from ballots import log, nominations, paper, tally
from ballots.models import Ballot, LogEntry, Option, OutgoingSeat, Question, Slot
from members.models import Member, User

# The options of a secret agenda item, in the ballot's order (stored in both languages, like the agenda's titles).
ITEM_OPTIONS = [("موافق", "For"), ("غير موافق", "Against"), ("ممتنع", "Abstain")]


def _check_before_the_meeting(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.PUBLISHED:
        raise ValidationError(
            _("Secret questions are put only to a meeting whose notice is published."), code="not_published"
        )
    if timezone.now() >= meeting.starts_at:
        raise ValidationError(_("This meeting has already begun."), code="begun")


def options_payload(question: Question) -> list[dict]:
    return [
        {
            "id": option.pk,
            "order": option.order,
            "label_ar": option.label_ar,
            "label_en": option.label_en,
            "membership_no": option.candidate.membership_no if option.candidate else None,
        }
        for option in question.options.select_related("candidate").order_by("order")
    ]


@transaction.atomic
def create_question(
    *,
    meeting: Meeting,
    by: User,
    kind: str,
    title_ar: str,
    title_en: str,
    seats: int = 1,
    agenda_item: AgendaItem | None = None,
    candidates: Sequence[Member] | None = None,
    outgoing: Sequence[Member] = (),
) -> Question:
    """Prepare a secret question: an item (for, against, abstain) or an election of `seats` among `candidates`, each
    on the meeting's eligible list: by default the standing nominations (ballots.nominations). `outgoing` are the
    board members whose seats the election fills (they leave the board when the minutes are approved, unless
    elected). An election answers the agenda's board election item. Logged ("created") with its options and the
    outgoing members' numbers."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    _check_before_the_meeting(meeting)
    if kind == Question.Kind.ELECTION:
        candidates, agenda_item = _election_defaults(meeting, candidates=candidates, agenda_item=agenda_item)
    candidates = list(candidates or ())
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("This agenda item belongs to another meeting."), code="other_meeting")
    question = Question(
        meeting=meeting,
        agenda_item=agenda_item,
        kind=kind,
        title_ar=title_ar.strip(),
        title_en=title_en.strip(),
        seats=seats if kind == Question.Kind.ELECTION else 1,
        created_by=by,
    )
    question.full_clean()
    if kind == Question.Kind.ELECTION:
        _check_candidates(question, candidates)
        labels = [(person.full_name_ar, person.full_name_en or person.full_name_ar) for person in candidates]
    else:
        labels, candidates, outgoing = ITEM_OPTIONS, [], ()
    question.save()
    OutgoingSeat.objects.bulk_create(OutgoingSeat(question=question, member=person) for person in outgoing)
    _create_options(question, labels=labels, candidates=candidates)
    _log_created(question, by=by, outgoing=outgoing)
    return question


def _election_defaults(
    meeting: Meeting, *, candidates: Sequence[Member] | None, agenda_item: AgendaItem | None
) -> tuple[Sequence[Member], AgendaItem | None]:
    """What an election stands on when not named: the standing nominations, the agenda's board election item."""
    if candidates is None:
        candidates = nominations.candidates(meeting)
    if agenda_item is None:
        agenda_item = meeting.agenda_items.filter(kind=AgendaItem.Kind.BOARD_ELECTION).order_by("order").first()
    return candidates, agenda_item


def _check_candidates(question: Question, candidates: list[Member]) -> None:
    """Each candidate once, at least as many as the seats, every one on the meeting's eligible list."""
    eligible = set(EligibleMember.objects.filter(meeting=question.meeting).values_list("member_id", flat=True))
    if len({candidate.pk for candidate in candidates}) != len(candidates):
        raise ValidationError(_("A candidate is named twice."), code="candidate_twice")
    if len(candidates) < question.seats:
        raise ValidationError(_("An election needs at least as many candidates as seats."), code="few_candidates")
    if any(candidate.pk not in eligible for candidate in candidates):
        raise ValidationError(_("Every candidate must be on this meeting's list of members."), code="not_eligible")


def _create_options(question: Question, *, labels: list[tuple[str, str]], candidates: list[Member]) -> None:
    """The ballot's options in order from 1; an election's option N is its candidate N."""
    Option.objects.bulk_create(
        Option(
            question=question,
            order=index,
            label_ar=label_ar,
            label_en=label_en,
            candidate=candidates[index - 1] if candidates else None,
        )
        for index, (label_ar, label_en) in enumerate(labels, start=1)
    )


def _log_created(question: Question, *, by: User, outgoing: Sequence[Member]) -> None:
    log.append(
        meeting=question.meeting,
        action=LogEntry.Action.CREATED,
        by=by,
        payload={
            "question": question.pk,
            "kind": question.kind,
            "title_ar": question.title_ar,
            "title_en": question.title_en,
            "seats": question.seats,
            "options": options_payload(question),
            **({"outgoing": sorted(person.membership_no for person in outgoing)} if outgoing else {}),
        },
    )


@transaction.atomic
def open_question(*, question: Question, by: User) -> Question:
    """Open voting: one slot per member on the eligible list. Logged ("opened") with the number of slots."""
    locked = Question.objects.select_for_update().select_related("meeting").get(pk=question.pk)
    if locked.status != Question.Status.DRAFT:
        raise ValidationError(_("Voting on this question has already been opened."), code="opened")
    _check_before_the_meeting(locked.meeting)
    eligible = EligibleMember.objects.filter(meeting=locked.meeting).values_list("member_id", flat=True)
    slots = Slot.objects.bulk_create(Slot(question=locked, member_id=member_id) for member_id in eligible)
    locked.status = Question.Status.OPEN
    locked.opened_at = timezone.now()
    locked.save(update_fields=["status", "opened_at"])
    log.append(
        meeting=locked.meeting,
        action=LogEntry.Action.OPENED,
        by=by,
        payload={"question": locked.pk, "slots": len(slots)},
    )
    return locked


def ballot_rows(question: Question) -> list[dict]:
    """The question's ballots as the record publishes them: by receipt code, with the options and the nonce."""
    return [
        {"receipt": receipt, "options": options, "nonce": nonce}
        for receipt, options, nonce in Ballot.objects.filter(question=question)
        .order_by("receipt")
        .values_list("receipt", "options", "nonce")
    ]


def ballots_digest(rows: list[dict]) -> str:
    return hashlib.sha256(log.canonical(rows)).hexdigest()


def paper_line(question: Question) -> dict | None:
    """The room's confirmed paper count of the question (ballots.paper), or None."""
    count = paper.confirmed(question)
    return paper.payload(count) if count is not None else None


def count(question: Question, rows: list[dict]) -> dict:
    """The tally: the online ballots plus the confirmed paper count."""
    option_ids = list(question.options.order_by("order").values_list("pk", flat=True))
    return tally.count(
        kind=question.kind,
        seats=question.seats,
        option_ids=option_ids,
        ballots=(row["options"] for row in rows),
        paper=paper_line(question),
    )


@transaction.atomic
def close_question(*, question: Question, by: User) -> Question:
    """Close voting. The question's row lock is the one every cast takes, so no ballot lands after this. Logged
    ("closed") with the tally, the number of credentials issued and a digest of the ballot list."""
    locked = Question.objects.select_for_update().select_related("meeting").get(pk=question.pk)
    if locked.status != Question.Status.OPEN:
        raise ValidationError(_("Voting on this question is not open."), code="not_open")
    begun = locked.meeting.status == Meeting.Status.PUBLISHED and timezone.now() >= locked.meeting.starts_at
    if begun and paper.confirmed(locked) is None:
        raise ValidationError(
            _("The meeting has begun: two officers enter the paper ballots' counts before voting closes."),
            code="paper_first",
        )
    locked.status = Question.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    rows = ballot_rows(locked)
    log.append(
        meeting=locked.meeting,
        action=LogEntry.Action.CLOSED,
        by=by,
        payload={
            "question": locked.pk,
            "credentials_issued": Slot.objects.filter(question=locked, issued=True).count(),
            "ballots_digest": ballots_digest(rows),
            "paper": paper_line(locked),
            "tally": count(locked, rows),
        },
    )
    return locked
