from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models.accounts import Governorate


class Announcement(models.Model):
    """A message from the cooperative to all active members or a segment of them, in Arabic and English.

    Sending writes one outbox row per recipient and channel in the background (members.announcements);
    the rows point back here, which gives the per-announcement delivery report.
    """

    class Segment(models.TextChoices):
        ALL = "all", _("All active members")
        GOVERNORATE = "governorate", _("Active members of one governorate")
        OPEN_REQUESTS = "open_requests", _("Active members with open requests")

    class Status(models.TextChoices):
        QUEUING = "queuing", _("Being prepared")
        QUEUED = "queued", _("Handed to delivery")

    title_ar = models.CharField(_("title (Arabic)"), max_length=80)
    title_en = models.CharField(_("title (English)"), max_length=80)
    body_ar = models.TextField(_("text (Arabic)"), max_length=2000)
    body_en = models.TextField(_("text (English)"), max_length=2000)
    segment = models.CharField(_("recipients"), max_length=16, choices=Segment.choices, default=Segment.ALL)
    governorate = models.CharField(_("governorate"), max_length=20, choices=Governorate.choices, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUING)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]
        permissions = [("send_announcement", _("Can send announcements to members"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(segment="governorate") | ~models.Q(governorate=""),
                name="announcement_governorate_segment_names_one",
            ),
        ]

    def __str__(self) -> str:
        return self.title_ar

    def get_absolute_url(self) -> str:
        return reverse("members:announcement-detail", args=[self.pk])

    @property
    def title(self) -> str:
        """The title in the language of the page being shown."""
        return self.title_en if get_language() == "en" else self.title_ar

    @property
    def body(self) -> str:
        return self.body_en if get_language() == "en" else self.body_ar
