from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from members.validators import (
    local_mobile,
    validate_member_national_id,
    validate_membership_no,
    validate_plain_text,
    validate_saudi_mobile,
)


class User(AbstractUser):
    """An account: a member, an applicant, a staff or board member, an administrator (see members.roles).

    `phone` is the mobile an account signs in with (E.164); a member's is their register mobile.
    """

    phone = PhoneNumberField(_("mobile"), region="SA", unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(_("mobile verified"), default=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="unique_account_email_ci"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The person's name as people call them: the account's name, else the register's, else their e-mail or
        mobile; the internal username (u-…) only when there is nothing else."""
        name = self.get_full_name()
        if not name:
            member = getattr(self, "member", None) if self.pk else None
            name = member.full_name_ar if member is not None else ""
        if not name and self.phone:
            name = local_mobile(self.phone)
        return name or self.email or self.username


class Governorate(models.TextChoices):
    """The governorates of Najran Region (DOMAIN.md, section e)."""

    NAJRAN = "najran", _("Najran")
    SHARURAH = "sharurah", _("Sharurah")
    HUBUNA = "hubuna", _("Hubuna")
    BADR_AL_JANOUB = "badr_al_janoub", _("Badr Al-Janoub")
    YADAMAH = "yadamah", _("Yadamah")
    THAR = "thar", _("Thar")
    KHUBASH = "khubash", _("Khubash")


def mask_digits(value: str, *, shown: int = 4) -> str:
    """All but the last `shown` characters hidden: '1000012345' → '••••••2345'."""
    value = str(value or "")
    return "•" * max(len(value) - shown, 0) + value[-shown:] if value else ""


class Member(models.Model):
    """A person in the cooperative's register (or applying to join it), and how to reach them."""

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Membership applicant")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECEASED = "deceased", _("Deceased")

    # Membership ended: their shares no longer count in the cooperative's capital.
    ENDED_STATUSES = (Status.WITHDRAWN, Status.DECEASED)

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    user = models.OneToOneField(
        User, verbose_name=_("account"), on_delete=models.PROTECT, null=True, blank=True, related_name="member"
    )
    membership_no = models.CharField(
        _("membership number"), max_length=20, blank=True, validators=[validate_membership_no]
    )
    national_id = models.CharField(
        _("national ID number"), max_length=10, unique=True, validators=[validate_member_national_id]
    )
    full_name_ar = models.CharField(_("full name (Arabic)"), max_length=200, validators=[validate_plain_text])
    full_name_en = models.CharField(
        _("full name (English)"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    # The Arabic name normalised for search (members_portal.arabic.normalise), kept in step by the services.
    name_search = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    mobile = PhoneNumberField(_("mobile"), region="SA", unique=True, validators=[validate_saudi_mobile])
    email = models.EmailField(_("email"), blank=True)
    governorate = models.CharField(_("governorate"), max_length=20, choices=Governorate.choices)
    village = models.CharField(_("village or centre"), max_length=120, blank=True, validators=[validate_plain_text])
    coffee_trees = models.PositiveIntegerField(_("number of coffee trees"), default=0)
    farm_area_dunum = models.DecimalField(_("farm area (dunum)"), max_digits=9, decimal_places=2, default=0)
    shares = models.PositiveIntegerField(_("number of shares"), default=0)
    joined_on = models.DateField(_("joining date"), null=True, blank=True)
    # Set when the board approves a withdrawal (or, for a deceased member, the heirs' refund): the day membership
    # ended and the refund the board decided.
    withdrawn_on = models.DateField(_("withdrawal date"), null=True, blank=True)
    refund_due = models.DecimalField(
        _("share refund due (SAR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    language = models.CharField(_("preferred language"), max_length=2, choices=Language.choices, default="ar")
    sms_consent = models.BooleanField(_("agrees to text messages"), default=True)
    email_consent = models.BooleanField(_("agrees to e-mail"), default=False)
    # Off until the member opts in on their preferences page (each yes and no is a ConsentRecord with its wording).
    whatsapp_consent = models.BooleanField(_("agrees to WhatsApp"), default=False, db_default=False)
    consent_updated_at = models.DateTimeField(_("consent date"), null=True, blank=True)
    surveys_opt_out = models.BooleanField(_("does not want satisfaction surveys"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["membership_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership_no"], condition=~models.Q(membership_no=""), name="unique_membership_no"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="active") | ~models.Q(membership_no=""),
                name="active_member_has_membership_no",
            ),
            # Members are Saudi citizens (DOMAIN.md a.3): the check digit is checked in Python, the prefix here too.
            models.CheckConstraint(condition=models.Q(national_id__regex=r"^1[0-9]{9}$"), name="member_citizen_id"),
        ]
        indexes = [
            models.Index(fields=["status", "governorate"], name="member_status_governorate_idx"),
            # The staff queue's governorate filter: the members of one governorate by id, merged with the
            # department's open requests by member (EXPLAIN at 1,000,000 requests: count 1,250 ms → 77 ms).
            models.Index(fields=["governorate", "id"], name="member_governorate_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name_ar

    def get_absolute_url(self) -> str:
        return reverse("members:member-detail", args=[self.pk])

    # Staff pages show these; the whole value only on a deliberate "show", written to the access log.
    @property
    def national_id_masked(self) -> str:
        return mask_digits(self.national_id)

    @property
    def mobile_masked(self) -> str:
        return mask_digits(self.mobile.as_national.replace(" ", "") if self.mobile else "")

    @property
    def can_submit_requests(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_applicant(self) -> bool:
        return self.status == self.Status.APPLICANT

    @property
    def is_activated(self) -> bool:
        """True once the person behind the record has an account with a password (activation or registration)."""
        return self.user is not None and self.user.has_usable_password()


class ShareAcquisition(models.Model):
    """Shares entering a member's holding, with the day they were acquired (share seniority): the register's dated
    history of acquisitions since the portal keeps it (a record imported from the old register has none). Written
    by members.register with the change itself, never edited."""

    class How(models.TextChoices):
        ADMISSION = "admission", _("Subscribed on admission")
        SUBSCRIPTION = "subscription", _("Subscribed as additional shares")
        TRANSFER = "transfer", _("Transferred from another member")
        INHERITANCE = "inheritance", _("Inherited from a deceased member")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="share_acquisitions"
    )
    shares = models.PositiveIntegerField(_("number of shares"))
    acquired_on = models.DateField(_("acquisition date"))
    how = models.CharField(_("how they were acquired"), max_length=12, choices=How.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("share acquisition")
        verbose_name_plural = _("share acquisitions")
        ordering = ["acquired_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(shares__gt=0), name="share_acquisition_not_empty")]

    def __str__(self) -> str:
        return f"{self.member} +{self.shares} ({self.acquired_on})"
