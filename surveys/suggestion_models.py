"""The suggestion box's tables: that a member gave the month's general rating (never what), the suggestions
(anonymous ones with no path to the member), and the "you suggested, we did" page. Imported by surveys.models so
Django registers them; import them from there."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Member
from requests_app.models import ServiceRequest
from surveys.models import SUGGESTION_MAX_LENGTH, _in_language


class GeneralRatingMark(models.Model):
    """That a member gave the month's general rating (one a month), never what they gave."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()

    class Meta:
        verbose_name = _("general rating given")
        verbose_name_plural = _("general ratings given")
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="one_general_rating_a_month")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}"


class Suggestion(models.Model):
    """A suggestion from the box. Anonymous ones have no path to the member; a named one became a
    suggestion request (`service_request`) that staff answer in their queue."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        REVIEWED = "reviewed", _("Reviewed")
        ADOPTED = "adopted", _("Adopted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    text = models.TextField(_("suggestion"), max_length=SUGGESTION_MAX_LENGTH)
    month = models.DateField(_("month"))
    # Set only for a named suggestion: the request it became (which names the member).
    service_request = models.OneToOneField(
        ServiceRequest,
        verbose_name=_("suggestion request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-month", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(month__day=1), name="suggestion_month_first_day")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_anonymous(self) -> bool:
        return self.service_request_id is None


class AdoptedSuggestionQuerySet(models.QuerySet):
    def published(self) -> "AdoptedSuggestionQuerySet":
        return self.filter(published=True)


class AdoptedSuggestion(models.Model):
    """ "You suggested, we did": written by staff for the public page. Never names a member."""

    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_ar = models.TextField(_("what we did (Arabic)"))
    body_en = models.TextField(_("what we did (English)"), blank=True)
    adopted_on = models.DateField(_("adopted on"))
    published = models.BooleanField(_("published"), default=True)
    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("from suggestion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
    )

    objects = AdoptedSuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("adopted suggestion")
        verbose_name_plural = _("adopted suggestions")
        ordering = ["-adopted_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self.title_ar, self.title_en)

    @property
    def body(self) -> str:
        return _in_language(self.body_ar, self.body_en)
