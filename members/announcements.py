"""Announcements: a message from the cooperative to all active members or a segment, through the outbox.

`send_announcement` (one web request) validates and records the announcement, then a Celery task
(`fan_out`) writes the outbox rows in bulk, in batches, and hands the SMS/e-mail rows to delivery.
Each text is rendered once per language and channel, not once per member.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members import bulk_outbox, channel_table, outbox, outbox_sending, slots
from members.models import Announcement, Channel, Governorate, Member, Notification, User

logger = logging.getLogger(__name__)

EVENT = "announcement"
INSERT_BATCH = 5000
SAMPLE_SIZE = 10
Segment = Announcement.Segment


# --- Who receives it -------------------------------------------------------------------------------


def recipients(*, segment: str, governorate: str = "") -> QuerySet[Member]:
    """Active members in the segment, in a stable order."""
    members = Member.objects.filter(status=Member.Status.ACTIVE)
    if segment == Segment.GOVERNORATE:
        members = members.filter(governorate=governorate)
    elif segment == Segment.OPEN_REQUESTS:
        members = members.filter(slots.open_requests_condition())
    elif segment != Segment.ALL:
        raise ValidationError(_("Unknown group of recipients."), code="segment")
    return members.order_by("pk")


@dataclass(frozen=True)
class SmsPreview:
    language: str
    text: str
    length: outbox.SmsLength


@dataclass(frozen=True)
class Preview:
    count: int
    sample: list[Member]
    sms: list[SmsPreview]

    @property
    def sms_ar(self) -> str:
        return self.sms[0].text

    @property
    def sms_en(self) -> str:
        return self.sms[1].text


def _texts(*, title: str, body: str, language: str, link: str, shorten: bool = True) -> dict[str, outbox.Rendered]:
    context = {
        "title": title,
        "body": body,
        "member_name": "",
        "member_first_name": "",
        "site_url": outbox.absolute_url(""),
        "link": outbox.absolute_url(link),
        "short_link": outbox.absolute_url(link),
    }
    return outbox.render_all(event=EVENT, language=language, context=context, shorten=shorten)


def _short_path(pk: int | None) -> str:
    # Before the announcement exists (preview), a stand-in id of realistic length measures the SMS.
    return reverse("announcement-link", args=[pk or 99999])


def validate(
    *, title_ar: str, title_en: str, body_ar: str, body_en: str, segment: str, governorate: str = ""
) -> Preview:
    """Everything checked before anything is queued: text in both languages, a segment that matches
    someone, texts that render and an SMS that fits in two segments. Returns the preview."""
    errors: dict[str, list[str]] = {}
    for field, value in (("title_ar", title_ar), ("title_en", title_en), ("body_ar", body_ar), ("body_en", body_en)):
        if not value.strip():
            errors.setdefault(field, []).append(_("Write the announcement's text in Arabic and in English."))
    if segment == Segment.GOVERNORATE and governorate not in Governorate.values:
        errors.setdefault("governorate", []).append(_("Choose the governorate."))
    if errors:
        raise ValidationError(errors)
    texts = {
        language: _texts(title=title, body=body, language=language, link=_short_path(None), shorten=False)
        for language, title, body in (("ar", title_ar, body_ar), ("en", title_en, body_en))
    }
    for language, field in (("ar", "title_ar"), ("en", "title_en")):
        sms = texts[language][Channel.SMS].body
        length = outbox.sms_length(sms)
        if length.segments > outbox.MAX_SMS_SEGMENTS:
            errors.setdefault(field, []).append(
                _("The title is too long for a text message: shorten it (the text message needs %(n)s characters).")
                % {"n": length.units}
            )
    if errors:
        raise ValidationError(errors)
    members = recipients(segment=segment, governorate=governorate)
    count = members.count()
    if not count:
        raise ValidationError(_("No active member matches this group of recipients. Nothing was sent."), code="empty")
    return Preview(
        count=count,
        sample=list(members.only("pk", "full_name_ar", "membership_no", "governorate")[:SAMPLE_SIZE]),
        sms=[
            SmsPreview(language=language, text=texts[language][Channel.SMS].body, length=outbox.sms_length(text))
            for language in ("ar", "en")
            for text in [texts[language][Channel.SMS].body]
        ],
    )


@transaction.atomic
def send_announcement(
    *, by: User, title_ar: str, title_en: str, body_ar: str, body_en: str, segment: str, governorate: str = ""
) -> Announcement:
    """Record an announcement and, after commit, queue it to its recipients in the background (`fan_out`).

    Who may: holders of members.send_announcement (supervisors, administrators). Validates first (see
    `validate`): on an error nothing is recorded or queued.
    """
    if not by.has_perm("members.send_announcement"):
        raise ValidationError(_("You may not send announcements."), code="permission")
    validate(
        title_ar=title_ar, title_en=title_en, body_ar=body_ar, body_en=body_en, segment=segment, governorate=governorate
    )
    announcement = Announcement(
        title_ar=title_ar.strip(),
        title_en=title_en.strip(),
        body_ar=body_ar.strip(),
        body_en=body_en.strip(),
        segment=segment,
        governorate=governorate if segment == Segment.GOVERNORATE else "",
        created_by=by,
    )
    announcement.full_clean()
    announcement.save()
    from members import tasks
    from members_portal.enqueue import after_commit

    after_commit(tasks.fan_out_announcement, announcement.pk)
    return announcement


def fan_out(*, announcement_id: int) -> int:
    """Write the announcement's outbox rows in bulk, in batches of INSERT_BATCH members (each batch its own
    transaction), then enqueue the SMS/e-mail rows for delivery. Returns the number of recipients.

    Idempotent: the rows' keys are unique and conflicts are skipped, so a second run (the sweep after a
    lost task, a redelivery) completes what the first left and duplicates nothing. Recipients are the
    segment's members at the moment this runs. The texts are rendered once per language and channel.
    """
    announcement = Announcement.objects.get(pk=announcement_id)
    link = _short_path(announcement.pk)
    texts = {
        "ar": _texts(title=announcement.title_ar, body=announcement.body_ar, language="ar", link=link),
        "en": _texts(title=announcement.title_en, body=announcement.body_en, language="en", link=link),
    }
    member_ids = list(
        recipients(segment=announcement.segment, governorate=announcement.governorate).values_list("pk", flat=True)
    )
    for start in range(0, len(member_ids), INSERT_BATCH):
        with transaction.atomic():
            bulk_outbox.write_rows(
                member_ids=member_ids[start : start + INSERT_BATCH],
                event=EVENT,
                key_prefix=f"announcement:{announcement.pk}:",
                texts=texts,
                context={"announcement_id": announcement.pk},
                link=announcement.get_absolute_url(),
                announcement_id=announcement.pk,
            )
    with transaction.atomic():
        Announcement.objects.filter(pk=announcement.pk).update(
            status=Announcement.Status.QUEUED, recipients=len(member_ids), queued_at=timezone.now()
        )
        pending = list(
            announcement.notifications.filter(status=Notification.Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        outbox_sending.enqueue_pending(pending)
    logger.info(
        "Announcement %s queued to %s members (%s rows to deliver)", announcement.pk, len(member_ids), len(pending)
    )
    return len(member_ids)


def requeue_stuck(*, grace_s: float) -> int:
    """Announcements still being prepared well after they were sent (the fan-out task was lost): again."""
    from members import tasks

    stuck = list(
        Announcement.objects.filter(
            status=Announcement.Status.QUEUING, created_at__lt=timezone.now() - timedelta(seconds=grace_s)
        ).values_list("pk", flat=True)
    )
    for pk in stuck:
        try:
            tasks.fan_out_announcement.apply_async(args=(pk,))
        except Exception:
            logger.exception("Could not enqueue the fan-out of announcement %s", pk)
            break
    return len(stuck)


# --- Reading ---------------------------------------------------------------------------------------


def report(announcement: Announcement) -> dict[str, dict[str, int]]:
    """{channel: {status: count}} for one announcement: one GROUP BY. Every channel of the table that a message
    always has a text on, and an optional one (WhatsApp) only when the announcement went by it."""
    table: dict[str, dict[str, int]] = {kind.channel: {} for kind in channel_table.TABLE if not kind.optional}
    rows = announcement.notifications.values("channel", "status").annotate(total=Count("pk")).order_by()
    for row in rows:
        table.setdefault(row["channel"], {})[row["status"]] = row["total"]
    return table


def for_member(user: User) -> QuerySet[Announcement]:
    """Announcements this person received (their inbox copy exists), newest first."""
    return Announcement.objects.filter(notifications__member__user=user, notifications__channel=Channel.INBOX).order_by(
        "-created_at", "-pk"
    )


def visible_to(user: User) -> QuerySet[Announcement]:
    """Senders see every announcement; a member sees those addressed to them."""
    if user.has_perm("members.send_announcement"):
        return Announcement.objects.all()
    return for_member(user)
