"""The fallback rule: a message its channel could not deliver goes by another channel, once. The rule itself (which
channel follows which) is the channel table's (`channel_table.fallback_for`); this module applies it.

- WhatsApp → SMS, every event. WhatsApp gets one try. When it refuses the message (an error answer, an unreachable
  API) or later reports it undelivered (its status webhook), the row ends failed and the same message is queued as an
  SMS, with the text written beside it when it was queued (`fallback_body`), if the member accepts text messages.
- SMS → e-mail, critical notices only (OUTBOX_CRITICAL_EVENTS: returns for completion, Assembly notices). Within SMS
  the tries alternate between SMS_BACKEND and SMS_FALLBACK_BACKEND (channel_table.Sms). When the tries are spent,
  or the provider reports the message undelivered, the notice is rendered for e-mail and sent to the address on
  record (consent to e-mail is not needed for a notice the cooperative owes the member; a member who consented to
  e-mail has the e-mail copy already, and that one stands).
- An answer that never came (the row "to check") is not fallen back on a guess: the provider's report settles it.
  Only for a critical notice, when no report came within OUTBOX_UNCERTAIN_FALLBACK_S, the sweep sends it by the
  fallback as well (`fall_back_uncertain`): the member may then find the notice twice, on two channels, which for a
  critical notice is better than not at all. It is never sent again on the same channel or to another SMS provider.

The new row's key is the message's key on the fallback channel ("<key>:sms", "<key>:email"), unique: a refusal and a
failed report for the same message, a report sent twice, or two sweeps queue one message.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from members import channel_table
from members.models import Member, Notification

logger = logging.getLogger(__name__)

Status = Notification.Status


def fallback_key(row: Notification, channel: str) -> str:
    base, _sep, _channel = row.key.rpartition(":")
    return f"{base}:{channel}"[:200]


def _texts(row: Notification, member: Member, fallback: str) -> tuple[str, str] | None:
    """The subject and text of the message on the fallback channel: written beside it when queued, or rendered now
    (a critical notice's e-mail); None when the event has no text on that channel."""
    if row.fallback_body and channel_table.kind_of(row.channel).fallback == fallback:
        return "", row.fallback_body
    from members.notification_texts import NotificationTemplateError, message_context, render_message

    try:
        rendered = render_message(
            event=row.event,
            channel=fallback,
            language=row.language,
            context=message_context(member=member, context=row.context, link=row.link, token=row.token),
        )
    except NotificationTemplateError as error:
        logger.error("Notification %s: no %s text for %s, no fallback: %s", row.pk, fallback, row.event, error)
        return None
    return rendered.subject, rendered.body


def fall_back(*, notification_id: int, reason: str) -> Notification | None:
    """Queue the message of a refused row on its fallback channel; returns the new row, or None when there is
    none (no fallback for this channel and event, the member is not reached there, or it was queued already).
    Idempotent (unique key). Sent after commit."""
    with transaction.atomic():
        row = Notification.objects.select_related("member").get(pk=notification_id)
        fallback = channel_table.fallback_for(row.channel, row.event)
        if fallback is None:
            return None
        member: Member = row.member
        if not channel_table.kind_of(fallback).reaches(member, row.event):
            logger.warning(
                "Notification %s refused by %s (%s); the member is not reached by %s, no fallback",
                row.pk,
                row.channel,
                reason,
                fallback,
            )
            return None
        key = fallback_key(row, fallback)
        if Notification.objects.filter(key=key).exists():
            return None
        texts = _texts(row, member, fallback)
        if texts is None:
            return None
        try:
            with (
                transaction.atomic()
            ):  # a savepoint: a concurrent fallback of the same message wins, this one adds nothing
                new = Notification.objects.create(
                    member=member,
                    channel=fallback,
                    event=row.event,
                    context=row.context,
                    language=row.language,
                    link=row.link,
                    subject=texts[0],
                    body=texts[1],
                    token=row.token,
                    announcement_id=row.announcement_id,
                    key=key,
                    status=Status.PENDING,
                    next_attempt_at=timezone.now(),
                )
        except IntegrityError:
            return None
        logger.info(
            "Notification %s refused by %s (%s): sent as %s (notification %s)",
            row.pk,
            row.channel,
            reason,
            fallback,
            new.pk,
        )
        from members import tasks  # the tasks module imports the outbox
        from members_portal.enqueue import after_commit

        after_commit(tasks.send_notification, new.pk)
        return new


def fall_back_uncertain(*, limit: int = 500) -> int:
    """The sweep's part: critical notices "to check" (the answer never came) with no delivery report for
    OUTBOX_UNCERTAIN_FALLBACK_S since their last try go by their fallback too. Looks back one day only, so old rows
    staff left to check are not read again and again. Returns how many were queued."""
    events = list(settings.OUTBOX_CRITICAL_EVENTS)
    if not events:
        return 0
    before = timezone.now() - timedelta(seconds=settings.OUTBOX_UNCERTAIN_FALLBACK_S)
    ids = list(
        Notification.objects.filter(
            status=Status.UNKNOWN,
            delivery_state="",
            event__in=events,
            claimed_at__lt=before,
            claimed_at__gte=before - timedelta(days=1),
        )
        .order_by("claimed_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for pk in ids:
        reason = "no answer and no delivery report in time"
        queued += fall_back(notification_id=pk, reason=reason) is not None
    return queued
