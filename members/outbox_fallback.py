"""The fallback rule: a message a channel refuses goes by that channel's fallback (WhatsApp → SMS), once.

WhatsApp gets one try. When it refuses the message (an error answer, an unreachable API) or later reports it
undelivered (its status webhook), the row ends failed and the same message is queued as an SMS, with the text
written beside it when it was queued (`fallback_body`), if the member accepts text messages. The SMS row's key is the
message's key on SMS ("<key>:sms"), unique: a refusal and a failed status for the same message, or a status sent
twice, queue one SMS. A WhatsApp message whose answer never came is not fallen back on a guess: it is marked to
check, and its status webhook settles it (delivered, or failed and then the SMS).
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from members import channel_table
from members.models import Member, Notification

logger = logging.getLogger(__name__)

Status = Notification.Status


def fallback_key(row: Notification, channel: str) -> str:
    base, _sep, _channel = row.key.rpartition(":")
    return f"{base}:{channel}"[:200]


def fall_back(*, notification_id: int, reason: str) -> Notification | None:
    """Queue the message of a refused row on its channel's fallback; returns the new row, or None when there is
    none (no fallback channel, the member does not accept it, or it was queued already). Idempotent (unique key).
    Sent after commit."""
    with transaction.atomic():
        row = Notification.objects.select_related("member").get(pk=notification_id)
        fallback = channel_table.kind_of(row.channel).fallback
        if fallback is None:
            return None
        member: Member = row.member
        if not channel_table.kind_of(fallback).accepts(member):
            logger.warning(
                "Notification %s refused by %s (%s); the member does not accept %s, no fallback",
                row.pk,
                row.channel,
                reason,
                fallback,
            )
            return None
        key = fallback_key(row, fallback)
        if Notification.objects.filter(key=key).exists():
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
                    body=row.fallback_body,
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
