"""Telling the eligible members of a meeting: the notice, the reminders, and who could not be reached.

Every message goes to the outbox in bulk (assembly.fan_out, as announcements do): the inbox always, SMS and e-mail as
each member accepts them, each row keyed so that a second run (a redelivered task, the beat running twice) adds
nothing.
"""

import datetime
import logging
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from assembly import fan_out
from assembly.attendance import quorum_rule
from assembly.models import EligibleMember, Meeting
from members.models import AccessLog, Channel, Notification, User

logger = logging.getLogger(__name__)

NOTICE_EVENT = "assembly_notice"
ADJOURNED_EVENT = "assembly_adjourned"
REMINDER_EVENT = "assembly_reminder"
REMINDER_DAYS = (3, 1)


def notice_event(meeting: Meeting) -> str:
    """A meeting adjourned for want of quorum has its own notice, saying why it meets again and with what quorum."""
    return ADJOURNED_EVENT if meeting.adjourned_from_id else NOTICE_EVENT


def _notice_extra(meeting: Meeting) -> dict:
    if meeting.adjourned_from is None:
        return {}
    percent, majority = quorum_rule(meeting)
    return {
        "adjourned_from": timezone.localtime(meeting.adjourned_from.starts_at).isoformat(),
        "quorum_percent": 0 if majority else percent,
    }


def _context(meeting: Meeting) -> dict[str, dict]:
    """The message's values per language. Both languages' forms ride along (`place_ar`, `place_en`), so the inbox
    shows the message again in the language the member reads the portal in."""
    items = list(meeting.agenda_items.order_by("order"))
    starts_at = timezone.localtime(meeting.starts_at)
    common = {
        "meeting_id": meeting.pk,
        "starts_at": starts_at.isoformat(),
        "time": starts_at.strftime("%H:%M"),
        "place_ar": meeting.place_ar,
        "place_en": meeting.place_en,
        "agenda_ar": [item.title_ar for item in items],
        "agenda_en": [item.title_en for item in items],
        "kind_ar": _kind_label(meeting, "ar"),
        "kind_en": _kind_label(meeting, "en"),
    }
    return {
        language: {
            **common,
            "place": common[f"place_{language}"],
            "agenda": common[f"agenda_{language}"],
            "kind": common[f"kind_{language}"],
        }
        for language in ("ar", "en")
    }


def _kind_label(meeting: Meeting, language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return str(meeting.get_kind_display())


def _tell(
    *,
    meeting: Meeting,
    member_ids: list[int],
    event: str,
    key_prefix: str,
    extra: dict | None = None,
    link_name: str = "assembly:meeting-member",
) -> int:
    """Queue one event to these members in bulk (assembly.fan_out), linking to the meeting's page (or `link_name`,
    another page of the meeting). Returns the rows written."""
    contexts = {language: {**values, **(extra or {})} for language, values in _context(meeting).items()}
    kept = {key: value for key, value in contexts["ar"].items() if key not in ("place", "agenda", "kind")}
    return fan_out.queue(
        event=event,
        key_prefix=key_prefix,
        member_ids=member_ids,
        contexts=contexts,
        context=kept,
        link=reverse(link_name, args=[meeting.pk]),
    )


def send_notice(*, meeting_id: int) -> int:
    """Queue the published meeting's notice (date in both calendars, time, place, agenda) to every eligible member;
    for a meeting adjourned for want of quorum, the notice of the adjournment (ADJOURNED_EVENT).

    Idempotent: the rows' keys are unique per meeting and member, so a second run completes what the first left
    and duplicates nothing. Returns the rows written by this run.
    """
    meeting = Meeting.objects.select_related("adjourned_from").get(pk=meeting_id)
    if meeting.status != Meeting.Status.PUBLISHED:
        return 0
    event = notice_event(meeting)
    already = set(
        Notification.objects.filter(key__startswith=f"{event}:{meeting.pk}:", channel=Channel.INBOX).values_list(
            "member_id", flat=True
        )
    )
    member_ids = [
        pk for pk in meeting.eligible.order_by("member_id").values_list("member_id", flat=True) if pk not in already
    ]
    written = _tell(
        meeting=meeting,
        member_ids=member_ids,
        event=event,
        key_prefix=f"{event}:{meeting.pk}:",
        extra=_notice_extra(meeting),
    )
    Meeting.objects.filter(pk=meeting.pk, notice_queued_at__isnull=True).update(notice_queued_at=timezone.now())
    logger.info("Assembly meeting %s: notice queued to %s members (%s rows)", meeting.pk, len(member_ids), written)
    return written


def catch_up(*, grace_s: float = 300) -> int:
    """Published meetings whose notice was never queued (the task was lost: broker or worker down): queue it now.
    Run by the hourly beat before the reminders. Returns the rows written."""
    late = Meeting.objects.filter(
        status=Meeting.Status.PUBLISHED,
        notice_queued_at__isnull=True,
        published_at__lt=timezone.now() - datetime.timedelta(seconds=grace_s),
    )
    return sum(send_notice(meeting_id=pk) for pk in late.values_list("pk", flat=True))


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the eligible members of each published meeting 3 days and 1 day before it (Riyadh dates), with the link
    to their pass for the door (it asks them to sign in).

    Safe to run any number of times a day: each member's reminder for a meeting and a day is keyed, and members
    already reminded are skipped before anything is rendered. Returns the rows written by this run.
    """
    today = today or timezone.localdate()
    written = 0
    for meeting in Meeting.objects.filter(status=Meeting.Status.PUBLISHED, starts_at__gt=timezone.now()):
        days = (timezone.localtime(meeting.starts_at).date() - today).days
        if days not in REMINDER_DAYS:
            continue
        reminded = set(
            Notification.objects.filter(
                key__startswith=f"{REMINDER_EVENT}:{meeting.pk}:{days}:", channel=Channel.INBOX
            ).values_list("member_id", flat=True)
        )
        member_ids = [
            pk
            for pk in meeting.eligible.order_by("member_id").values_list("member_id", flat=True)
            if pk not in reminded
        ]
        written += _tell(
            meeting=meeting,
            member_ids=member_ids,
            event=REMINDER_EVENT,
            key_prefix=f"{REMINDER_EVENT}:{meeting.pk}:{days}:",
            extra={"days": days},
            link_name="assembly:meeting-pass",
        )
    return written


# --- Who was reached ---------------------------------------------------------------------------------


@dataclass
class Delivery:
    """One eligible member's notice: the state of its text message and e-mail, if any were queued."""

    eligible: EligibleMember
    sms: str = ""
    email: str = ""

    @property
    def reached(self) -> bool:
        """Sent or waiting on a text message or an e-mail; the inbox alone is not a way to reach someone."""
        failed = {"", Notification.Status.FAILED}
        return self.sms not in failed or self.email not in failed


def deliveries(meeting: Meeting) -> list[Delivery]:
    """Every eligible member with their notice's SMS and e-mail state: two queries, whatever the number."""
    rows = {
        eligible.member_id: Delivery(eligible=eligible)
        for eligible in meeting.eligible.select_related("member").order_by("membership_no", "pk")
    }
    notifications = Notification.objects.filter(
        key__startswith=f"{notice_event(meeting)}:{meeting.pk}:", channel__in=[Channel.SMS, Channel.EMAIL]
    ).values_list("member_id", "channel", "status")
    for member_id, channel, status in notifications:
        if member_id in rows:
            setattr(rows[member_id], channel, status)
    return list(rows.values())


def log_follow_up_list(*, by: User, rows: list[Delivery]) -> None:
    """The list of members not reached shows their mobiles, for a phone call: one access-log line per member shown
    (a mobile revealed), as when staff reveal a masked detail; the privacy officer reads them in the access log."""
    AccessLog.objects.bulk_create(
        [
            AccessLog(viewer=by, member_id=row.eligible.member_id, action=AccessLog.Action.REVEALED, detail="mobile")
            for row in rows
        ]
    )
