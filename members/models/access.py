"""Codes that let a person into their account, and the record of staff looking at member records."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from members.models.accounts import Member


class OneTimeCode(models.Model):
    """A short numeric code sent to a mobile (and e-mail) on record to prove the person holds it.

    Only a keyed hash of the code is stored. A code expires, is used at most once, and dies after a few
    wrong tries; `token` names the attempt in the person's session, never the member.
    """

    class Purpose(models.TextChoices):
        ACTIVATION = "activation", _("Account activation")
        REGISTRATION = "registration", _("Applicant registration")
        PASSWORD_RESET = "password_reset", _("New password")

    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    token = models.CharField(max_length=64, unique=True)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, null=True, blank=True, related_name="codes"
    )
    # A new password: the account it is for (staff may have no member record).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Registration: the mobile the applicant typed (they have no record yet); otherwise the mobile on record.
    phone = PhoneNumberField(_("mobile"), region="SA")
    # Empty until the worker draws the code (members.activation.issue_code): no code is ever stored in clear.
    code_hash = models.CharField(max_length=128, blank=True)
    language = models.CharField(max_length=2, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["expires_at"], name="onetimecode_expires_idx")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class AccessLog(models.Model):
    """One staff look at (or change to) a member's record: who, whom, when, what. Written, never edited."""

    class Action(models.TextChoices):
        VIEWED_RECORD = "viewed_record", _("Opened the member's record")
        CHANGED_RECORD = "changed_record", _("Changed the member's record")
        HANDLED_CORRECTION = "handled_correction", _("Handled a correction request")
        IMPORTED = "imported", _("Imported from the register")
        REVEALED = "revealed", _("Revealed a masked detail")

    # The details staff pages show masked; a "revealed" line's detail names one of these.
    REVEALABLE = {"national_id": _("national ID number"), "mobile": _("mobile")}

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="member_accesses"
    )
    member = models.ForeignKey(Member, verbose_name=_("whose record"), on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("what"), max_length=24, choices=Action.choices)
    detail = models.CharField(_("details"), max_length=300, blank=True)
    # A change: each field's value before and after, {"mobile": {"from": "+9665…", "to": "+9665…"}}.
    changes = models.JSONField(_("old and new values"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access to a member record")
        verbose_name_plural = _("access log of member records")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["member", "-at"], name="accesslog_member_idx")]

    def __str__(self) -> str:
        return f"{self.viewer} → {self.member} ({self.get_action_display()})"

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field label, value before, value after) for each field the line changed."""
        labels = {
            field.name: str(field.verbose_name) for field in Member._meta.get_fields() if hasattr(field, "verbose_name")
        }
        return [
            (labels.get(name, name), values.get("from", ""), values.get("to", ""))
            for name, values in sorted(self.changes.items())
        ]

    @property
    def detail_display(self) -> str:
        if self.action == self.Action.REVEALED:
            return str(self.REVEALABLE.get(self.detail, self.detail))
        return self.detail
