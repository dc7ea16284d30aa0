"""A member's data export as a PDF, prepared in the background and kept privately until the member downloads it."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models.accounts import Member


def export_path(instance: "DataExport", filename: str) -> str:
    """A random name under the private storage."""
    return f"exports/{instance.public_id.hex[:2]}/{instance.public_id.hex}.pdf"


class DataExport(models.Model):
    """One preparation of «my data» as a PDF. Only its member downloads it (members.export_views)."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", pgettext_lazy("data export status", "Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="exports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREPARING)
    file = models.FileField(_("file"), upload_to=export_path, max_length=200, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.status}"
