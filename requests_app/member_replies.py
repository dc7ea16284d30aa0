"""A member's message from outside the portal (a WhatsApp reply) on their requests: on the most recent open request's
timeline as the member's own message, or, with none open, as a new inquiry the member asked by that channel.

A reply counts only from a member with a portal account (docs/channels.md, "Replies"): the message is theirs, and
the request's history names its author by account. A member on the register without one is refused, logged, and
nothing is written.

Registered in members.slots at start-up; the messaging app calls it once per message, in its transaction.
"""

import logging
import uuid

from django.utils import translation

from members.models import Member
from requests_app import conversation, submission
from requests_app.models import Channel, RequestType, ServiceRequest

logger = logging.getLogger(__name__)

# The draft of an inquiry opened from a message is keyed on the message: the same message opens one request.
_INQUIRY_NAMESPACE = uuid.UUID("6f1c1d2e-4a86-4f0c-9a57-1b0d1f3c9e21")


def latest_open_request(member: Member) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.filter(member=member)
        .exclude(status__in=ServiceRequest.CLOSED_STATUSES)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def land_reply(*, member: Member, text: str, reference: str) -> str | None:
    """Put the member's message where staff read it; returns the request's reference number, or None when the member
    has no portal account (refused and logged, nothing written)."""
    user = member.user
    if user is None:
        logger.warning("Reply %s refused: member %s has no portal account, nothing written", reference, member.pk)
        return None
    open_request = latest_open_request(member)
    if open_request is not None:
        conversation.add_member_message(service_request=open_request, by=user, text=text)
        return open_request.reference_no
    inquiry = RequestType.objects.filter(kind=RequestType.Kind.INQUIRY, active=True).order_by("pk").first()
    if inquiry is None:
        raise LookupError("the catalogue has no active inquiry service to open")
    with translation.override(member.language):
        topic = translation.gettext("Message on WhatsApp")
    answers = [
        _answer("topic", "الموضوع", "Topic", topic),
        _answer("question", "سؤالك", "Your question", text),
    ]
    opened = submission.open_request(
        member=member,
        request_type=inquiry,
        answers=answers,
        by=user,
        channel=Channel.WHATSAPP,
        token=uuid.uuid5(_INQUIRY_NAMESPACE, reference),
    )
    return opened.reference_no


def _answer(key: str, label_ar: str, label_en: str, value: str) -> dict[str, str]:
    """One line of the request's answer snapshot, shaped as the request form writes it."""
    return {
        "key": key,
        "label_ar": label_ar,
        "label_en": label_en,
        "type": "long_text" if key == "question" else "text",
        "value": value,
        "display_ar": value,
        "display_en": value,
    }
