"""The reports' own tables: the working-day index (a summary of the working calendar) and quarterly reports.

Imported by surveys/models.py so that Django registers them in the surveys app.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class WorkingDayIndex(models.Model):
    """For each calendar day, how many working days (Sunday–Thursday, not a holiday) came up to and
    including it. The working days from day A to day B are index(B) − index(A), so the time to complete
    every request of a year is one join in the database, not a loop over days in Python.

    A summary of requests_app's Holiday table: rebuilt when a holiday changes and every night
    (surveys.reports.calendar_index).
    """

    date = models.DateField(primary_key=True)
    working_index = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("working-day index")
        verbose_name_plural = _("working-day index")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.working_index}"


def quarterly_report_path(instance: "QuarterlyReport", filename: str) -> str:
    return f"board-reports/{instance.public_id.hex}.pdf"


class QuarterlyReport(models.Model):
    """The board's report of one quarter, rendered once and kept. Stored privately (board and administrators)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period_start = models.DateField(_("quarter"), unique=True, help_text=_("The first day of the quarter."))
    file = models.FileField(_("file"), upload_to=quarterly_report_path, max_length=200, blank=True)
    generated_at = models.DateTimeField(_("issued"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent to the board"), null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(_("board members notified"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the scheduled task issued it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quarterly board report")
        verbose_name_plural = _("quarterly board reports")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__day=1) & models.Q(period_start__month__in=[1, 4, 7, 10]),
                name="quarterly_report_starts_a_quarter",
            ),
        ]

    def __str__(self) -> str:
        return self.period.key

    def get_absolute_url(self) -> str:
        return reverse("surveys:quarterly-report-download", args=[self.public_id])

    @property
    def period(self):
        from surveys.reports.periods import Period, quarter_of

        return Period.quarter(self.period_start.year, quarter_of(self.period_start))

    @property
    def is_ready(self) -> bool:
        return bool(self.file)


class BoardReportEmail(models.Model):
    """The e-mail that carries a quarterly report's PDF to one board member. One per report and person,
    claimed by a conditional UPDATE before sending, so a task run twice never sends it twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="emails")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-mail"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("board report e-mail")
        verbose_name_plural = _("board report e-mails")
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="one_report_email_per_person")]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.email}"


class SummarisedMonth(models.Model):
    """A month whose summaries below are complete (written after the month ended). Months without a row
    (the current one, or any not yet summarised) are read from the live tables instead."""

    month = models.DateField(primary_key=True)
    refreshed_at = models.DateTimeField()
    # The day the month's survey sums were last rewritten: the running month's change at most once a day,
    # so two downloads a minute apart cannot be subtracted to find one answer (surveys.reports.summary).
    satisfaction_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("summarised month")
        verbose_name_plural = _("summarised months")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class SatisfactionSummary(models.Model):
    """Sums of the answers of one month per department, service and governorate (no answer, only sums)."""

    month = models.DateField()
    department_id = models.IntegerField(null=True)
    request_type_id = models.IntegerField(null=True)
    governorate = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField(default=0)
    overall_sum = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    recommend_n = models.PositiveIntegerField(default=0)
    promoters = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    speed_sum = models.PositiveIntegerField(default=0)
    speed_n = models.PositiveIntegerField(default=0)
    clarity_sum = models.PositiveIntegerField(default=0)
    clarity_n = models.PositiveIntegerField(default=0)
    courtesy_sum = models.PositiveIntegerField(default=0)
    courtesy_n = models.PositiveIntegerField(default=0)
    ease_sum = models.PositiveIntegerField(default=0)
    ease_n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("satisfaction summary")
        verbose_name_plural = _("satisfaction summaries")
        indexes = [models.Index(fields=["month"], name="satisfaction_summary_month_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "department_id", "request_type_id", "governorate"],
                name="one_satisfaction_summary_per_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.request_type_id} {self.governorate}"


class RequestSummary(models.Model):
    """Requests of one month per service, department and member's governorate: received (by submission
    month) and closed (by closing month), with how many were completed within target."""

    month = models.DateField()
    department_id = models.IntegerField()
    request_type_id = models.IntegerField()
    governorate = models.CharField(max_length=20, blank=True)
    received = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)  # completed, rejected or cancelled: for "open at the end"
    completed_on_time = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)  # survey invitations created in the month (response rate)
    invited_answered = models.PositiveIntegerField(default=0)  # of those, answered by the last refresh

    class Meta:
        verbose_name = _("request summary")
        verbose_name_plural = _("request summaries")
        indexes = [models.Index(fields=["month"], name="request_summary_month_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "department_id", "request_type_id", "governorate"],
                name="one_request_summary_per_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.request_type_id} {self.governorate}"


class CompletionDays(models.Model):
    """How many requests completed in a month took each number of working days (a histogram, from which
    the median and 90th percentile are exact)."""

    month = models.DateField()
    department_id = models.IntegerField()
    request_type_id = models.IntegerField()
    governorate = models.CharField(max_length=20, blank=True)
    working_days = models.IntegerField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("completion time histogram")
        verbose_name_plural = _("completion time histograms")
        indexes = [models.Index(fields=["month"], name="completion_days_month_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "department_id", "request_type_id", "governorate", "working_days"],
                name="one_completion_days_per_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.request_type_id} {self.working_days}"
