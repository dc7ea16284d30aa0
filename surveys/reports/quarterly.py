"""The quarterly report that arrives by itself: rendered on the first working day of each quarter for the
quarter before, kept privately, and sent to every board member.

How it reaches a board member (decided here, see also DESIGN.md "Notifications"):
- by e-mail, with the PDF attached, to the board member's account e-mail (or their member record's):
  one `BoardReportEmail` row per report and person, claimed by a conditional UPDATE before sending, so a
  task run twice never sends twice. The outbox carries no attachments, so the PDF cannot go through it.
- a board member who is also a member (user.member) gets, through the outbox, the inbox message and,
  with their consent, an SMS, both with a link to the reports page. The outbox's own e-mail copy is not
  asked for: the e-mail with the PDF above replaces it.
- a board member without a member record gets the e-mail only, and finds every report on the page.

Idempotent per quarter: the report row is unique per quarter, its PDF is rendered once, the outbox keys
and the e-mail rows are unique per report and person. Running it again sends nothing twice, and sends
what is missing (a new board member, an e-mail that failed).
"""

import copy
import datetime
import logging

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from members import channels, outbox
from members.models import Member
from members.roles import Role
from members_portal.enqueue import after_commit
from requests_app import calendar
from surveys.reports import dashboard
from surveys.reports import pdf as report_pdf
from surveys.reports.models import BoardReportEmail, QuarterlyReport
from surveys.reports.periods import Period, quarter_of
from surveys.reports.satisfaction import Scope

logger = logging.getLogger(__name__)
EVENT = "quarterly_report_ready"
MAX_EMAIL_ATTEMPTS = 5


def reports_for_board() -> QuerySet[QuarterlyReport]:
    """Reports issued so far, newest first (the board and administrators see them all)."""
    return QuarterlyReport.objects.exclude(file="").order_by("-period_start")


def first_working_day(day: datetime.date) -> datetime.date:
    """The first working day of the quarter containing `day`."""
    current = datetime.date(day.year, 3 * quarter_of(day) - 2, 1)
    holidays = calendar.days_off()
    while not calendar.is_working_day(current, holidays):
        current += datetime.timedelta(days=1)
    return current


def is_due(today: datetime.date) -> bool:
    """On or after the first working day of the quarter (so a day the beat missed is caught up)."""
    return today >= first_working_day(today)


def board_members() -> QuerySet:
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name=Role.BOARD).distinct().order_by("pk")


def _member_of(user) -> Member | None:
    try:
        return user.member
    except Member.DoesNotExist:
        return None


@transaction.atomic
def render_report(*, report: QuarterlyReport) -> QuarterlyReport:
    """Render and store the quarter's PDF once, in Arabic (the cooperative's language). The report's row is locked
    while it renders: a second issue at the same moment waits, then finds the PDF there and renders nothing."""
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    if report.file:
        return report
    period = report.period
    now = timezone.now()
    with translation.override("ar"):
        built = dashboard.build(period=period, scope=Scope(), now=now)
        pdf = report_pdf.render(built, title=translation.gettext("Quarterly report to the board"))
    report.file.save(report_pdf.filename(built, "quarterly-report"), ContentFile(pdf), save=False)
    report.generated_at = now
    report.save(update_fields=["file", "generated_at"])
    return report


@transaction.atomic
def send_to_board(*, report: QuarterlyReport) -> int:
    """Queue the report to every active board member who has not had it yet. Returns how many were new."""
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)  # one sending at a time
    link = reverse("surveys:quarterly-reports")
    new = 0
    for user in board_members().select_related("member"):
        member = _member_of(user)
        if member is not None:
            # Inbox and SMS through the outbox; its e-mail copy is replaced by the e-mail with the PDF.
            without_email = copy.copy(member)
            without_email.email_consent = False
            with translation.override(member.language or "ar"):
                outbox.queue_notification(
                    member=without_email,
                    event=EVENT,
                    key=f"quarterly-report:{report.period_start:%Y-%m}:{user.pk}",
                    link=link,
                    context={"period": report.period.gregorian_label(), "period_hijri": report.period.hijri_label()},
                )
        address = user.email or (member.email if member else "")
        if not address:
            logger.warning("Board member %s has no e-mail address: the quarterly report was not e-mailed", user.pk)
            continue
        email, created = BoardReportEmail.objects.get_or_create(report=report, user=user, defaults={"email": address})
        if created:
            new += 1
        if email.status == BoardReportEmail.Status.PENDING:
            from surveys.reports import tasks

            after_commit(tasks.send_board_report_email, email.pk)
    report.recipients = BoardReportEmail.objects.filter(report=report).count()
    report.sent_at = report.sent_at or timezone.now()
    report.save(update_fields=["recipients", "sent_at"])
    return new


def issue_quarterly_report(*, period: Period, by=None) -> QuarterlyReport:
    """Render (once) and send (to whoever has not had it) the report of a past quarter. Idempotent."""
    if period.kind != "quarter" or not period.is_complete():
        raise ValueError(f"only a finished quarter has a quarterly report: {period.key}")
    try:
        with transaction.atomic():
            report, _created = QuarterlyReport.objects.get_or_create(
                period_start=period.start, defaults={"created_by": by}
            )
    except IntegrityError:  # another worker created it at the same moment
        report = QuarterlyReport.objects.get(period_start=period.start)
    report = render_report(report=report)
    send_to_board(report=report)
    report.refresh_from_db()
    return report


def issue_if_due(today: datetime.date | None = None) -> QuarterlyReport | None:
    """The beat's entry point: last quarter's report, from the first working day of this quarter on."""
    today = today or timezone.localdate()
    if not is_due(today):
        return None
    period = Period.last_complete_quarter(today)
    report = QuarterlyReport.objects.filter(period_start=period.start).first()
    if report and report.file and report.sent_at:
        # Already issued; only hand over e-mails left pending (broker down when they were queued).
        for email_id in report.emails.filter(status=BoardReportEmail.Status.PENDING).values_list("pk", flat=True):
            from surveys.reports import tasks

            tasks.send_board_report_email.delay(email_id)
        return report
    return issue_quarterly_report(period=period)


def email_text(email: BoardReportEmail) -> tuple[str, str]:
    member = _member_of(email.user)
    language = (member.language if member else "") or "ar"
    period = email.report.period
    with translation.override(language):
        context = {
            "name": (member.full_name_ar if member and language == "ar" else email.user.get_full_name())
            or email.user.get_username(),
            "period": period.gregorian_label(),
            "period_hijri": period.hijri_label(),
            "link": outbox.absolute_url(reverse("surveys:quarterly-reports")),
        }
        subject = render_to_string("surveys/board/email/quarterly_report_subject.txt", context).strip()
        body = render_to_string("surveys/board/email/quarterly_report_body.txt", context).strip()
    return " ".join(subject.split()), body


def deliver_email(email_id: int) -> str:
    """Send one board e-mail with the PDF if this call can claim it: "sent", "retry", "failed" or "skipped"."""
    now = timezone.now()
    claimed = BoardReportEmail.objects.filter(pk=email_id, status=BoardReportEmail.Status.PENDING).update(
        status=BoardReportEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    email = BoardReportEmail.objects.select_related("report", "user").get(pk=email_id)
    mine = BoardReportEmail.objects.filter(pk=email_id, status=BoardReportEmail.Status.SENDING, claimed_at=now)
    try:
        subject, body = email_text(email)
        with email.report.file.open("rb") as handle:
            content = handle.read()
        attachment = channels.Attachment(f"board-report-{email.report.period.key}.pdf", content, "application/pdf")
        channels.send_email(email.email, subject, body, [attachment])
    except Exception as error:
        reason = str(error)[:2000]
        logger.warning("Board report e-mail %s failed: %s", email_id, reason)
        status = (
            BoardReportEmail.Status.FAILED if email.attempts >= MAX_EMAIL_ATTEMPTS else BoardReportEmail.Status.PENDING
        )
        mine.update(status=status, last_error=reason)
        return "failed" if status == BoardReportEmail.Status.FAILED else "retry"
    mine.update(status=BoardReportEmail.Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"
