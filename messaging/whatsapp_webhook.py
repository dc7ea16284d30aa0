"""WhatsApp's webhook: Meta's subscription check, then signed calls carrying statuses and members' messages.

Every call is signed: X-Hub-Signature-256 is "sha256=" and the HMAC-SHA256 of the raw body with the app secret
(WHATSAPP_APP_SECRET). A call whose signature does not match (or with no secret set) changes nothing and is a
warning in the log. A status for a message we did not send is a warning and changes nothing; the call is still
answered 200, or Meta would post it again and again.
"""

import hashlib
import hmac
import logging

from django.conf import settings

from messaging import whatsapp_receipts, whatsapp_replies
from messaging.delivery_reports import UnknownMessage

logger = logging.getLogger(__name__)


def signature_matches(body: bytes, header: str) -> bool:
    """Is `header` the app secret's HMAC-SHA256 of `body`? Fails closed without a secret."""
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.removeprefix("sha256=").strip().lower(), expected)


def verification_answer(params) -> str | None:
    """Meta's subscription check (GET with hub.mode, hub.verify_token, hub.challenge): the challenge when the token
    is ours, else None."""
    token = settings.WHATSAPP_VERIFY_TOKEN
    if params.get("hub.mode") != "subscribe" or not token:
        return None
    if not hmac.compare_digest(str(params.get("hub.verify_token", "")).encode(), token.encode()):
        return None
    return str(params.get("hub.challenge", ""))


def _values(payload: dict):
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or [] if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if isinstance(value, dict):
                yield value


def handle(payload: dict) -> dict[str, int]:
    """Record each status and land each message of a signed call; counts of the outcomes."""
    outcomes: dict[str, int] = {}
    for value in _values(payload):
        for status in value.get("statuses") or []:
            try:
                outcome = whatsapp_receipts.record_status(status)
            except UnknownMessage as error:
                logger.warning("WhatsApp status for an unknown message, nothing changed: %s", error)
                outcome = "unknown_message"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        for message in value.get("messages") or []:
            outcome = whatsapp_replies.receive(message)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
