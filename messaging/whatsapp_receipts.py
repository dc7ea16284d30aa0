"""WhatsApp's statuses for the messages the portal sent (its webhook): delivered, read, or failed, which sends the
message by SMS instead (members.outbox_fallback).

A status names the message by its wamid (recorded when WhatsApp took it) or by our outbox key, which travels as
`biz_opaque_callback_data`. The first final state is kept, as for SMS delivery reports: a repeated or late status
changes nothing, so Meta posting twice is harmless; a read receipt only adds when it was read. A status for a message
the outbox had marked "to check" (its answer never came) settles it: WhatsApp took it.
"""

import logging
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from members import outbox_fallback
from members.models import Channel, Notification
from messaging.delivery_reports import UnknownMessage

logger = logging.getLogger(__name__)

Status = Notification.Status
DeliveryState = Notification.DeliveryState
NAME = "whatsapp"


def _when(status: dict) -> datetime:
    try:
        return datetime.fromtimestamp(int(status.get("timestamp", "")), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return timezone.now()


def record_status(status: dict) -> str:
    """Record one status: "delivered", "read", "failed", "pending" (sent: not final, nothing changes) or "duplicate".
    Raises UnknownMessage when no WhatsApp message of ours matches. A failure falls back to SMS after the row is
    recorded, once (the fallback's key is unique)."""
    word = str(status.get("status", "")).strip().lower()
    with transaction.atomic():
        rows = Notification.objects.select_for_update().filter(channel=Channel.WHATSAPP)
        message_id, reference = str(status.get("id") or ""), str(status.get("biz_opaque_callback_data") or "")
        row = rows.filter(provider=NAME, provider_message_id=message_id).first() if message_id else None
        if row is None and reference:
            row = rows.filter(Q(provider=NAME) | Q(provider=""), key=reference).first()
        if row is None:
            raise UnknownMessage(f"no WhatsApp message with id {message_id!r} or key {reference!r}")
        changes: dict = {}
        if row.status == Status.UNKNOWN:
            # Our request's answer never came, but WhatsApp reports on the message: it took it.
            changes.update(status=Status.SENT, sent_at=timezone.now(), last_error="")
        if not row.provider_message_id and message_id:
            changes.update(provider=NAME, provider_message_id=message_id[:64])
        outcome = "pending"
        if word in ("delivered", "read") and not row.delivery_state:
            changes.update(delivery_state=DeliveryState.DELIVERED, delivered_at=_when(status))
            outcome = "delivered"
        if word == "read" and row.read_at is None:
            changes["read_at"] = _when(status)
            outcome = "read"
        if word == "failed" and not row.delivery_state:
            errors = status.get("errors") if isinstance(status.get("errors"), list) else []
            error = errors[0] if errors and isinstance(errors[0], dict) else {}
            reason = f"{error.get('code', '')} {error.get('title', '')}".strip() or "not delivered"
            changes.update(delivery_state=DeliveryState.FAILED, delivery_error=reason[:300])
            outcome = "failed"
        if word in ("delivered", "read", "failed") and outcome == "pending":
            outcome = "duplicate"
        if changes:
            Notification.objects.filter(pk=row.pk).update(**changes)
        logger.info("Notification %s: WhatsApp reports it %s (%s)", row.pk, word or "?", outcome)
    if outcome == "failed":
        outbox_fallback.fall_back(notification_id=row.pk, reason=f"WhatsApp reported it not delivered: {reason}")
    return outcome
