"""Surveys: questionnaires (versioned), invitations, anonymous responses, the suggestion box.

Anonymity by design. A `Response` has no path back to a member, a request or an invitation: it keeps
only the dimensions reports need (service, department, governorate, month, channel, questionnaire
version, outcome) and the ratings. Its primary key is a random UUID (ids do not follow the order of
invitations) and it has no timestamp, only the first day of the month it was given in. The invitation
knows that it was answered, never what was answered. tests/surveys/test_anonymity.py fails when a
field leading to a member, a request, an invitation or a user is added to a response.

The database has side doors of its own: the rows one transaction writes share its id (PostgreSQL's
`xmin`) and lie in the table in the order they were written. surveys.services.reseal_anonymous_rows
rewrites recent responses and anonymous suggestions together in a random order after every answer
(and hourly), so neither joins them to the invitation answered in the same transaction.

Staff results ("the requests I handled") are kept as running sums per staff member and quarter
(`StaffResultTally`), never as a staff id on a response: a staff id beside month, service and
governorate would pick single members out of the requests table.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models import Governorate, Member
from requests_app.models import Channel, Department, RequestType, ServiceRequest

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
RECOMMEND_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]
COMMENT_MAX_LENGTH = 2000
SUGGESTION_MAX_LENGTH = 3000
ASPECTS = ("speed", "clarity", "courtesy", "ease")


def _in_language(arabic: str, english: str) -> str:
    if (get_language() or "ar").startswith("en") and english:
        return english
    return arabic


class Questionnaire(models.Model):
    """What a survey asks, as administrators edit it. Saving a change publishes a new QuestionnaireVersion
    (surveys.services.publish_version); answers stay with the version they answered.

    One questionnaire is the default; a service may have its own (`request_type`)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    request_type = models.OneToOneField(
        RequestType,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="questionnaire",
        null=True,
        blank=True,
        help_text=_("Leave empty for a general questionnaire."),
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used for every service that has no questionnaire of its own.")
    )
    active = models.BooleanField(_("active"), default=True)
    intro_ar = models.TextField(_("introduction (Arabic)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    overall_ar = models.CharField(_("overall question (Arabic)"), max_length=200)
    overall_en = models.CharField(_("overall question (English)"), max_length=200, blank=True)
    ask_speed = models.BooleanField(_("ask about speed"), default=True)
    ask_clarity = models.BooleanField(_("ask about clarity"), default=True)
    ask_courtesy = models.BooleanField(_("ask about courtesy"), default=True)
    ask_ease = models.BooleanField(_("ask about ease of the procedure"), default=True)
    recommend_ar = models.CharField(_("recommendation question (Arabic)"), max_length=200)
    recommend_en = models.CharField(_("recommendation question (English)"), max_length=200, blank=True)
    comment_ar = models.CharField(_("comment prompt (Arabic)"), max_length=200)
    comment_en = models.CharField(_("comment prompt (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-is_default", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_questionnaire"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # The fields a version copies: a change to any of them makes a new version.
    CONTENT_FIELDS = (
        "intro_ar",
        "intro_en",
        "overall_ar",
        "overall_en",
        "ask_speed",
        "ask_clarity",
        "ask_courtesy",
        "ask_ease",
        "recommend_ar",
        "recommend_en",
        "comment_ar",
        "comment_en",
    )

    def content(self) -> dict:
        return {field: getattr(self, field) for field in self.CONTENT_FIELDS}


class QuestionnaireVersion(models.Model):
    """A frozen copy of a questionnaire's questions. Never changed once written; responses point here."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("questions"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_questionnaire_version"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    def text(self, key: str) -> str:
        return _in_language(self.content.get(f"{key}_ar", ""), self.content.get(f"{key}_en", ""))

    @property
    def intro(self) -> str:
        return self.text("intro")

    @property
    def overall_question(self) -> str:
        return self.text("overall")

    @property
    def recommend_question(self) -> str:
        return self.text("recommend")

    @property
    def comment_prompt(self) -> str:
        return self.text("comment")

    @property
    def aspects(self) -> list[str]:
        return [aspect for aspect in ASPECTS if self.content.get(f"ask_{aspect}", True)]


class Invitation(models.Model):
    """An invitation to rate one closed request. Knows whether it was answered, never what was answered.

    Once answered it keeps only what it still needs (its member, its request, its token, `answered`, when it was
    created for the response rate): not when it was answered, nor its questionnaire version, origin, expiry or
    reminder, each of which a response also holds or dates (surveys.services.submit_response clears them).

    The link carries a token; only its SHA-256 is stored (`token_hash`). The token itself is an HMAC of
    `key` with the site's secret, so the reminder can send the same link again.
    """

    class Origin(models.TextChoices):
        COMPLETED = "completed", _("Request completed")
        REJECTED = "rejected", _("Request rejected")
        PORTAL = "portal", _("Rated from the request page")

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+")
    service_request = models.OneToOneField(
        ServiceRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="survey_invitation"
    )
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, blank=True)
    sent_channels = models.CharField(_("sent by"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    answered = models.BooleanField(_("answered"), default=False)
    # No longer written (its month matched the response's): emptied by migration 0009, dropped in the next release.
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    # Only when the member, after rating, asked to be contacted: the complaint opened in their name.
    contact_request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("complaint opened on request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["answered", "reminded_at", "created_at"], name="invitation_reminder_idx")]

    def __str__(self) -> str:
        return f"{self.service_request_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered


class ResponseQuerySet(models.QuerySet):
    def for_service(self) -> "ResponseQuerySet":
        return self.filter(source=Response.Source.REQUEST)


class Response(models.Model):
    """One anonymous answer. No member, request, invitation, user or exact time: dimensions and ratings only.

    Board reports (and staff pages) read aggregates of these rows and hide any slice under 5 answers.
    """

    class Source(models.TextChoices):
        REQUEST = "request", _("Rating of a request")
        GENERAL = "general", _("General rating (suggestion box)")

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")
        NONE = "", _("Not about a request")

    # Random, so ids say nothing about the order in which invitations were answered.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.REQUEST)
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    # Dimensions: what reports slice by. Null/blank for a general rating from the suggestion box.
    request_type = models.ForeignKey(
        RequestType, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    governorate = models.CharField(_("governorate"), max_length=20, choices=Governorate.choices, blank=True)
    month = models.DateField(_("month"), help_text=_("The first day of the month the answer was given in."))
    # Blank when coarsened (surveys.services.coarsening): fewer than five answered invitations shared it.
    channel = models.CharField(
        _("request channel"), max_length=12, choices=Channel.choices, default=Channel.PORTAL, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    # Ratings.
    overall = models.PositiveSmallIntegerField(_("overall"), validators=RATING_VALIDATORS)
    speed = models.PositiveSmallIntegerField(_("speed"), validators=RATING_VALIDATORS, null=True, blank=True)
    clarity = models.PositiveSmallIntegerField(_("clarity"), validators=RATING_VALIDATORS, null=True, blank=True)
    courtesy = models.PositiveSmallIntegerField(_("courtesy"), validators=RATING_VALIDATORS, null=True, blank=True)
    ease = models.PositiveSmallIntegerField(
        _("ease of the procedure"), validators=RATING_VALIDATORS, null=True, blank=True
    )
    recommend = models.PositiveSmallIntegerField(
        _("would recommend (0–10)"), validators=RECOMMEND_VALIDATORS, null=True, blank=True
    )
    # Stored with mobile numbers, ID numbers and e-mail addresses masked (surveys.masking.mask_personal_data).
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_LENGTH)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["id"]  # random order: never the order answers came in
        indexes = [
            models.Index(fields=["month", "request_type"], name="response_month_service_idx"),
            models.Index(fields=["month", "department"], name="response_month_department_idx"),
            # The board's latest comments: the newest months' few answers with a comment, without reading the rest.
            models.Index(
                fields=["-month", "id"],
                name="response_comment_month_idx",
                condition=models.Q(source="request") & ~models.Q(comment=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(overall__gte=1, overall__lte=5), name="response_overall_1_5"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{aspect}__isnull": True})
                    | models.Q(**{f"{aspect}__gte": 1, f"{aspect}__lte": 5}),
                    name=f"response_{aspect}_1_5",
                )
                for aspect in ASPECTS
            ],
            models.CheckConstraint(
                condition=models.Q(recommend__isnull=True) | models.Q(recommend__gte=0, recommend__lte=10),
                name="response_recommend_0_10",
            ),
            models.CheckConstraint(condition=models.Q(month__day=1), name="response_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.overall}/5"


class StaffResultTally(models.Model):
    """Running sums of the answers about requests one staff member handled, per calendar quarter.

    Sums only, never a row per answer: a staff member's page shows a closed quarter's averages once it
    holds at least 5 answers (surveys.selectors.staff_results).
    """

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="+"
    )
    quarter = models.DateField(_("quarter"), help_text=_("The first day of the quarter."))
    answers = models.PositiveIntegerField(_("answers"), default=0)
    overall_sum = models.PositiveIntegerField(default=0)
    speed_sum = models.PositiveIntegerField(default=0)
    speed_count = models.PositiveIntegerField(default=0)
    clarity_sum = models.PositiveIntegerField(default=0)
    clarity_count = models.PositiveIntegerField(default=0)
    courtesy_sum = models.PositiveIntegerField(default=0)
    courtesy_count = models.PositiveIntegerField(default=0)
    ease_sum = models.PositiveIntegerField(default=0)
    ease_count = models.PositiveIntegerField(default=0)
    recommend_sum = models.PositiveIntegerField(default=0)
    recommend_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("staff result tally")
        verbose_name_plural = _("staff result tallies")
        ordering = ["staff", "-quarter"]
        constraints = [models.UniqueConstraint(fields=["staff", "quarter"], name="one_tally_per_staff_quarter")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.quarter:%Y-%m}"


# The suggestion box's tables live in surveys/suggestion_models.py, the board reports' in surveys/reports/models.py;
# imported here so Django registers them.
from surveys.reports.models import (  # noqa: E402, F401
    BoardReportEmail,
    CompletionDays,
    QuarterlyReport,
    RequestSummary,
    SatisfactionSummary,
    SummarisedMonth,
    WorkingDayIndex,
)
from surveys.suggestion_models import AdoptedSuggestion, GeneralRatingMark, Suggestion  # noqa: E402, F401
