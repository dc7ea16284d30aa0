"""Delivery reports: a provider tells the portal what became of a message it took (delivered to the phone, or not).

The provider's callback carries the shared secret (`<PROVIDER>_CALLBACK_SECRET`) as the HTTP Basic password; a
report without it changes nothing. A report names the message by the provider's id (recorded when the provider
took it) or, for a provider that carries it back, by our outbox key. The first final report is kept: a repeated
one, or a late one that contradicts it, changes nothing, so a provider that calls twice is harmless. A report for
a message the outbox had marked "to check" (its answer never came) settles it: the provider took it. A report that
a critical notice was not delivered sends it by its fallback (members.outbox_fallback).
"""

import base64
import binascii
import hmac
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from members import outbox_fallback
from members.models import Channel, Notification
from messaging.report import DELIVERED, FAILED, PENDING, Report

logger = logging.getLogger(__name__)

Status = Notification.Status


class UnknownMessage(Exception):
    """The report names no message the portal sent through this provider."""


def callback_secret(provider: str) -> str:
    return getattr(settings, f"{provider.upper()}_CALLBACK_SECRET", "")


def secret_matches(provider: str, authorization: str) -> bool:
    """Does the callback's HTTP Basic password equal the provider's secret? Fails closed with no secret set."""
    expected = callback_secret(provider)
    scheme, _space, encoded = authorization.partition(" ")
    if not expected or scheme.lower() != "basic":
        return False
    try:
        _user, _colon, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return hmac.compare_digest(password.encode(), expected.encode())


@transaction.atomic
def record_report(*, provider: str, report: Report) -> str:
    """Record what the provider reports about one message: "delivered", "failed", "pending" (not final: nothing
    changes) or "duplicate" (a final report was already recorded: nothing changes). Raises UnknownMessage when no
    SMS sent through this provider matches. Locks the row, so two copies of one report arriving at once record it
    once."""
    rows = Notification.objects.select_for_update().filter(channel=Channel.SMS)
    row = None
    if report.message_id:
        row = rows.filter(provider=provider, provider_message_id=report.message_id).first()
    if row is None and report.reference:
        row = rows.filter(Q(provider=provider) | Q(provider=""), key=report.reference).first()
    if row is None:
        raise UnknownMessage(f"no SMS through {provider} with id {report.message_id!r} or key {report.reference!r}")
    if report.state == PENDING:
        return "pending"
    if row.delivery_state:
        return "duplicate"
    now = timezone.now()
    changes: dict = {"delivery_state": report.state}
    if report.state == DELIVERED:
        changes["delivered_at"] = now
    elif report.state == FAILED:
        changes["delivery_error"] = (report.error or "not delivered")[:300]
    if not row.provider_message_id and report.message_id:
        changes.update(provider=provider, provider_message_id=report.message_id[:64])
    if row.status == Status.UNKNOWN:
        # The answer to our request never came, but the provider reports on the message: it took it.
        changes.update(status=Status.SENT, sent_at=now, last_error="")
    Notification.objects.filter(pk=row.pk, delivery_state="").update(**changes)
    logger.info("Notification %s: %s reports it %s", row.pk, provider, report.state)
    if report.state == FAILED:
        # A critical notice the phone did not get goes by its fallback (e-mail), once (outbox_fallback).
        outbox_fallback.fall_back(notification_id=row.pk, reason=f"{provider} reported it not delivered")
    return report.state
