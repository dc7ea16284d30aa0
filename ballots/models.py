"""Secret ballots of the General Assembly (issue 18): board elections and the items the Assembly votes on in secret.

Secrecy is the shape of the data. "Who voted" and "what was voted" live in two tables with nothing between them:
  - `Slot`: one per eligible member per question (the holder of an accepted proxy opens the principal's, a second,
    separate slot: the law's cap of one proxy is the unique (question, holder) below). It records only THAT a
    voting credential was issued for it, never the credential, its hash or the choice.
  - `Ballot`: keyed by the SHA-256 of the credential, with the options chosen, the receipt code and the hour. No
    column or key leads to a member, a slot, a session or a user, and no time finer than the hour.
The two are written in different transactions (ballots.voting), and the ballots are rewritten in a random order after
each cast (PostgreSQL's `xmin` and the table's order would otherwise tell which transaction wrote which row).

`LogEntry` is the hash-chained log of what officers do (create, open, enter and confirm the paper count, close),
published with the record. `PaperCount` (ballots.paper_models) holds the counts of the paper ballots of the room.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assembly.models import AgendaItem, Meeting
from members.models import Member


class Question(models.Model):
    """One secret question put to a meeting: an agenda item voted on in secret, or a board election of `seats`."""

    class Kind(models.TextChoices):
        ITEM = "item", _("A secret agenda item")
        ELECTION = "election", _("A board election")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Voting closed")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="+")
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    kind = models.CharField(_("kind of question"), max_length=10, choices=Kind.choices)
    title_ar = models.CharField(_("question (Arabic)"), max_length=200)
    title_en = models.CharField(_("question (English)"), max_length=200)
    # How many options a ballot may hold: the seats to fill in an election, one for an item.
    seats = models.PositiveSmallIntegerField(_("seats to fill"), default=1)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(_("voting opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("voting closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("secret question")
        verbose_name_plural = _("secret questions")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="ballots_question_has_a_seat"),
            models.CheckConstraint(
                condition=models.Q(kind="election") | models.Q(seats=1), name="ballots_item_takes_one_option"
            ),
        ]

    def __str__(self) -> str:
        return self.title_ar

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_ar


class Option(models.Model):
    """What a ballot may choose: for, against or abstain on an item; a candidate in an election."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(_("order"))
    label_ar = models.CharField(_("option (Arabic)"), max_length=200)
    label_en = models.CharField(_("option (English)"), max_length=200)
    candidate = models.ForeignKey(
        Member, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="ballots_option_order_unique"),
            models.UniqueConstraint(
                fields=["question", "candidate"],
                condition=models.Q(candidate__isnull=False),
                name="ballots_candidate_once",
            ),
        ]

    def __str__(self) -> str:
        return self.label_ar

    @property
    def label(self) -> str:
        return self.label_en if get_language() == "en" else self.label_ar


class Slot(models.Model):
    """A member's right to one ballot on one question: THAT a credential was issued for it, nothing more.

    `member` is whose vote it is. `holder` is set when the holder of the member's accepted proxy opened it: a holder
    opens at most one slot besides their own on a question (the law's one proxy, held by the database).
    """

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="slots")
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(
        Member, verbose_name=_("proxy holder"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    issued = models.BooleanField(_("credential issued"), default=False)

    class Meta:
        verbose_name = _("ballot slot")
        verbose_name_plural = _("ballot slots")
        ordering = ["question", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "member"], name="ballots_slot_one_per_member"),
            models.UniqueConstraint(
                fields=["question", "holder"],
                condition=models.Q(holder__isnull=False),
                name="ballots_slot_one_proxy_per_holder",
            ),
            models.CheckConstraint(condition=~models.Q(holder=models.F("member")), name="ballots_slot_holder_not_self"),
            models.CheckConstraint(
                condition=models.Q(issued=True) | models.Q(holder__isnull=True), name="ballots_slot_holder_when_issued"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.member_id}"


class Ballot(models.Model):
    """What was voted, under the SHA-256 of the voter's credential: nothing here leads to a person.

    The primary key is the digest itself (random), so no sequence tells the order of casting. A second cast with the
    same credential replaces the ballot (the last counts, issue 18 item 6).
    """

    digest = models.CharField(_("credential digest"), max_length=64, primary_key=True)
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="ballots")
    # The chosen options' ids, ascending.
    options = models.JSONField(_("options chosen"))
    nonce = models.CharField(_("nonce"), max_length=32)
    receipt = models.CharField(_("receipt code"), max_length=10)
    # The hour of the last cast, never finer.
    cast_hour = models.DateTimeField(_("hour cast"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["question", "receipt"], name="ballots_receipt_unique"),
        ]

    def __str__(self) -> str:
        return self.receipt


class LogEntry(models.Model):
    """One officer action on a meeting's secret questions, chained: each entry's digest covers the one before."""

    class Action(models.TextChoices):
        CREATED = "created", _("Question prepared")
        OPENED = "opened", _("Voting opened")
        ENTERED = "entered", _("Paper count entered")
        CONFIRMED = "confirmed", _("Paper count confirmed")
        CLOSED = "closed", _("Voting closed")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField(_("number"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    payload = models.JSONField(_("details"))
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    previous = models.CharField(_("previous digest"), max_length=64)
    digest = models.CharField(_("digest"), max_length=64)

    class Meta:
        verbose_name = _("ballot log entry")
        verbose_name_plural = _("ballot log")
        ordering = ["meeting", "seq"]
        constraints = [models.UniqueConstraint(fields=["meeting", "seq"], name="ballots_log_seq_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id}#{self.seq} {self.action}"


from ballots.board_models import BoardResult, Nomination, OutgoingSeat  # noqa: E402, F401 (Django finds them here)
from ballots.paper_models import PaperCount  # noqa: E402, F401 (Django finds the app's models here)
