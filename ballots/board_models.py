"""Board elections around the secret ballot (issue 18 item 7): the nominations made before the notice, the board
members whose seats an election fills, and the result as applied to the board when the minutes are approved."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assembly.models import Meeting
from members.models import Member


class Nomination(models.Model):
    """A member standing for the board election of a meeting, made by the member or entered by the board before the
    meeting's notice is published (ballots.nominations). The board may disqualify it with a reason the candidate
    reads; a standing nomination becomes a candidate when the election is prepared."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="+")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("nominated"), auto_now_add=True)
    disqualified_at = models.DateTimeField(_("disqualified"), null=True, blank=True)
    disqualified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disqualified by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    disqualified_reason = models.TextField(_("reason for disqualification"), blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["meeting", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="ballots_nomination_once"),
            models.CheckConstraint(
                condition=models.Q(disqualified_at__isnull=True) | ~models.Q(disqualified_reason=""),
                name="ballots_nomination_disqualified_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id}"

    @property
    def is_standing(self) -> bool:
        return self.disqualified_at is None


class OutgoingSeat(models.Model):
    """A board member whose seat the election fills (named by the officers when they prepare it): they leave the
    board when the minutes are approved, unless elected again."""

    question = models.ForeignKey(
        "ballots.Question", verbose_name=_("election"), on_delete=models.CASCADE, related_name="outgoing"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("outgoing board member"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("outgoing board seat")
        verbose_name_plural = _("outgoing board seats")
        constraints = [models.UniqueConstraint(fields=["question", "member"], name="ballots_outgoing_once")]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.member_id}"


class BoardResult(models.Model):
    """An election's result as applied to the board when the meeting's minutes were approved: each candidate in rank
    order, elected or a reserve (the reserve with most votes fills a vacancy, Law art. 15). Written once."""

    question = models.ForeignKey(
        "ballots.Question", verbose_name=_("election"), on_delete=models.PROTECT, related_name="board_results"
    )
    member = models.ForeignKey(Member, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    votes = models.PositiveIntegerField(_("votes"))
    elected = models.BooleanField(_("elected"))
    applied_at = models.DateTimeField(_("applied"))

    class Meta:
        verbose_name = _("board election result")
        verbose_name_plural = _("board election results")
        ordering = ["question", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["question", "member"], name="ballots_board_result_member_once"),
            models.UniqueConstraint(fields=["question", "rank"], name="ballots_board_result_rank_once"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}#{self.rank}"
