"""How the portal reaches a person: SMS and e-mail. The outbox, activation codes and sign-in codes all send here.

SMS goes through the backend named by `settings.SMS_BACKEND`:

- ``file``: each message appended as one JSON line to `settings.SMS_FILE_PATH` (development and the demo:
  a person trying the portal reads their code there),
- ``console``: printed to standard output,
- ``gateway``: an HTTP POST to `settings.SMS_GATEWAY_URL` with a bearer token (a generic gateway),
- a provider's own API (``unifonic``, ``taqnyat``, ``msegat``), registered at start-up by the app that holds the
  provider clients (`register_sms_backend`), so this module never names it.

Every SMS backend is a function `backend(to, text, reference)`: `to` in E.164, `text` the message, and
`reference` the sender's own key for this message ("" for one-off texts such as sign-in codes). The outbox
passes its row's key, so a resent message carries the same reference and a gateway that drops repeats of a
reference drops it. A backend returns when the message was taken, with the provider's id for it when the
provider gives one (its delivery report names that id), and raises `SmsError` otherwise.

E-mail goes through Django's mailers (`settings.MAILERS`); the reference becomes the Message-ID, so a resent
e-mail is the same message to the receiving side. Both raise `ChannelError` with a readable reason when a
message could not be handed over, so a caller (the outbox) can retry or record it.
"""

import json
import logging
import re
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

logger = logging.getLogger(__name__)

GATEWAY_TIMEOUT_S = 10
_file_lock = threading.Lock()


class ChannelError(Exception):
    """A message could not be handed to its channel; `str(error)` says why (for logs and the outbox)."""


class SmsError(ChannelError):
    """The SMS backend refused or failed to take the message."""


class OutcomeUnknown(ChannelError):
    """The request reached the provider but its answer never came: the message may have been taken. The outbox
    marks the row for checking instead of sending it again on a guess."""


class SmsOutcomeUnknown(SmsError, OutcomeUnknown):
    """An SMS provider's answer never came (see OutcomeUnknown)."""


class WhatsAppError(ChannelError):
    """WhatsApp refused or failed to take the message (the outbox falls back to SMS)."""


class WhatsAppOutcomeUnknown(WhatsAppError, OutcomeUnknown):
    """WhatsApp's answer never came (see OutcomeUnknown): no fallback on a guess, its status webhook settles it."""


class EmailError(ChannelError):
    """The mail server refused or failed to take the message."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


def _e164(to: str) -> str:
    """The recipient as E.164; a number that is not a valid Saudi phone number is refused before any backend runs."""
    try:
        number = phonenumbers.parse(str(to), "SA")
    except phonenumbers.NumberParseException as error:
        raise SmsError(f"not a phone number: {to!r}") from error
    if not phonenumbers.is_valid_number(number):
        raise SmsError(f"not a valid phone number: {to!r}")
    if phonenumbers.region_code_for_number(number) != "SA":
        # The providers are Saudi and the member's record holds a Saudi mobile; anything else is a slip, not a member.
        raise SmsError(f"not a Saudi mobile number: {to!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- SMS backends ----------------------------------------------------------------------------------


def _send_file(to: str, text: str, reference: str) -> None:
    path = settings.SMS_FILE_PATH
    line = json.dumps(
        {
            "at": timezone.now().isoformat(),
            "from": settings.SMS_SENDER_NAME,
            "to": to,
            "text": text,
            "reference": reference,
        },
        ensure_ascii=False,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock, open(path, "a", encoding="utf-8") as sms_file:
            sms_file.write(line + "\n")
    except OSError as error:
        raise SmsError(f"could not write to {path}: {error}") from error


def _send_console(to: str, text: str, reference: str) -> None:
    sys.stdout.write(
        f"SMS from {settings.SMS_SENDER_NAME} to {to} ({reference or 'no reference'}):\n{text}\n{'-' * 40}\n"
    )
    sys.stdout.flush()


def _send_gateway(to: str, text: str, reference: str) -> None:
    """POST {"to", "sender", "text", "reference"} as JSON with a bearer token; any 2xx is accepted, anything else
    is an error. The reference is the provider's client reference (its "client message id"): repeats are dropped."""
    if not settings.SMS_GATEWAY_URL:
        raise SmsError("SMS_BACKEND is 'gateway' but SMS_GATEWAY_URL is not set")
    if not settings.SMS_GATEWAY_URL.startswith(("https://", "http://")):
        raise SmsError("SMS_GATEWAY_URL must be an http(s) URL")
    body = json.dumps(
        {"to": to, "sender": settings.SMS_SENDER_NAME, "text": text, "reference": reference}, ensure_ascii=False
    ).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
    if settings.SMS_GATEWAY_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        settings.SMS_GATEWAY_URL, data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=GATEWAY_TIMEOUT_S) as response:  # noqa: S310 (scheme checked above)
            status = response.status
            reply = response.read(2000)
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace") if error.fp else ""
        raise SmsError(f"SMS gateway answered HTTP {error.code}: {detail}".strip()) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise SmsError(f"SMS gateway unreachable: {reason}") from error
    if not 200 <= status < 300:
        raise SmsError(f"SMS gateway answered HTTP {status}: {reply.decode('utf-8', 'replace')}")


SmsBackend = Callable[[str, str, str], str | None]  # backend(to, text, reference) -> the provider's message id
SMS_BACKENDS: dict[str, SmsBackend] = {"file": _send_file, "console": _send_console, "gateway": _send_gateway}


def register_sms_backend(name: str, backend: SmsBackend) -> None:
    """An app above members offers an SMS backend (a provider's client) under the name SMS_BACKEND selects."""
    SMS_BACKENDS[name] = backend


def sms_providers() -> list[str]:
    """The SMS backends in the order they are tried: SMS_BACKEND, then SMS_FALLBACK_BACKEND when one is set (a second
    provider under contract, used only when the first refuses a message; see members.channel_table.Sms)."""
    fallback = settings.SMS_FALLBACK_BACKEND
    return [settings.SMS_BACKEND, *([fallback] if fallback and fallback != settings.SMS_BACKEND else [])]


def send_sms(to: str, text: str, *, reference: str = "", backend: str = "") -> str:
    """Send one text message to a mobile number (any Saudi form; sent as E.164).

    `reference` is the caller's key for the message (the outbox row's key), given to the backend as the
    provider's client reference so that a repeat can be recognised. `backend` names the provider (SMS_BACKEND when
    empty). Raises SmsError when the number is not valid, the backend is unknown, or the gateway refuses. Returns
    the provider's id for the message ("" when the backend gives none). Not idempotent by itself: callers that may
    retry (the outbox) guard against sending twice, and pass a reference for the provider to drop what slips through.
    """
    name = backend or settings.SMS_BACKEND
    send = SMS_BACKENDS.get(name)
    if send is None:
        raise SmsError(f"unknown SMS backend {name!r}; use one of {', '.join(SMS_BACKENDS)}")
    if not text.strip():
        raise SmsError("empty text message")
    return send(_e164(to), text, reference) or ""


def send_code_sms(to: str, text: str) -> str:
    """Send a one-off text carrying a code (sign-in, activation): the first provider, and when it refuses the message,
    the next one at once. A code lives minutes, so it is never retried later; an answer that never came
    (SmsOutcomeUnknown) is not sent again on a guess (the code may be on its way; the person can ask for a new one).
    Returns the provider's id; raises the last SmsError when every provider refused."""
    to = _e164(to)  # a number that is not valid is refused once, not by each provider
    providers = sms_providers()
    for index, name in enumerate(providers):
        try:
            return send_sms(to, text, backend=name)
        except SmsOutcomeUnknown:
            raise
        except SmsError as error:
            if index == len(providers) - 1:
                raise
            logger.warning("A code SMS was refused by %s (%s); sending it by %s", name, error, providers[index + 1])
    raise SmsError("no SMS backend is configured")


# --- WhatsApp --------------------------------------------------------------------------------------

# send(to, template, language, params, reference) -> WhatsApp's message id. Offered at start-up by the app that holds
# the WhatsApp Business client (messaging), so this module never names it.
WhatsAppSender = Callable[[str, str, str, list[str], str], str]
_whatsapp_senders: list[WhatsAppSender] = []


def register_whatsapp_sender(sender: WhatsAppSender) -> None:
    _whatsapp_senders[:] = [sender]


def send_whatsapp(to: str, template: str, language: str, params: list[str], *, reference: str) -> str:
    """Send one approved template message to a mobile (sent as E.164); returns WhatsApp's id for the message.
    Raises WhatsAppError when it is refused, WhatsAppOutcomeUnknown when the answer never came."""
    if not _whatsapp_senders:
        raise WhatsAppError("no WhatsApp client is installed")
    try:
        number = _e164(to)
    except SmsError as error:
        raise WhatsAppError(str(error)) from error
    return _whatsapp_senders[0](number, template, language, params, reference)


# --- E-mail ----------------------------------------------------------------------------------------


def message_id(reference: str) -> str:
    """A Message-ID made from the sender's key: the same message sent again keeps the same id."""
    local = re.sub(r"[^A-Za-z0-9_-]+", ".", reference).strip(".") or "message"
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{local}@{domain}>"


def send_email(
    to: str,
    subject: str,
    body: str,
    attachments: Iterable[Attachment | tuple] = (),
    *,
    reference: str = "",
    html: str = "",
) -> None:
    """Send one plain-text e-mail (with an HTML alternative when given) through Django's mail (settings.MAILERS).
    Attachments: Attachment or (filename, content, mimetype) tuples. With a `reference` (the outbox row's key) the
    Message-ID is made from it, so a repeat is recognisable. Raises EmailError when the server refuses or cannot be
    reached."""
    if not to:
        raise EmailError("no e-mail address")
    # A subject must be one line: a newline in it would be a header-injection attempt or a template slip.
    subject = " ".join(subject.split())
    headers = {"Message-ID": message_id(reference)} if reference else None
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers=headers
    )
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in attachments:
        if isinstance(attachment, Attachment):
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        else:
            message.attach(*attachment)
    try:
        sent = message.send(fail_silently=False)
    except Exception as error:  # smtplib, socket and backend errors all mean "not handed over"
        raise EmailError(f"e-mail to {to} not sent: {error}") from error
    if not sent:
        raise EmailError(f"e-mail to {to} not sent: the backend accepted nothing")
