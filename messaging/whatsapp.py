"""WhatsApp Business through Meta's Cloud API: approved template messages, and short free-form answers.

Send a template: POST {WHATSAPP_API_URL}/{WHATSAPP_API_VERSION}/{WHATSAPP_PHONE_NUMBER_ID}/messages with the
access token as a bearer token and
{"messaging_product": "whatsapp", "to": "9665…", "type": "template",
 "template": {"name", "language": {"code"}, "components": [{"type": "body", "parameters": [{"type": "text", …}]}]},
 "biz_opaque_callback_data": <the outbox key>}.
The cooperative starts the conversation, so only an approved template may go (a free-form text only within 24 hours
of the member's own message: the answers to their replies). The outbox key travels as `biz_opaque_callback_data`,
the message's reference that every status webhook carries back, so a status finds its row even when our request's
answer was lost. Meta does not promise to drop a repeat of it, so a message whose answer never came is marked to
check, never sent again on a guess.

Its answer: 200 {"messages": [{"id": "wamid…", "message_status": "accepted"}]}. Refused: an HTTP error status
with {"error": {"code", "message", "error_data": {"details"}}} (131026 not a WhatsApp user, 132001 no such
template in that language, 131047 outside the 24 hours, 190 an expired token…); a 5xx or an unreachable API takes
nothing. Both raise WhatsAppError, and the outbox sends the message by SMS instead.
"""

import json
import threading

from django.conf import settings
from django.utils import timezone

from members.channels import WhatsAppError, WhatsAppOutcomeUnknown
from messaging import http

NAME = "whatsapp"
# The language codes of the approved templates, per portal language.
TEMPLATE_LANGUAGES = {"ar": "ar", "en": "en"}
_file_lock = threading.Lock()


def _messages_url() -> str:
    if not (settings.WHATSAPP_PHONE_NUMBER_ID and settings.WHATSAPP_ACCESS_TOKEN):
        raise WhatsAppError(
            "WHATSAPP_BACKEND is 'cloud' but WHATSAPP_PHONE_NUMBER_ID or WHATSAPP_ACCESS_TOKEN is not set"
        )
    return f"{settings.WHATSAPP_API_URL}/{settings.WHATSAPP_API_VERSION}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"


def _post(body: dict) -> str:
    """POST one message; returns its wamid, raises WhatsAppError (refused) or WhatsAppOutcomeUnknown."""
    reply = http.post(
        _messages_url(),
        provider="WhatsApp",
        json_body={"messaging_product": "whatsapp", "recipient_type": "individual", **body},
        headers={"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"},
        timeout_s=settings.WHATSAPP_TIMEOUT_S,
        refused=WhatsAppError,
        unknown=WhatsAppOutcomeUnknown,
    )
    messages = reply.body.get("messages")
    message = messages[0] if isinstance(messages, list) and messages and isinstance(messages[0], dict) else {}
    if not 200 <= reply.status < 300 or not message.get("id"):
        error = http.json_object(reply.body.get("error"))
        details = http.json_object(error.get("error_data")).get("details")
        reason = details or error.get("message") or reply.text[:200]
        raise WhatsAppError(
            f"WhatsApp refused the message (HTTP {reply.status}, {error.get('code', 'no code')}): {reason}"
        )
    return str(message["id"])


def _to_file(body: dict) -> str:
    """The development backend: one JSON line per message in WHATSAPP_FILE_PATH, nothing sent."""
    path = settings.WHATSAPP_FILE_PATH
    message_id = f"wamid.file-{timezone.now().strftime('%Y%m%d%H%M%S%f')}"
    line = json.dumps({"at": timezone.now().isoformat(), "id": message_id, **body}, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock, open(path, "a", encoding="utf-8") as log:
            log.write(line + "\n")
    except OSError as error:
        raise WhatsAppError(f"could not write to {path}: {error}") from error
    return message_id


def _send(body: dict) -> str:
    if settings.WHATSAPP_BACKEND == "file":
        return _to_file(body)
    if settings.WHATSAPP_BACKEND == "cloud":
        return _post(body)
    raise WhatsAppError(f"unknown WHATSAPP_BACKEND {settings.WHATSAPP_BACKEND!r}; use file or cloud")


def send_template(to: str, template: str, language: str, params: list[str], reference: str) -> str:
    """Send an approved template with its body parameters to `to` (E.164); returns WhatsApp's message id."""
    code = TEMPLATE_LANGUAGES.get(language)
    if not template or code is None:
        raise WhatsAppError(f"no approved template {template!r} in language {language!r}")
    body = {
        "to": to.lstrip("+"),
        "type": "template",
        "template": {
            "name": template,
            "language": {"code": code},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": param} for param in params]}],
        },
    }
    if reference:
        body["biz_opaque_callback_data"] = reference
    return _send(body)


def send_text(to: str, text: str) -> str:
    """A free-form answer to a member's own message (inside the 24 hours their message opened)."""
    return _send({"to": to.lstrip("+"), "type": "text", "text": {"preview_url": False, "body": text}})
