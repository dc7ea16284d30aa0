"""A member's own WhatsApp message to the cooperative (the webhook's "messages"): landed on their open request, or
opened as an inquiry, by the app that keeps requests (members.slots.receive_reply).

Attributed by the sender's mobile, only when it is the verified mobile of a member's account. A number the portal
does not know gets a polite answer in Arabic and nothing else (nothing stored). A file, a picture, a voice note or
anything but text gets a clear answer (send documents through the portal) and nothing stored. A message Meta posts
twice lands once (ReceivedMessage, unique), and an answer goes once per message (the cache remembers it a day).
"""

import logging

import phonenumbers
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from members import slots
from members.models import Member
from members_portal.enqueue import after_commit
from messaging.models import ReceivedMessage

logger = logging.getLogger(__name__)

ANSWERED_FOR_S = 24 * 3600


def _e164(number: str) -> str:
    try:
        parsed = phonenumbers.parse("+" + str(number).lstrip("+"))
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def member_by_verified_mobile(number: str) -> Member | None:
    """The member whose account signs in with this mobile and has verified it; None for anyone else."""
    mobile = _e164(number)
    if not mobile:
        return None
    return (
        Member.objects.select_related("user")
        .filter(user__phone=mobile, user__phone_verified=True, user__is_active=True)
        .first()
    )


def _answer_once(message_id: str, to: str, text: str) -> None:
    """Answer on WhatsApp after commit, once per message (Meta may post the same message twice)."""
    if not cache.add(f"whatsapp:answered:{message_id}", 1, ANSWERED_FOR_S):
        return
    from messaging import tasks

    after_commit(tasks.answer_on_whatsapp, to, text)


def receive(message: dict) -> str:
    """Handle one message: "landed", "duplicate", "unknown_number", "not_allowed" (media), "empty" or "refused" (the
    receiver's, logged by it)."""
    message_id = str(message.get("id") or "")
    sender = str(message.get("from") or "")
    kind = str(message.get("type") or "")
    member = member_by_verified_mobile(sender)
    if member is None:
        logger.info("WhatsApp message %s from a number no member has verified: answered, nothing stored", message_id)
        with translation.override("ar"):
            _answer_once(
                message_id,
                sender,
                _(
                    "Peace be upon you. This number is not registered with the Najran coffee cooperative's portal, so "
                    "we cannot read your message here. Please call the cooperative or visit the portal. Thank you."
                ),
            )
        return "unknown_number"
    if kind != "text":
        logger.info("WhatsApp message %s from member %s is a %s: refused, nothing stored", message_id, member.pk, kind)
        with translation.override(member.language):
            _answer_once(
                message_id,
                sender,
                _(
                    "We cannot receive files, pictures or voice messages on WhatsApp. Please write your message as "
                    "text, or attach documents on your request's page in the portal."
                ),
            )
        return "not_allowed"
    text = str((message.get("text") or {}).get("body") or "").strip()
    if not text:
        return "empty"
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReceivedMessage.objects.create(message_id=message_id[:128])
        except IntegrityError:
            logger.info("WhatsApp message %s already landed: nothing changed", message_id)
            return "duplicate"
        where = slots.receive_reply(member=member, text=text, reference=message_id)
    if where is None:  # a member without a portal account, which member_by_verified_mobile does not return today
        return "refused"
    logger.info("WhatsApp message %s from member %s landed on %s", message_id, member.pk, where)
    return "landed"
