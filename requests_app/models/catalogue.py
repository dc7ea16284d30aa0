"""The service catalogue: departments and their staff, categories, services (RequestType), their fields,
documents and frequently asked questions. Kept by administrators in the Django admin."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _in_language(arabic: str, english: str) -> str:
    """The English text in English when there is one; Arabic otherwise (the cooperative's language)."""
    if (get_language() or "ar").startswith("en") and english:
        return english
    return arabic


class Department(models.Model):
    """A unit of the cooperative that handles requests; its staff work the requests of its services."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="DepartmentMembership",
        related_name="departments",
        verbose_name=_("staff"),
        blank=True,
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name_ar"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_ar, self.name_en)


class DepartmentMembership(models.Model):
    """A staff account's place in a department; a supervisor assigns and receives escalations there."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="department_memberships",
    )
    is_supervisor = models.BooleanField(_("supervisor"), default=False)

    class Meta:
        verbose_name = _("department staff member")
        verbose_name_plural = _("department staff")
        constraints = [models.UniqueConstraint(fields=["department", "user"], name="unique_department_membership")]

    def __str__(self) -> str:
        return f"{self.user} · {self.department}"


class Category(models.Model):
    """A group of services in the guide (Membership & shares, Farm & production, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_ar, self.name_en)


class RequestTypeQuerySet(models.QuerySet):
    def active(self) -> "RequestTypeQuerySet":
        return self.filter(active=True)


class RequestType(models.Model):
    """A service of the catalogue (the UI says "service"): what it is, who may ask, who handles it, how fast."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("Service")
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        INQUIRY = "inquiry", _("Inquiry")
        MEMBERSHIP_APPLICATION = "membership_application", _("Membership application")
        SHARE_TRANSFER = "share_transfer", _("Share transfer")
        WITHDRAWAL = "withdrawal", _("Withdrawal and share refund")
        ADDITIONAL_SHARES = "additional_shares", _("Additional shares")
        HEIRS_SUCCESSION = "heirs_succession", _("Heirs' succession or refund for a deceased member")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members")
        APPLICANTS = "applicants", _("Membership applicants")
        MEMBERS_AND_APPLICANTS = "members_and_applicants", _("Members and membership applicants")

    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("For example MEM-06."))
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="types")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.SERVICE)
    name_ar = models.CharField(_("name (Arabic)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    outcome_ar = models.TextField(_("what the member receives (Arabic)"), blank=True)
    outcome_en = models.TextField(_("what the member receives (English)"), blank=True)
    audience = models.CharField(_("who may request"), max_length=24, choices=Audience.choices, default=Audience.MEMBERS)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="request_types"
    )
    sla_days = models.PositiveSmallIntegerField(_("service-level target (working days)"), default=5)
    needs_board_decision = models.BooleanField(_("needs a board decision"), default=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = RequestTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["category__order", "order", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def name(self) -> str:
        return _in_language(self.name_ar, self.name_en)

    @property
    def description(self) -> str:
        return _in_language(self.description_ar, self.description_en)

    @property
    def outcome(self) -> str:
        return _in_language(self.outcome_ar, self.outcome_en)

    @property
    def open_to_members(self) -> bool:
        return self.audience in {self.Audience.MEMBERS, self.Audience.MEMBERS_AND_APPLICANTS}

    @property
    def open_to_applicants(self) -> bool:
        return self.audience in {self.Audience.APPLICANTS, self.Audience.MEMBERS_AND_APPLICANTS}


class RequestField(models.Model):
    """A question a service's form asks. Changing it never touches submitted requests (they keep a snapshot)."""

    class FieldType(models.TextChoices):
        TEXT = "text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        WHOLE_NUMBER = "whole_number", _("Whole number (a count)")
        DATE = "date", _("Date")
        IBAN = "iban", _("Saudi IBAN")
        NATIONAL_ID = "national_id", _("National ID or Iqama number")
        MOBILE = "mobile", _("Saudi mobile number")
        CHOICE = "choice", _("Choice")
        YES_NO = "yes_no", _("Yes or no")

    request_type = models.ForeignKey(
        RequestType, verbose_name=_("service"), on_delete=models.CASCADE, related_name="fields"
    )
    key = models.SlugField(_("key"), max_length=40)
    label_ar = models.CharField(_("label (Arabic)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    help_ar = models.CharField(_("help (Arabic)"), max_length=300, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=300, blank=True)
    field_type = models.CharField(_("type"), max_length=12, choices=FieldType.choices, default=FieldType.TEXT)
    required = models.BooleanField(_("required"), default=True)
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_("For a choice field: one option a line, as key|Arabic|English."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service form field")
        verbose_name_plural = _("service form fields")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["request_type", "key"], name="unique_field_key_per_type")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _in_language(self.label_ar, self.label_en)

    @property
    def help(self) -> str:
        return _in_language(self.help_ar, self.help_en)

    def choice_options(self) -> list[tuple[str, str, str]]:
        """(key, Arabic, English) for each well-formed line of `choices`."""
        options = []
        for line in self.choices.splitlines():
            parts = [part.strip() for part in line.split("|")]
            if parts and parts[0]:
                arabic = parts[1] if len(parts) > 1 and parts[1] else parts[0]
                english = parts[2] if len(parts) > 2 and parts[2] else arabic
                options.append((parts[0], arabic, english))
        return options


class RequestDocument(models.Model):
    """A document a service asks for (a deed, a transfer receipt, a photo), with the file types it accepts."""

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    request_type = models.ForeignKey(
        RequestType, verbose_name=_("service"), on_delete=models.CASCADE, related_name="documents"
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    help_ar = models.CharField(_("help (Arabic)"), max_length=300, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    allowed_types = models.CharField(
        _("allowed file types"), max_length=40, default="pdf,jpeg,png", help_text=_("Comma-separated: pdf, jpeg, png.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_ar, self.name_en)

    @property
    def help(self) -> str:
        return _in_language(self.help_ar, self.help_en)

    @property
    def allowed(self) -> list[str]:
        return [item.strip() for item in self.allowed_types.split(",") if item.strip() in self.FileType.values]


class FrequentQuestion(models.Model):
    """A question members ask, answered by staff: for one service, or general when no service is set."""

    request_type = models.ForeignKey(
        RequestType,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="questions",
        null=True,
        blank=True,
        help_text=_("Leave empty for a general question."),
    )
    question_ar = models.CharField(_("question (Arabic)"), max_length=300)
    question_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    answer_ar = models.TextField(_("answer (Arabic)"))
    answer_en = models.TextField(_("answer (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def question(self) -> str:
        return _in_language(self.question_ar, self.question_en)

    @property
    def answer(self) -> str:
        return _in_language(self.answer_ar, self.answer_en)


class Holiday(models.Model):
    """A day off in the working calendar (Eids, Founding Day, National Day): the SLA clock skips it."""

    date = models.DateField(_("date"), unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {_in_language(self.name_ar, self.name_en)}"
