"""The notification outbox: every message to a member is a row written with the event that causes it.

Queueing (`queue_notification`) renders the event's texts in the member's language first (see
members.notification_texts), so a missing template or a missing variable is an error before anything is
written; then it writes one row per channel the member accepts and, after commit, enqueues the send task.
The inbox copy needs no sending: it is written as sent and is what the member reads in the portal.

Sending (claims, the heartbeat, hand-over with a reference, outcomes that survive a database blip, the sweep,
and what staff do with a message whose outcome is unknown) lives in members.outbox_sending.
"""

import json
import secrets
from collections.abc import Iterable, Mapping
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members import channel_table
from members.models import Channel, Member, Notification, User

# The texts (rendering, SMS length) live in members.notification_texts; callers reach them through here too.
from members.notification_texts import (  # noqa: F401
    CHANNELS,
    MAX_SMS_SEGMENTS,
    NotificationTemplateError,
    Rendered,
    SmsLength,
    _engine,
    absolute_url,
    fit_sms,
    message_context,
    render_all,
    render_message,
    short_link,
    sms_length,
)

Status = Notification.Status


# --- Queueing --------------------------------------------------------------------------------------


def sends(channel: str) -> bool:
    """Is a row on this channel sent by a worker (False: the inbox, delivered by being written)?"""
    return channel_table.kind_of(channel).sends


def channels_for(member: Member, *, texts: Mapping | None = None) -> list[Channel]:
    """The inbox always; every other channel of the table with the member's consent and an address (WhatsApp for an
    event with a template in the member's language, in place of SMS)."""
    return channel_table.channels_for(member, texts=texts)


def new_token() -> str:
    return secrets.token_urlsafe(6)  # 8 characters, 48 bits: unguessable enough for a link that also needs sign-in


def _check_json(context: Mapping) -> None:
    try:
        json.dumps(context)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            _("A message's details must be plain values (text, numbers, lists): %(error)s") % {"error": error},
            code="context_not_json",
        ) from error


def queue_notification(
    *, member: Member, event: str, key: str, link: str = "", context: dict | None = None, new_key: bool = False
) -> list[Notification]:
    """Write one outbox row per channel the member accepts, and send the SMS/e-mail rows after commit.

    Call inside the transaction of the event itself, so the message exists exactly when the event does.
    Validates first: the event's inbox, SMS and e-mail texts must exist and render with `context` in the
    member's language, else NotificationTemplateError and nothing is written. Idempotent: a key already
    queued adds nothing (returns only the rows it created). `link` is a path inside the portal. `new_key`: the key
    names something created in this very transaction (a request just submitted), so nothing can be queued under it
    yet and the look-up of what is queued is skipped.
    """
    context = dict(context or {})
    _check_json(context)
    token = new_token()
    full_context = message_context(member=member, context=context, link=link, token=token)
    texts = render_all(event=event, language=member.language, context=full_context)
    now = timezone.now()
    rows = []
    for channel in channels_for(member, texts=texts):
        fallback = channel_table.kind_of(channel).fallback
        rows.append(
            Notification(
                member=member,
                channel=channel,
                event=event,
                context=context,
                language=member.language,
                link=link,
                subject=texts[channel].subject,
                body=texts[channel].body,
                fallback_body=texts[fallback].body if fallback else "",
                token=token,
                key=f"{key}:{channel}"[:200],
                # The inbox copy is delivered by being written: it is what the member reads.
                status=Status.PENDING if sends(channel) else Status.SENT,
                sent_at=None if sends(channel) else now,
                next_attempt_at=now if sends(channel) else None,
            )
        )
    created = _insert_new(rows, look_up=not new_key)
    from members import tasks  # the tasks module imports this one
    from members_portal.enqueue import after_commit

    for row in created:
        if row.status == Status.PENDING:
            after_commit(tasks.send_notification, row.pk)
    return created


def _insert_new(rows: Iterable[Notification], *, look_up: bool = True) -> list[Notification]:
    """Insert the rows whose key is not queued yet, in one statement that leaves alone a key a concurrent call
    inserted at the same moment (the unique key decides); returns them with their ids. A row a concurrent call
    inserted may be returned as well: enqueuing it twice costs a task that finds nothing to claim."""
    rows = list(rows)
    if look_up:
        # A message already queued on a channel or on its fallback (the member changed channels since) adds nothing.
        keys = {row.key: [row.key, *fallback_keys(row)] for row in rows}
        queued = set(
            Notification.objects.filter(key__in=[key for group in keys.values() for key in group]).values_list(
                "key", flat=True
            )
        )
        rows = [row for row in rows if not queued.intersection(keys[row.key])]
    if not rows:
        return []
    # On a key inserted meanwhile the row stays as it is (its key set to itself): the statement gives every id
    # back, where skipping the conflict needed a second query to read them.
    Notification.objects.bulk_create(rows, update_conflicts=True, unique_fields=["key"], update_fields=["key"])
    return [row for row in rows if row.pk is not None]


def fallback_keys(row: Notification) -> list[str]:
    """The key the same message has (or would have) on the channel this row's channel falls back to, and back."""
    base, _sep, channel = row.key.rpartition(":")
    related = [kind.channel for kind in channel_table.TABLE if kind.fallback == channel]
    fallback = channel_table.kind_of(channel).fallback if channel in Channel.values else None
    return [f"{base}:{other}"[:200] for other in ([fallback] if fallback else []) + related]


# --- The inbox -------------------------------------------------------------------------------------


def inbox_for(user: User) -> QuerySet[Notification]:
    """The signed-in person's own inbox messages, newest first (a guessed id of another's is not in it)."""
    return Notification.objects.filter(member__user=user, channel=Channel.INBOX).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def mark_read(*, user: User, notification_id: int | None = None, token: str = "") -> int:
    """Mark one message (by id or by its link token), or all when neither is given, as read. Returns how many.
    Only the user's own messages can be touched; a message read before keeps its first read time."""
    rows = inbox_for(user).filter(read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    if token:
        rows = rows.filter(token=token)
    return rows.update(read_at=timezone.now())


# --- The operations view ---------------------------------------------------------------------------


class StatusCount(TypedDict):
    channel: str
    status: str
    total: int


def status_summary() -> list[StatusCount]:
    """Counts by channel and status: one GROUP BY for the operations page."""
    return list(
        Notification.objects.values("channel", "status").annotate(total=Count("pk")).order_by("channel", "status")
    )


def send_test_message(*, member: Member, by: User) -> list[Notification]:
    """Queue the "test_message" event to one member on every channel they accept (operations page)."""
    with transaction.atomic():
        return queue_notification(
            member=member,
            event="test_message",
            key=f"test_message:{member.pk}:{new_token()}",
            link=reverse("members:inbox"),
            context={"sent_by": by.get_full_name() or by.get_username()},
        )
