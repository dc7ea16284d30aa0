"""The texts of notifications: rendering an event's templates per channel and language, and SMS length.

Templates live with the app that emits the event, in templates/<app>/notifications/<event>/<channel>[.<language>].txt
(each app above members names its folder with `register_template_folder` at start-up), and are rendered
as plain text in the member's language; a variable the context lacks is an error, never a blank.
"""

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import channel_table
from members.models import Channel, Member

# Every channel's text is rendered when a message is queued (the channel table's order).
logger = logging.getLogger(__name__)
CHANNELS = tuple(kind.channel for kind in channel_table.TABLE)
# The folders of notification templates: members' own, and those the apps above register at start-up.
TEMPLATE_FOLDERS: list[str] = ["members/notifications"]


def register_template_folder(folder: str) -> None:
    if folder not in TEMPLATE_FOLDERS:
        TEMPLATE_FOLDERS.append(folder)


MAX_SMS_SEGMENTS = 2
_MISSING = "\x00missing:"


class NotificationTemplateError(ValidationError):
    """An event's text cannot be rendered: no template, a syntax error, or a variable the context lacks."""


# --- SMS length ------------------------------------------------------------------------------------

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7, an extended character counts two) or UTF-16 code units (UCS-2)
    segments: int


def sms_length(text: str) -> SmsLength:
    """How many SMS segments a text needs. One segment: 160 GSM-7 or 70 UCS-2 units; concatenated
    segments lose room to their header: 153 GSM-7 or 67 UCS-2 units each. Any Arabic letter makes the
    whole text UCS-2, so two segments hold 134 characters."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text):
        units = sum(2 if char in GSM7_EXTENDED else 1 for char in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    segments = 0 if units == 0 else 1 if units <= single else math.ceil(units / multi)
    return SmsLength(encoding=encoding, units=units, segments=segments)


def fit_sms(text: str, *, keep_end: str = "") -> str:
    """Shorten a text to MAX_SMS_SEGMENTS, cutting words before `keep_end` (the link), which stays whole.

    A safety net only: every template is tested to fit with realistic values; a very long name could
    still push one over, and an SMS cut short with its link beats three paid segments.
    """
    if sms_length(text).segments <= MAX_SMS_SEGMENTS:
        return text
    head = text.removesuffix(keep_end) if keep_end and text.endswith(keep_end) else text
    tail = keep_end if head is not text else ""
    words = head.split(" ")
    while words:
        words.pop()
        candidate = " ".join(words).rstrip() + "…" + ((" " + tail) if tail else "")
        if sms_length(candidate).segments <= MAX_SMS_SEGMENTS:
            return candidate
    return tail[:134]


# --- Rendering -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@cache
def _engine() -> Engine:
    """Plain-text templates (no HTML escaping); a variable the context lacks renders as a marker we detect."""
    from django.template.backends.django import get_installed_libraries

    return Engine(
        dirs=[str(path) for path in settings.TEMPLATES[0]["DIRS"]],
        app_dirs=True,
        autoescape=False,
        string_if_invalid=_MISSING + "%s\x00",
        libraries=get_installed_libraries(),
    )


def absolute_url(path: str) -> str:
    return urljoin(settings.SITE_URL + "/", path) if path else settings.SITE_URL + "/"


def short_link(token: str) -> str:
    """SITE_URL/n/<token>/: opens the message's page after sign-in and marks it read (SMS has little room)."""
    return absolute_url(reverse("notification-link", args=[token]))


def message_context(*, member: Member, context: Mapping, link: str, token: str) -> dict:
    """What every template may use besides the caller's context: the member's name, the links."""
    name = member.full_name_en if member.language == "en" and member.full_name_en else member.full_name_ar
    return {
        **context,
        "member_name": name,
        "member_first_name": name.split()[0] if name.split() else name,
        "site_url": settings.SITE_URL,
        "link": absolute_url(link),
        "short_link": short_link(token) if token else absolute_url(link),
    }


def render_message(*, event: str, channel: str, language: str, context: Mapping, shorten: bool = True) -> Rendered:
    """Render <folder>/<event>/<channel>[.<language>].txt (the first registered folder that has the event) in
    `language`.

    Inbox and e-mail: the first non-empty line is the subject, the rest the body. SMS: the whole text,
    one line per non-empty template line, shortened to two segments if it must be.
    Raises NotificationTemplateError (in Arabic for staff) when the template is missing, broken, or
    uses a variable the context does not give.
    """
    kind = channel_table.kind_of(channel)
    names = [name for folder in TEMPLATE_FOLDERS for name in kind.template_names(folder, event, language)]
    try:
        template = _engine().select_template(names)
    except TemplateDoesNotExist as error:
        raise NotificationTemplateError(
            _("The message “%(event)s” has no text for the %(channel)s channel (%(template)s).")
            % {"event": event, "channel": Channel(channel).label, "template": f"notifications/{event}/{channel}.txt"},
            code="template_missing",
        ) from error
    except TemplateSyntaxError as error:
        raise NotificationTemplateError(
            _("The text of the message “%(event)s” for the %(channel)s channel has an error: %(error)s")
            % {"event": event, "channel": Channel(channel).label, "error": error},
            code="template_syntax",
        ) from error
    with translation.override(language):
        text = template.render(Context(dict(context), autoescape=False))
    if _MISSING in text:
        missing = sorted({part.split("\x00", 1)[0] for part in text.split(_MISSING)[1:]})
        raise NotificationTemplateError(
            _("The text of the message “%(event)s” for the %(channel)s channel needs %(names)s, which was not given.")
            % {"event": event, "channel": Channel(channel).label, "names": "، ".join(missing)},
            code="template_variable_missing",
        )
    lines = [line.strip() for line in text.strip().splitlines()]
    if not kind.has_subject:
        body = "\n".join(line for line in lines if line)
        if shorten:
            body = fit_sms(body, keep_end=str(context.get("short_link", "")))
        return Rendered(subject="", body=body)
    subject, _sep, rest = "\n".join(lines).partition("\n")
    return Rendered(subject=subject[:200], body=rest.strip())


def render_all(*, event: str, language: str, context: Mapping, shorten: bool = True) -> dict[str, Rendered]:
    """Every channel's text, so a broken template fails whichever channels this member happens to accept. A channel
    whose texts are optional (WhatsApp's approved templates) is left out of the result when the event has none in
    this language; when the event has one in another language only, that is said in the log (the message then goes
    by the channel it would otherwise replace)."""
    texts = {}
    for kind in channel_table.TABLE:
        try:
            texts[kind.channel] = render_message(
                event=event, channel=kind.channel, language=language, context=context, shorten=shorten
            )
        except NotificationTemplateError as error:
            if not (kind.optional and error.code == "template_missing"):
                raise
            others = [code for code, _name in settings.LANGUAGES if code != language]
            if any(has_template(event=event, channel=kind.channel, language=other) for other in others):
                logger.warning(
                    "The message %r has no %s template in %r (it has one in another language): sent without it",
                    event,
                    kind.channel,
                    language,
                )
    return texts


def has_template(*, event: str, channel: str, language: str) -> bool:
    """Does the event have its own template on this channel in this language (not counting a shared one)?"""
    kind = channel_table.kind_of(channel)
    names = [name for folder in TEMPLATE_FOLDERS for name in kind.template_names(folder, event, language)]
    try:
        _engine().select_template(names)
    except TemplateDoesNotExist:
        return False
    return True


def in_reader_language(message, *, member: Member, language: str) -> tuple[str, str]:
    """The subject and body of an inbox message in the language the reader has chosen now.

    A message is rendered in the member's language when it is queued; a member who reads the portal in the
    other language gets it rendered again from its stored context. Should that fail (a template changed since),
    the text as it was written is shown, never an error.
    """
    if not language or message.language == language:
        return message.subject, message.body
    context = message_context(member=member, context=message.context, link=message.link, token=message.token)
    # A value kept in both languages (`service_ar`, `service_en`) replaces its one-language form (`service`).
    for name in [key[:-3] for key in message.context if key.endswith(f"_{language}")]:
        context[name] = message.context[f"{name}_{language}"] or context.get(name, "")
    if language == "en" and member.full_name_en:
        context["member_name"] = member.full_name_en
        context["member_first_name"] = member.full_name_en.split()[0]
    try:
        rendered = render_message(event=message.event, channel="inbox", language=language, context=context)
    except NotificationTemplateError:
        return message.subject, message.body
    return rendered.subject, rendered.body


# What each event is, in words, for the pages and documents that list messages (the outbox, the data export).
EVENT_LABELS = {
    "announcement": gettext_lazy("Announcement"),
    "assembly_adjourned": gettext_lazy("General Assembly adjourned"),
    "assembly_notice": gettext_lazy("General Assembly notice"),
    "assembly_reminder": gettext_lazy("General Assembly reminder"),
    "correction_handled": gettext_lazy("Correction request handled"),
    "membership_admitted": gettext_lazy("Membership granted"),
    "proxy_answered": gettext_lazy("Proxy answered"),
    "proxy_offered": gettext_lazy("Proxy offered"),
    "proxy_revoked": gettext_lazy("Proxy revoked"),
    "proxy_revoked_on_arrival": gettext_lazy("Proxy ended: the member came in person"),
    "quarterly_report_ready": gettext_lazy("Quarterly report ready"),
    "request_reply": gettext_lazy("Reply on a request"),
    "request_returned_to_member": gettext_lazy("Request returned for completion"),
    "request_status_changed": gettext_lazy("Request status changed"),
    "request_submitted": gettext_lazy("Request received"),
    "survey_invitation": gettext_lazy("Satisfaction survey invitation"),
    "survey_reminder": gettext_lazy("Satisfaction survey reminder"),
    "test_message": gettext_lazy("Test message"),
}


def event_label(event: str) -> str:
    """The event in words; an event without a label yet reads as its code with spaces, never as a raw key."""
    return str(EVENT_LABELS.get(event) or event.replace("_", " "))
