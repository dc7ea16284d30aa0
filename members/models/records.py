"""Work on the register: correction requests from members, and imports of the register by staff."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members import register_columns
from members.models.accounts import Member


class CorrectionRequest(models.Model):
    """A member asks staff to correct a locked field of their record (name, ID, shares, contact details…)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for staff")
        APPLIED = "applied", _("Corrected")
        DECLINED = "declined", _("Declined")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="correction_requests"
    )
    # What a member may ask to correct is the register's table (a callable: a new column needs no migration here).
    field = models.CharField(_("what to correct"), max_length=20, choices=register_columns.correction_choices)
    current_value = models.CharField(_("value on record"), max_length=200, blank=True)
    requested_value = models.CharField(_("correct value"), max_length=200)
    reason = models.TextField(_("reason or supporting note"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    staff_note = models.TextField(_("staff note"), max_length=1000, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="correction_status_idx")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_field_display()}"


class MemberImport(models.Model):
    """One upload of the register: checked first (the preview), then committed as a whole or not at all."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked, not imported")
        COMMITTED = "committed", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="member-imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    new_rows = models.PositiveIntegerField(_("new members"), default=0)
    updated_rows = models.PositiveIntegerField(_("updated members"), default=0)
    problem_rows = models.PositiveIntegerField(_("rows with problems"), default=0)
    # The preview: file-level problems and, per row with problems, its line and messages (in the uploader's language).
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.CHECKED and self.problem_rows == 0 and not self.report.get("file_problems")
