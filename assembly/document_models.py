"""The Assembly's documents (Law art. 20): the final accounts, the board's report and the auditor's report, which the
members may read at least ASSEMBLY_DOCUMENTS_DAYS before the meeting. Stored privately and served only through a view
that checks who asks (assembly/document_views.py); who read each one is recorded once, and the board sees the count.

Imported at the end of assembly.models, where Django finds the app's models.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assembly.models import Meeting
from members.models import Member


def document_path(instance: "Document", filename: str) -> str:
    """A random name in the private storage: the uploaded file's name is never a path."""
    return f"assembly/{instance.public_id.hex[:2]}/{instance.public_id.hex}.pdf"


class Document(models.Model):
    """One of a meeting's documents, uploaded by the board as a PDF; members see it once it is published."""

    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", _("The balance sheet and final accounts")
        BOARD_REPORT = "board_report", _("The board's report")
        AUDITOR_REPORT = "auditor_report", _("The auditor's report")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("Assembly document")
        verbose_name_plural = _("Assembly documents")
        ordering = ["meeting", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="assembly_document_one_per_kind"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def download_name(self) -> str:
        return f"{self.kind}-{self.meeting.starts_at:%Y-%m-%d}.pdf"


class DocumentView(models.Model):
    """A member opened a document: once per member and document (a second look adds nothing)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="views")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document view")
        verbose_name_plural = _("document views")
        constraints = [
            models.UniqueConstraint(fields=["document", "member"], name="assembly_document_view_once"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.member_id}"
