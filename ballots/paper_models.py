"""The paper ballots of a secret question, counted in the room (issue 18 item 5): counts, never ballots.

Online voting on a question ends when the meeting begins (ballots.voting.check_open). In the room, the members
present in person or by proxy whose slot was not used online vote on paper; two officers count the paper ballots and
each enters the counts (ballots.paper). The first entry waits here; a second officer who enters the same counts
confirms it, and only then is it part of the tally. A count holds numbers only: nothing in it leads to a member or
to an online ballot.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaperCount(models.Model):
    """One question's paper count: the first officer's entry, waiting, then confirmed by a second officer.

    `votes` maps each option's id (as text, JSON's keys) to its paper votes; `ballots` is the number of valid paper
    ballots, `spoiled` those set aside (an election ballot with more choices than seats, a blank or unreadable one).
    `allowed` is how many members could vote on paper when it was entered: those present in person or by proxy whose
    slot on the question was not used online. `disputed` keeps the last entry that differed (who, and their counts),
    so both officers see the difference; it is never counted.
    """

    question = models.OneToOneField(
        "ballots.Question", verbose_name=_("question"), on_delete=models.CASCADE, related_name="paper"
    )
    votes = models.JSONField(_("paper votes per option"))
    ballots = models.PositiveIntegerField(_("valid paper ballots"))
    spoiled = models.PositiveIntegerField(_("spoiled paper ballots"))
    allowed = models.PositiveIntegerField(_("members who could vote on paper"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    disputed = models.JSONField(_("the last entry that differed"), null=True, blank=True)

    class Meta:
        verbose_name = _("paper count")
        verbose_name_plural = _("paper counts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(allowed__gte=models.F("ballots") + models.F("spoiled")),
                name="ballots_paper_within_allowed",
            ),
            models.CheckConstraint(
                condition=~models.Q(confirmed_by=models.F("entered_by")), name="ballots_paper_two_officers"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.ballots}+{self.spoiled}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
