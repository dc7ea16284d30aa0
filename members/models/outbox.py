import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models.accounts import Member

_LINK = re.compile(r"https?://\S+")


class Channel(models.TextChoices):
    INBOX = "inbox", _("Portal inbox")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")


class DeliveryState(models.TextChoices):
    NOT_REPORTED = "", _("Not reported")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Not delivered")


class Notification(models.Model):
    """One message to one member on one channel: written with the event that causes it, sent after commit.

    `key` makes queueing idempotent (the same event never queues the same message twice); the status
    makes sending idempotent (only the worker that claims a PENDING row sends it). A row whose worker
    vanished after handing it to the channel is UNKNOWN: it may have gone out, so staff check it (the
    provider's log) instead of the portal sending it again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("To check: may have been sent")

    DeliveryState = DeliveryState

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    event = models.CharField(_("message"), max_length=64)
    context = models.JSONField(default=dict, blank=True)
    language = models.CharField(_("language"), max_length=2)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # The text as rendered (in `language`) when the row was queued: what the member reads or was sent.
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    # The text the fallback channel sends when this one refuses (WhatsApp's SMS), written with the row.
    fallback_body = models.TextField(_("fallback text"), blank=True, db_default="")
    # Shared by the rows of one message (inbox, SMS, e-mail): the short link /n/<token>/ in an SMS opens
    # the message's page and marks the inbox copy read.
    token = models.CharField(max_length=12, blank=True, db_index=True)
    announcement = models.ForeignKey(
        "members.Announcement",
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Who holds the claim: a worker marks a row sent only while its own token is still on it.
    claim_token = models.CharField(max_length=32, blank=True)
    # Set just before the message is given to its channel, cleared when the outcome is recorded: a claim that
    # expires with it set may have been sent, so the row goes to UNKNOWN, never back to sending.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    # When a PENDING row is next due: its creation, a retry's backoff, or the sweep's last re-enqueue.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Who took an SMS and its id there: the provider's delivery report names the message by that id.
    # Defaults in the database too: announcements write their rows with one INSERT … SELECT that names no new column.
    provider = models.CharField(_("provider"), max_length=16, blank=True, db_default="")
    provider_message_id = models.CharField(_("provider's message id"), max_length=64, blank=True, db_default="")
    # What the provider reported after taking it: delivered to the phone, or failed on the way. Empty until a
    # final report arrives; the first final report is kept (a repeated or late one changes nothing).
    delivery_state = models.CharField(
        _("delivery"), max_length=9, choices=DeliveryState.choices, db_default=DeliveryState.NOT_REPORTED, blank=True
    )
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivery_error = models.CharField(_("delivery error"), max_length=300, blank=True, db_default="")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_status_idx"),
            models.Index(fields=["member", "channel", "read_at"], name="notification_inbox_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
            models.Index(
                fields=["provider", "provider_message_id"],
                name="notification_provider_id_idx",
                condition=~models.Q(provider_message_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.member_id} ({self.channel})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def preview(self) -> str:
        """The text for other eyes (the operations view): its links carry the member's own tokens (a survey that
        opens without a password), so they are left out."""
        return _LINK.sub("…", self.subject or self.body)


class ConsentRecord(models.Model):
    """One yes or no a member gave to a channel on their preferences page: when, and the exact words they were shown
    (in the language they read). Never changed: the member's current choice is on Member, its history here."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    given = models.BooleanField(_("agreed"))
    wording = models.TextField(_("wording shown"))
    language = models.CharField(_("language"), max_length=2)
    at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.channel} {'yes' if self.given else 'no'}"
