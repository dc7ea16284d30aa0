"""Service requests and what hangs on them: the timeline (the audit trail), attachments, receipts, drafts."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Member
from requests_app.models.catalogue import Department, RequestDocument, RequestType


class ReferenceCounter(models.Model):
    """The last reference number handed out in a year; its row lock serialises allocation (no gaps by races)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference number counter")
        verbose_name_plural = _("reference number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in at headquarters")
    FIELD_VISIT = "field_visit", _("Field visit")
    WHATSAPP = "whatsapp", _("WhatsApp")


# Not closed: what the staff queue shows by default (kept in step with ServiceRequest.CLOSED_STATUSES).
OPEN_STATUSES = ["submitted", "under_review", "returned_to_member", "in_progress", "pending_board_decision"]


class ServiceRequestQuerySet(models.QuerySet):
    def open(self) -> "ServiceRequestQuerySet":
        return self.exclude(status__in=ServiceRequest.CLOSED_STATUSES)


class ServiceRequest(models.Model):
    """A member's request for a service. `status` changes only through requests_app.status_changes._change_status."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("request status", "Submitted")
        UNDER_REVIEW = "under_review", pgettext_lazy("request status", "Under review")
        RETURNED_TO_MEMBER = "returned_to_member", pgettext_lazy("request status", "Returned for completion")
        IN_PROGRESS = "in_progress", pgettext_lazy("request status", "In progress")
        PENDING_BOARD_DECISION = "pending_board_decision", pgettext_lazy("request status", "Pending board approval")
        COMPLETED = "completed", pgettext_lazy("request status", "Completed")
        REJECTED = "rejected", pgettext_lazy("request status", "Rejected")
        CANCELLED = "cancelled", pgettext_lazy("request status", "Cancelled")

    CLOSED_STATUSES = (Status.COMPLETED, Status.REJECTED, Status.CANCELLED)

    reference_no = models.CharField(_("request number"), max_length=20, unique=True)
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="requests")
    request_type = models.ForeignKey(
        RequestType, verbose_name=_("service"), on_delete=models.PROTECT, related_name="requests"
    )
    # Copied from the service at submission: the queue filters on it, and moving a service to another
    # department does not move requests already in work.
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="requests"
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.SUBMITTED)
    # The form as submitted: [{"key", "label_ar", "label_en", "value", "display"}], never rebuilt from the catalogue.
    answers = models.JSONField(_("answers"), default=list, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.PORTAL)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), db_index=True)
    due_date = models.DateField(_("expected completion"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    missing_items = models.TextField(_("what is missing"), blank=True)
    # The SLA clock stops while the request waits on the member: paused_at is set on return, and the
    # working days it waited are added to paused_working_days (and to due_date) on resubmission.
    paused_at = models.DateTimeField(_("waiting on the member since"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("working days waiting on the member"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The board's own clock, set on referral to the board (requests_app.sla.board_due_date): the request leaves
    # the department's clock while it waits for the board's meeting.
    board_due_date = models.DateField(_("board decision expected"), null=True, blank=True)
    # Unique per submission form: a double click or a resent POST finds the request already made.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Incremented on every change of state, for optimistic checks by staff pages ("changed since you opened it").
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "-submitted_at"], name="request_member_idx"),
            # With id: one status sorted by due date either way reads in index order (EXPLAIN at 1,000,000,
            # completed requests latest due first: 149 ms walking request_due_idx → an index-only scan).
            models.Index(fields=["department", "status", "due_date", "id"], name="request_status_due_idx"),
            models.Index(fields=["assignee", "status"], name="request_assignee_idx"),
            # The staff queue (requests_app/desk/queue.py): open requests of a department in each order the page
            # sorts by (due date, submission, request number), read in index order and stopped after a page. Each
            # carries the columns the queue filters on, so a filter (service, assignee, service level, dates,
            # governorate) is checked in the index without reading the table. EXPLAIN at 1,000,000 requests: the
            # "late" view by request number walked the whole reference index (53 ms → 0.3 ms), late requests
            # newest first read 17,000 table rows to skip the on-time ones (152 ms → 1 ms), a week's submissions by
            # due date 234 ms → 1 ms, a service by due date counted from the table (47 ms → 3 ms).
            models.Index(
                fields=["department", "due_date", "id"],
                include=["status", "request_type", "assignee", "submitted_at", "member"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="request_open_due_idx",
            ),
            models.Index(
                fields=["department", "submitted_at", "id"],
                include=["status", "request_type", "assignee", "due_date", "member"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="request_open_submitted_idx",
            ),
            models.Index(
                fields=["department", "reference_no"],
                include=["id", "status", "request_type", "assignee", "due_date", "submitted_at", "member"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="request_open_reference_idx",
            ),
            # Every request of a department, newest first (the queue with closed ones included): without it the
            # whole table's submission index was walked to skip other departments (52 ms at 1,000,000 → 0.3 ms).
            models.Index(fields=["department", "submitted_at", "id"], name="request_submitted_idx"),
            models.Index(fields=["department", "status", "submitted_at"], name="request_status_submitted_idx"),
            # One status sorted by request number: without it PostgreSQL walked the whole reference_no index
            # (1.2 s at 1,000,000 requests for a status the department has none of; 0.1 ms with it).
            models.Index(fields=["department", "status", "reference_no"], name="request_status_reference_idx"),
            # Every request of a department by due date (the queue with closed ones included, sorted by due date):
            # EXPLAIN at 1,000,000 requests, a bitmap scan of 100,000 rows and a sort 366 ms → 0.9 ms.
            models.Index(fields=["department", "due_date", "id"], name="request_due_idx"),
            # The open requests of a department by member, for the governorate filter's count (an index-only scan
            # merged with member_governorate_idx).
            models.Index(
                fields=["department", "member"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="request_open_member_idx",
            ),
            # Every request of a department by member: a name search's requests, found by their members (the search
            # box's whole queue, closed ones included). EXPLAIN at 1,000,000 requests, «حمد عبدالله» (3,000 members,
            # 2,500 requests in the department): a bitmap of the department's 100,000 rows ANDed with the members'
            # 15,000 took 20 ms; with it the bitmap reads the 2,500 rows at once (4 ms).
            models.Index(fields=["department", "member"], name="request_department_member_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reference_no__regex=r"^NJC-[0-9]{4}-[0-9]{6}$"), name="request_reference_format"
            ),
        ]

    def __str__(self) -> str:
        return self.reference_no

    def get_absolute_url(self) -> str:
        return reverse("requests_app:request-detail", args=[self.reference_no])

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def waits_on_member(self) -> bool:
        return self.status == self.Status.RETURNED_TO_MEMBER

    @property
    def can_be_cancelled(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.UNDER_REVIEW, self.Status.RETURNED_TO_MEMBER}


class TimelineEvent(models.Model):
    """One line of a request's history. Never updated or deleted: it is the audit trail."""

    class Kind(models.TextChoices):
        STATUS_CHANGED = "status_changed", _("Status changed")
        REPLY = "reply", _("Reply to the member")
        INTERNAL_NOTE = "internal_note", _("Internal note")
        BOARD_NOTE = "board_note", _("Note for the board")
        MEMBER_MESSAGE = "member_message", _("Message from the member")
        DOCUMENT_ADDED = "document_added", _("Document added")
        ASSIGNED = "assigned", _("Assigned")
        REGISTER_UPDATED = "register_updated", _("Register updated")

    # Notes written for staff or for the board: the member never sees them, and they are never notified.
    NOTE_KINDS_NEVER_SHOWN = (Kind.INTERNAL_NOTE, Kind.BOARD_NOTE)

    service_request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="timeline"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=24, choices=ServiceRequest.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=ServiceRequest.Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    visible_to_member = models.BooleanField(_("visible to the member"), default=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=["internal_note", "board_note"]) | models.Q(visible_to_member=False),
                name="staff_and_board_notes_never_visible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_request_id} {self.kind}"

    def save(self, *args, **kwargs) -> None:
        # The audit trail is append-only: a second save of an existing event is a programming error.
        if not self._state.adding:
            raise ValueError("Timeline events are never updated.")
        super().save(*args, **kwargs)


class Draft(models.Model):
    """A request form being filled: answers and uploaded files survive a validation error or a failed upload.

    `token` is the form's idempotency key; once submitted, `service_request` points at what it became.
    """

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="drafts")
    request_type = models.ForeignKey(RequestType, verbose_name=_("service"), on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    service_request = models.OneToOneField(
        ServiceRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="draft"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft request")
        verbose_name_plural = _("draft requests")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.token} ({self.request_type_id})"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name under the private storage: the member's file name is never a path."""
    return f"attachments/{instance.public_id.hex[:2]}/{instance.public_id.hex}{instance.extension}"


class Attachment(models.Model):
    """An uploaded document: of a request, or of a draft until it is submitted. Stored privately."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    draft = models.ForeignKey(Draft, on_delete=models.SET_NULL, related_name="attachments", null=True, blank=True)
    document = models.ForeignKey(
        RequestDocument,
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    visible_to_member = models.BooleanField(_("visible to the member"), default=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service_request__isnull=False) | models.Q(draft__isnull=False),
                name="attachment_belongs_somewhere",
            ),
            # The same content for the same document of one form is stored once (requests_app/attachments.py).
            models.UniqueConstraint(
                fields=["draft", "document", "sha256"],
                condition=models.Q(draft__isnull=False, document__isnull=False) & ~models.Q(sha256=""),
                name="attachment_once_per_draft_document_content",
            ),
            models.UniqueConstraint(
                fields=["draft", "sha256"],
                condition=models.Q(draft__isnull=False, document__isnull=True) & ~models.Q(sha256=""),
                name="attachment_once_per_draft_content",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("requests_app:attachment-download", args=[self.public_id])

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(self.content_type, ".bin")


def receipt_path(instance: "Receipt", filename: str) -> str:
    return f"receipts/{instance.public_id.hex[:2]}/{instance.public_id.hex}.pdf"


class Receipt(models.Model):
    """The PDF a member keeps: one on submission, one on completion. Stored privately, verified by QR code."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submission receipt")
        COMPLETED = "completed", _("Completion receipt")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="receipts"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The status printed on the receipt: the verification page shows this one, never the current one.
    status = models.CharField(_("status"), max_length=24, choices=ServiceRequest.Status.choices)
    file = models.FileField(_("file"), upload_to=receipt_path, max_length=200)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["service_request", "kind"], name="one_receipt_per_kind")]

    def __str__(self) -> str:
        return f"{self.service_request_id} {self.kind}"

    def get_absolute_url(self) -> str:
        return reverse("requests_app:receipt-download", args=[self.public_id])
