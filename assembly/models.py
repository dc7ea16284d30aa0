"""The General Assembly: its meetings, their agendas, and who may attend as frozen at the record date.

The law (DOMAIN.md a.5): every shareholding member belongs to the Assembly; one member, one vote. The portal
publishes a meeting's notice at least ASSEMBLY_NOTICE_DAYS ahead, and the members eligible on that day are written
down then (`EligibleMember`): a later change in the register is shown against the list, never applied to it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models import Member
from requests_app.models import ServiceRequest


def headquarters_ar() -> str:
    return settings.ASSEMBLY_HEADQUARTERS_AR


def headquarters_en() -> str:
    return settings.ASSEMBLY_HEADQUARTERS_EN


def minutes_path(instance: "Meeting", filename: str) -> str:
    """Private storage under an unguessable name: the file is served only through the permission-checked view."""
    return f"minutes/{uuid.uuid4().hex}.pdf"


class Meeting(models.Model):
    """One meeting of the General Assembly, drafted by the board's secretary and published with its notice."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary General Assembly")
        EXTRAORDINARY = "extraordinary", _("Extraordinary General Assembly")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Notice published")
        HELD = "held", _("Held")
        ADJOURNED = "adjourned", _("Adjourned")

    kind = models.CharField(_("kind of meeting"), max_length=16, choices=Kind.choices, default=Kind.ORDINARY)
    starts_at = models.DateTimeField(_("date and time"))
    place_ar = models.CharField(_("place (Arabic)"), max_length=200, default=headquarters_ar)
    place_en = models.CharField(_("place (English)"), max_length=200, default=headquarters_en)
    remote_attendance = models.BooleanField(_("remote attendance allowed"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("notice published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    record_date = models.DateField(_("record date"), null=True, blank=True)
    notice_queued_at = models.DateTimeField(_("notice queued to the members"), null=True, blank=True)
    # A meeting that failed its quorum is held again 15 days later with a lower quorum (Law art. 22): the later
    # meeting names the one it continues.
    adjourned_from = models.OneToOneField(
        "self",
        verbose_name=_("adjourned from"),
        on_delete=models.PROTECT,
        related_name="adjourned_to",
        null=True,
        blank=True,
    )

    # Holding the meeting (assembly.conduct): the chair the members present elect first (Law art. 26), then, once
    # closed, the minutes rendered in the background (assembly.minutes) and sent to the eligible members.
    chair = models.ForeignKey(
        Member, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    chair_votes = models.PositiveIntegerField(_("votes for the chair"), null=True, blank=True)
    chair_elected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    minutes = models.FileField(_("minutes of the meeting"), upload_to=minutes_path, max_length=200, blank=True)
    minutes_sent_at = models.DateTimeField(_("minutes sent to the members"), null=True, blank=True)
    # The chair of the meeting or a board member (its secretary) approves the minutes (assembly.approval): once.
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("General Assembly meeting")
        verbose_name_plural = _("General Assembly meetings")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | (models.Q(published_at__isnull=False, record_date__isnull=False)),
                name="assembly_meeting_published_has_record_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("assembly:meeting-detail", args=[self.pk])

    @property
    def place(self) -> str:
        """The place in the language of the page being shown."""
        return self.place_en if get_language() == "en" else self.place_ar

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class AgendaItem(models.Model):
    """One item of a meeting's agenda, of one of the kinds the law gives the Assembly (Law art. 24 and 25)."""

    class Kind(models.TextChoices):
        REPORTS = "reports", _("The board's and the auditor's reports")
        ACCOUNTS = "accounts", _("The balance sheet and final accounts")
        DISTRIBUTION_PLAN = "distribution_plan", _("The profit-distribution plan")
        AUDITOR = "auditor", _("Appointing the external auditor and the fee")
        BOARD_ELECTION = "board_election", _("Electing board members")
        APPEAL = "appeal", _("An appeal against a board decision")
        EXTRAORDINARY = "extraordinary", _("An extraordinary item")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    kind = models.CharField(_("kind of item"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    # An appeal against a board decision (GOV-03) lands on the next ordinary meeting's agenda by itself, once.
    appeal = models.OneToOneField(
        ServiceRequest,
        verbose_name=_("appeal"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="assembly_agenda_item_order_unique"),
            models.CheckConstraint(
                condition=models.Q(appeal__isnull=True) | models.Q(kind="appeal"), name="assembly_appeal_item_is_appeal"
            ),
        ]

    def __str__(self) -> str:
        return self.title_ar

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_ar


class EligibleMember(models.Model):
    """A member entitled to attend and vote, as the register stood on the meeting's record date.

    Written once, when the notice is published; never updated. What changed since is read against the register.
    """

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="eligible")
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    membership_no = models.CharField(_("membership number"), max_length=20)
    shares = models.PositiveIntegerField(_("number of shares"))

    class Meta:
        verbose_name = _("eligible member")
        verbose_name_plural = _("eligible members")
        ordering = ["meeting", "membership_no"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="assembly_eligible_member_once"),
            models.CheckConstraint(condition=models.Q(shares__gt=0), name="assembly_eligible_member_has_shares"),
        ]

    def __str__(self) -> str:
        return self.membership_no


class Proxy(models.Model):
    """A member's appointment of another member to attend and vote for them at one meeting (GOV-01; Law art. 23,
    Reg. art. 44): offered by the principal, accepted or declined by the holder, revocable until the cut-off.

    The law's rules are checked in assembly.proxies and, where two rows meet, held by the database: a holder holds at
    most one live proxy and a principal gives at most one, and nobody holds their own.
    """

    class Status(models.TextChoices):
        OFFERED = "offered", _("Waiting for the holder to accept")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined by the holder")
        REVOKED = "revoked", _("Revoked")

    LIVE = (Status.OFFERED, Status.ACCEPTED)

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="proxies")
    principal = models.ForeignKey(
        Member, verbose_name=_("member represented"), on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(Member, verbose_name=_("proxy holder"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # The holder accepts with a one-time code sent to their mobile on record (assembly.proxies.send_code): only its
    # keyed hash is kept, with when it was sent (it expires) and the wrong tries made against it.
    code_hash = models.CharField(max_length=128, blank=True)
    code_sent_at = models.DateTimeField(_("code sent"), null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(_("wrong codes"), default=0)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        ordering = ["meeting", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(holder=models.F("principal")), name="assembly_proxy_not_self"),
            models.UniqueConstraint(
                fields=["meeting", "holder"],
                condition=models.Q(status__in=["offered", "accepted"]),
                name="assembly_proxy_one_per_holder",
            ),
            models.UniqueConstraint(
                fields=["meeting", "principal"],
                condition=models.Q(status__in=["offered", "accepted"]),
                name="assembly_proxy_one_per_principal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principal_id} → {self.holder_id}"


class Registration(models.Model):
    """A member present in person at a meeting, registered once at the door (by a pass scan or a search).

    Proxies count through their holder: an accepted proxy whose holder is registered represents its principal.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="registrations"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    desk = models.CharField(_("desk"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("registration at the door")
        verbose_name_plural = _("registrations at the door")
        ordering = ["meeting", "registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="assembly_registration_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id}"


class Decision(models.Model):
    """The Assembly's open vote on one agenda item, as counted in the room (assembly.conduct).

    Entered by one officer and confirmed by a second who counted the same; until then it waits. `present` is the
    number of members present in person or by proxy when the counts were entered (assembly.attendance), the figure
    the majority is taken of; the result is assembly.voting.outcome's, written when confirmed.
    """

    class Side(models.TextChoices):
        FOR = "for", _("Voted for")
        AGAINST = "against", _("Voted against")
        ABSTAIN = "abstain", _("Abstained from voting")

    item = models.OneToOneField(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="decision"
    )
    votes_for = models.PositiveIntegerField(_("votes for"))
    votes_against = models.PositiveIntegerField(_("votes against"))
    abstentions = models.PositiveIntegerField(_("abstentions"))
    present = models.PositiveIntegerField(_("present in person or by proxy"))
    # Only on a tie: how the chair voted, which decides it (Law art. 22).
    chair_side = models.CharField(_("the chair's vote"), max_length=8, choices=Side.choices, blank=True)
    adopted = models.BooleanField(_("adopted"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered"), auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["item__order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    present__gte=models.F("votes_for") + models.F("votes_against") + models.F("abstentions")
                ),
                name="assembly_decision_counts_within_present",
            ),
            models.CheckConstraint(
                condition=~models.Q(confirmed_by=models.F("entered_by")), name="assembly_decision_two_officers"
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_at__isnull=True) | models.Q(adopted__isnull=False),
                name="assembly_decision_confirmed_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.votes_for}/{self.votes_against}/{self.abstentions}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


from assembly.document_models import Document, DocumentView  # noqa: E402, F401 (Django finds the app's models here)
