"""Voting: a member (or the holder of their accepted proxy) opens voting on a slot and gets a credential, then casts
ballots with it until voting closes.

The two halves never meet in the database:
  - `open_voting` writes the slot (issued, and by which proxy holder) in its own transaction and returns a new
    credential, which is shown to the voter once and stored nowhere (ballots.credentials).
  - `cast` only reads the slot (is it this person's to use, and was this credential made for it?), then stores the
    ballot under the credential's SHA-256 in a transaction that writes nothing else, then reseals.
A second cast with the same credential replaces the ballot: the last counts (issue 18 item 6). We replace rather
than keep the superseded ballot: a kept one, even without a member link, would publish that some voter changed their
mind and what from, which is what a person pressuring a voter wants to check.

Races: two openings of one slot at once issue one credential (a conditional UPDATE); every cast and the close lock
the question's row, so casts of one question queue, none lands after the close, and one credential holds one ballot
(its digest is the primary key).

Nothing here logs: a credential, a digest or a choice never reaches a log line.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assembly import proxies
from assembly.models import Proxy
from ballots import credentials
from ballots.models import Ballot, Question, Slot
from members.models import Member


@dataclass(frozen=True)
class Cast:
    question_id: int
    receipt: str
    replaced: bool


def check_open(question: Question) -> None:
    """Refuse unless voting on the question is open now (online voting ends when the meeting begins)."""
    if question.status == Question.Status.DRAFT:
        raise ValidationError(_("Voting on this question has not opened yet. Nothing was recorded."), code="not_yet")
    if question.status == Question.Status.CLOSED:
        raise ValidationError(_("Voting on this question has closed. Nothing was recorded."), code="closed")
    if timezone.now() >= question.meeting.starts_at:
        raise ValidationError(
            _("Online voting closed when the meeting began. Nothing was recorded."), code="meeting_begun"
        )


def _accepted_proxy(*, meeting_id: int, principal_id: int, holder_id: int | None = None) -> Proxy | None:
    found = Proxy.objects.filter(meeting_id=meeting_id, principal_id=principal_id, status=Proxy.Status.ACCEPTED)
    if holder_id is not None:
        found = found.filter(holder_id=holder_id)
    return found.first()


def holder_for(slot: Slot, by: Member) -> Member | None:
    """Who uses this slot, if `by` may: None for the member's own vote, `by` for a proxy holder's.

    A member who gave an accepted proxy votes through its holder. A holder votes for the principal only while the
    proxy stands, and only from the proxy's cut-off on, when the principal can no longer revoke it: a credential
    once issued cannot be taken back (nothing leads to its ballot), so it is never issued for a proxy that may end.
    """
    meeting = slot.question.meeting
    if slot.member_id == by.pk:
        if _accepted_proxy(meeting_id=meeting.pk, principal_id=by.pk) is not None:
            raise ValidationError(
                _("You appointed a proxy holder for this meeting: they vote for you."), code="gave_proxy"
            )
        return None
    if _accepted_proxy(meeting_id=meeting.pk, principal_id=slot.member_id, holder_id=by.pk) is None:
        raise ValidationError(
            _("You do not hold this member's proxy: you cannot vote for them. Nothing was recorded."),
            code="no_proxy",
        )
    if timezone.now() < proxies.cut_off(meeting):
        raise ValidationError(
            _(
                "You can vote for the member you represent in the last %(hours)s hours before the meeting, when their "
                "proxy can no longer be revoked."
            )
            % {"hours": settings.ASSEMBLY_PROXY_CUTOFF_HOURS},
            code="before_cut_off",
        )
    return by


@transaction.atomic
def open_voting(*, slot: Slot, by: Member) -> str:
    """Issue the slot's credential, once: returns it for the voter's screen (never stored). Records only that it was
    issued, and by which proxy holder. A second opening, even at the same instant, is refused."""
    slot = Slot.objects.select_related("question__meeting").get(pk=slot.pk)
    check_open(slot.question)
    holder = holder_for(slot, by)
    try:
        with transaction.atomic():
            claimed = Slot.objects.filter(pk=slot.pk, issued=False).update(issued=True, holder=holder)
    except IntegrityError as error:  # the holder already opened another member's slot on this question
        raise ValidationError(
            _("You have already voted for another member on this question."), code="holds_one"
        ) from error
    if not claimed:
        raise ValidationError(
            _("Voting was already opened for this vote: use the voting code you were given then."), code="issued"
        )
    return credentials.issue(slot.pk)


def _checked_options(question: Question, option_ids: list[int]) -> list[int]:
    if not option_ids:
        raise ValidationError(_("Choose at least one option. Nothing was recorded."), code="empty")
    if len(set(option_ids)) != len(option_ids):
        raise ValidationError(_("An option was chosen twice. Nothing was recorded."), code="twice")
    if len(option_ids) > question.seats:
        raise ValidationError(
            ngettext(
                "This ballot takes at most %(seats)d choice; you chose %(chosen)d. Nothing was recorded.",
                "This ballot takes at most %(seats)d choices; you chose %(chosen)d. Nothing was recorded.",
                question.seats,
            )
            % {"seats": question.seats, "chosen": len(option_ids)},
            code="too_many",
        )
    known = set(question.options.values_list("pk", flat=True))
    if not set(option_ids) <= known:
        raise ValidationError(_("A choice is not on this ballot. Nothing was recorded."), code="unknown_option")
    return sorted(option_ids)


def _hour(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def _store(*, question_id: int, digest: str, options: list[int]) -> Cast:
    """Write the ballot, and nothing else, in its own transaction, under the question's row lock."""
    question = Question.objects.select_for_update().select_related("meeting").get(pk=question_id)
    check_open(question)
    existing = Ballot.objects.filter(pk=digest).first()
    if existing is not None and existing.question_id != question.pk:
        raise ValidationError(_("This voting code is not for this question. Nothing was recorded."), code="other")
    nonce = credentials.new_nonce()
    receipt = credentials.receipt(question.pk, options, nonce)
    while Ballot.objects.filter(question=question, receipt=receipt).exclude(pk=digest).exists():
        nonce = credentials.new_nonce()
        receipt = credentials.receipt(question.pk, options, nonce)
    Ballot.objects.update_or_create(
        digest=digest,
        defaults={
            "question": question,
            "options": options,
            "nonce": nonce,
            "receipt": receipt,
            "cast_hour": _hour(timezone.now()),
        },
    )
    return Cast(question_id=question.pk, receipt=receipt, replaced=existing is not None)


def cast(*, slot: Slot, by: Member, credential: str, option_ids: list[int]) -> Cast:
    """Cast (or cast again) the ballot of a slot whose credential `by` was given. Refused, nothing stored: voting not
    open, a slot not theirs to use (a proxy revoked), a credential not made for this slot, more choices than seats,
    an option twice or not on the ballot. Then the question's ballots are resealed."""
    slot = Slot.objects.select_related("question__meeting").get(pk=slot.pk)
    question = slot.question
    check_open(question)
    holder = holder_for(slot, by)
    if not slot.issued or slot.holder_id != (holder.pk if holder else None):
        raise ValidationError(_("Voting was not opened for this vote by you. Nothing was recorded."), code="not_opened")
    if not credentials.belongs(credential, slot.pk):
        raise ValidationError(
            _("This voting code is not the one issued for this vote. Nothing was recorded."), code="wrong_credential"
        )
    options = _checked_options(question, option_ids)
    result = _store(question_id=question.pk, digest=credentials.digest(credential), options=options)
    reseal(question_id=question.pk)
    return result


@transaction.atomic
def reseal(*, question_id: int) -> int:
    """Rewrite the question's ballots in a random order, together.

    Why: every row carries the id of the transaction that wrote it (PostgreSQL's `xmin`) and rows sit in the table
    in the order they were written; compared with the order slots were opened in, either would hint at whose ballot
    is whose. Rewritten all at once in a shuffled order, the ballots share one new `xmin` and their order says nothing
    (surveys' reseal_anonymous_rows does the same for anonymous answers). Under the question's row lock, like every
    cast. Returns how many ballots were rewritten.
    """
    Question.objects.select_for_update().only("pk").get(pk=question_id)
    rows = list(Ballot.objects.filter(question_id=question_id))
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.filter(question_id=question_id).delete()
    Ballot.objects.bulk_create(rows, batch_size=500)
    return len(rows)
