"""The notification outbox: every message to a member is a row written with the event that causes it.

Delivery (the Celery task, the channels, the templates) is built on these rows; callers only queue.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from members.models import Channel, Member, Notification


def channels_for(member: Member) -> list[Channel]:
    """The inbox always; SMS and e-mail only with the member's consent (and an address for e-mail)."""
    channels = [Channel.INBOX]
    if member.sms_consent:
        channels.append(Channel.SMS)
    if member.email and member.email_consent:
        channels.append(Channel.EMAIL)
    return channels


def queue_notification(
    *, member: Member, event: str, key: str, link: str = "", context: dict | None = None
) -> list[Notification]:
    """Write one outbox row per channel the member accepts. Idempotent: a key already queued adds nothing.

    Call inside the transaction of the event itself, so the message exists exactly when the event does.
    """
    rows = [
        Notification(
            member=member,
            channel=channel,
            event=event,
            context=context or {},
            language=member.language,
            link=link,
            key=f"{key}:{channel}",
        )
        for channel in channels_for(member)
    ]
    return _insert_new(rows)


def _insert_new(rows: Iterable[Notification]) -> list[Notification]:
    created = []
    for row in rows:
        if Notification.objects.filter(key=row.key).exists():
            continue
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue  # queued at the same moment by a concurrent call with the same key
        created.append(row)
    return created
