"""What the staff queue keeps besides the requests: canned replies, staff notices (escalations), board decisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_app.models.catalogue import Department, RequestType, _in_language
from requests_app.models.requests import ServiceRequest


class CannedReply(models.Model):
    """A ready answer staff insert into a reply: for one service, or for every service of a department."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="canned_replies"
    )
    request_type = models.ForeignKey(
        RequestType,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="canned_replies",
        null=True,
        blank=True,
        help_text=_("Leave empty to offer it for every service of the department."),
    )
    title_ar = models.CharField(_("title (Arabic)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    text_ar = models.TextField(_("text (Arabic)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self.title_ar, self.title_en)

    def text_for(self, language: str) -> str:
        """The reply in the member's language (English only when written), else Arabic."""
        return self.text_en if language == "en" and self.text_en else self.text_ar


class StaffNotice(models.Model):
    """An escalation for a staff member, shown on their home page and e-mailed once.

    Staff are not members, so the member outbox does not reach them. One notice per person, request,
    kind and day (a unique constraint): the periodic escalation can run any number of times a day.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due on the next working day")
        LATE = "late", _("Late")
        UNASSIGNED = "unassigned", _("Unassigned for more than a working day")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("for"), on_delete=models.CASCADE, related_name="staff_notices"
    )
    service_request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="staff_notices"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set by the e-mail task when it claims the notice: an e-mail goes out at most once per notice.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff notice")
        verbose_name_plural = _("staff notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "service_request", "kind", "day"], name="one_staff_notice_per_day"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="staff_notice_unread_idx")]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.service_request_id} · {self.kind} · {self.day}"


class BoardDecision(models.Model):
    """The board's decision on a request that needs one, with the meeting it was taken in."""

    service_request = models.OneToOneField(
        ServiceRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="board_decision"
    )
    approved = models.BooleanField(_("approved"))
    meeting_reference = models.CharField(_("meeting reference"), max_length=60)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    note = models.TextField(_("decision as the member reads it"))
    # For an approved withdrawal: the refund the board decided (the shares' value ± profit or loss).
    refund_due = models.DecimalField(
        _("share refund due (SAR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    # True when a supervisor recorded a decision taken in a meeting, on the board's behalf.
    on_behalf_of_board = models.BooleanField(_("recorded on the board's behalf"), default=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("board decision")
        verbose_name_plural = _("board decisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.service_request_id} · {self.meeting_reference}"


class SavedQueueView(models.Model):
    """A queue view a staff member named and kept: a set of the queue's filters, shown as their own tab."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="saved_queue_views"
    )
    name = models.CharField(_("name"), max_length=40)
    # The queue's filters as a query string (cleaned by the filter form before it is kept), without the page.
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved queue view")
        verbose_name_plural = _("saved queue views")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="one_saved_view_name_per_owner")]

    def __str__(self) -> str:
        return f"{self.owner_id} · {self.name}"
