"""The table of channels: one class per way the portal reaches a member (the inbox, SMS, e-mail).

Each channel says, in one place, whether a member accepts it (consent and an address), where it goes (the
address), who it comes from (the sender), how long its text may be (the length rule), which templates it renders,
and how one outbox row is handed to it. The outbox's queueing and delivery, the bulk writer and the preferences
page iterate over `TABLE` instead of naming channels, so a new channel is a new class here.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import channels as delivery
from members.models import Channel, Member, Notification


@dataclass(frozen=True)
class Kind:
    """One channel. Subclasses fill in the class attributes and override what differs."""

    channel: Channel
    # The member's yes/no field for this channel (None: always accepted, the inbox) and its address field.
    consent_field: str | None = None
    address_field: str | None = None
    # Sent by a worker (False: written as delivered, the inbox).
    sends: bool = True
    # The words the preferences page shows for this channel (a lazy translation: in the reader's language).
    label: str | Promise = ""
    # The template's first line is the subject (inbox, e-mail); without, every line is the text (SMS).
    has_subject: bool = True
    # An event may have no text on this channel (WhatsApp has approved templates for a few events only): the message
    # then goes without it. Every other channel's text is required.
    optional: bool = False
    # The channel a message goes by when this one refuses it, and which it replaces while it is used (WhatsApp: SMS).
    fallback: Channel | None = None
    # The provider reports what became of each message (delivered, not delivered): SMS, WhatsApp; e-mail stops at the
    # mail server.
    reports_delivery: bool = False
    # The words a member agrees to, shown beside the yes (stored with each yes or no); the field's label otherwise.
    wording: str | Promise = ""
    # A critical notice (OUTBOX_CRITICAL_EVENTS) this channel could not deliver goes by this one (SMS: e-mail).
    critical_fallback: Channel | None = None
    # A critical notice may use this channel's address on record without the member's consent to the channel (e-mail:
    # only as the fallback of a critical notice that failed on the channel the member chose).
    critical_on_record: bool = False

    @property
    def member_fields(self) -> tuple[str, ...]:
        """The member's fields delivery needs for this channel (the outbox loads only these)."""
        return tuple(name for name in (self.consent_field, self.address_field) if name)

    def address(self, member: Member) -> str:
        return str(getattr(member, self.address_field) or "") if self.address_field else ""

    def consents(self, member: Member) -> bool:
        return bool(getattr(member, self.consent_field)) if self.consent_field else True

    def accepts(self, member: Member) -> bool:
        """Does a message reach this member on this channel: consent, and an address to send to."""
        return self.consents(member) and (not self.address_field or bool(self.address(member)))

    def sql_condition(self) -> str:
        """`accepts` in SQL over the member table aliased `m` (the bulk writer): identifiers from this table only."""
        parts = [f"m.{self.consent_field}"] if self.consent_field else []
        if self.address_field:
            parts.append(f"m.{self.address_field} <> ''")
        return " AND ".join(parts) or "TRUE"

    def reaches(self, member: Member, event: str) -> bool:
        """`accepts`, or for a critical notice on a channel that may use the address on record, an address."""
        if self.accepts(member):
            return True
        return self.critical_on_record and is_critical(event) and bool(self.address(member))

    def check_consent(self, member: Member, given: bool) -> None:
        """Refuse a consent the member cannot give (ValidationError keyed on the field)."""

    def resends_uncertain(self) -> bool:
        """May a message a stopped worker had handed over go again by itself (the other side drops a repeat)?"""
        return False

    def sender(self) -> str:
        return ""

    def length_segments(self, text: str) -> int:
        """How many paid units the text costs on this channel (0: length does not matter)."""
        return 0

    def template_names(self, folder: str, event: str, language: str) -> tuple[str, ...]:
        """The templates of an event on this channel, the member's language first."""
        return (f"{folder}/{event}/{self.channel}.{language}.txt", f"{folder}/{event}/{self.channel}.txt")

    def hand_over(self, row: Notification) -> dict[str, str]:
        """Give one claimed row to the channel; raises ChannelError when it is not taken. Returns what to record
        about who took it (provider, provider_message_id)."""
        raise delivery.ChannelError(f"the {self.channel} channel is not sent by a worker")


@dataclass(frozen=True)
class Inbox(Kind):
    channel: Channel = Channel.INBOX
    sends: bool = False
    label: str | Promise = gettext_lazy("Portal inbox")


@dataclass(frozen=True)
class Sms(Kind):
    """Text messages through SMS_BACKEND, and SMS_FALLBACK_BACKEND (a second provider) when one is set.

    The fallback rule for SMS: a try the provider refuses (an error answer, 5xx, a refusal inside a 200 answer, the
    provider unreachable) is retried after the outbox's backoff, and the tries alternate between the two providers
    (the first, the second, the first…), each with the row's key as the client reference. A provider that refused
    took nothing, so the other one sending it is not a repeat. A try whose answer never came is never retried, on
    either provider: it waits "to check" for the provider's delivery report. A critical notice (OUTBOX_CRITICAL_EVENTS)
    whose tries are spent, whose report says undelivered, or whose answer never came and no report followed within
    OUTBOX_UNCERTAIN_FALLBACK_S, goes by e-mail to the address on record (`critical_fallback`), once (the key
    "<message>:email"). Codes are not outbox rows: see members.channels.send_code_sms.
    """

    channel: Channel = Channel.SMS
    consent_field: str | None = "sms_consent"
    address_field: str | None = "mobile"
    label: str | Promise = gettext_lazy("Text messages")
    wording: str | Promise = gettext_lazy("I agree to text messages")
    has_subject: bool = False
    reports_delivery: bool = True
    critical_fallback: Channel | None = Channel.EMAIL

    def provider_for(self, attempt: int) -> str:
        """The SMS backend of a row's try number `attempt` (1 the first): the providers in turn."""
        providers = delivery.sms_providers()
        return providers[(max(attempt, 1) - 1) % len(providers)]

    def sender(self) -> str:
        return settings.SMS_SENDER_NAME

    def length_segments(self, text: str) -> int:
        from members.notification_texts import sms_length

        return sms_length(text).segments

    def resends_uncertain(self) -> bool:
        """Only where the gateway is known to drop a repeat of the same reference (SMS_GATEWAY_DROPS_REPEATS), and only
        with one provider (a second one would not know the first took it)."""
        return (
            settings.SMS_BACKEND == "gateway"
            and settings.SMS_GATEWAY_DROPS_REPEATS
            and len(delivery.sms_providers()) == 1
        )

    def hand_over(self, row: Notification) -> dict[str, str]:
        if not self.consents(row.member):
            raise delivery.ChannelError("the member withdrew consent to text messages before sending")
        provider = self.provider_for(row.attempts)
        message_id = delivery.send_sms(self.address(row.member), row.body, reference=row.key, backend=provider)
        return {"provider": provider[:16], "provider_message_id": message_id[:64]}


@dataclass(frozen=True)
class Email(Kind):
    channel: Channel = Channel.EMAIL
    consent_field: str | None = "email_consent"
    address_field: str | None = "email"
    label: str | Promise = gettext_lazy("E-mail")
    wording: str | Promise = gettext_lazy("I agree to e-mail")
    critical_on_record: bool = True

    def reaches(self, member: Member, event: str) -> bool:
        """`accepts`, or for a critical notice on a channel that may use the address on record, an address."""
        if self.accepts(member):
            return True
        return self.critical_on_record and is_critical(event) and bool(self.address(member))

    def check_consent(self, member: Member, given: bool) -> None:
        if given and not member.email:
            raise ValidationError(
                {
                    "email_consent": _(
                        "There is no e-mail address on your record; ask for a correction to add one first."
                    )
                }
            )

    def sender(self) -> str:
        return settings.DEFAULT_FROM_EMAIL

    def resends_uncertain(self) -> bool:
        """A repeat carries the same Message-ID (OUTBOX_RESEND_UNCERTAIN_EMAIL): see outbox_sending."""
        return settings.OUTBOX_RESEND_UNCERTAIN_EMAIL

    def hand_over(self, row: Notification) -> dict[str, str]:
        if not self.reaches(row.member, row.event):
            raise delivery.ChannelError("the member has no e-mail address or withdrew consent before sending")
        delivery.send_email(self.address(row.member), row.subject, row.body, reference=row.key)
        return {}


@dataclass(frozen=True)
class WhatsApp(Kind):
    """WhatsApp Business: approved template messages, only after the member opted in on the preferences page.

    The template's first line is the approved template's name, each further line one of its parameters. Used for an
    event that has a template in the member's language instead of SMS; SMS is the fallback when WhatsApp refuses.
    """

    channel: Channel = Channel.WHATSAPP
    consent_field: str | None = "whatsapp_consent"
    address_field: str | None = "mobile"
    label: str | Promise = gettext_lazy("WhatsApp")
    optional: bool = True
    fallback: Channel | None = Channel.SMS
    reports_delivery: bool = True
    wording: str | Promise = gettext_lazy(
        "Send me the cooperative's notices on WhatsApp, to my registered mobile: changes to my requests, requests "
        "returned for completion, satisfaction survey invitations and General Assembly notices. I can stop them here "
        "at any time; then they come by text message."
    )

    def template_names(self, folder: str, event: str, language: str) -> tuple[str, ...]:
        """An approved template exists per language: no shared one to fall back on."""
        return (f"{folder}/{event}/{self.channel}.{language}.txt",)

    def params(self, row: Notification) -> list[str]:
        return [line for line in row.body.splitlines() if line.strip()]

    def hand_over(self, row: Notification) -> dict[str, str]:
        if not self.accepts(row.member):
            raise delivery.WhatsAppError("the member withdrew their WhatsApp opt-in before sending")
        message_id = delivery.send_whatsapp(
            self.address(row.member), row.subject, row.language, self.params(row), reference=row.key
        )
        return {"provider": "whatsapp", "provider_message_id": message_id[:64]}


TABLE: tuple[Kind, ...] = (Inbox(), Sms(), Email(), WhatsApp())
_BY_CHANNEL = {kind.channel: kind for kind in TABLE}


def kind_of(channel: str) -> Kind:
    """The table's entry for a channel; ChannelError for one the table does not hold."""
    try:
        return _BY_CHANNEL[Channel(channel)]
    except (KeyError, ValueError):
        raise delivery.ChannelError(f"unknown channel {channel!r}") from None


def is_critical(event: str) -> bool:
    """A notice that must reach the member even when its channel fails (OUTBOX_CRITICAL_EVENTS)."""
    return event in settings.OUTBOX_CRITICAL_EVENTS


def fallback_for(channel: str, event: str) -> Channel | None:
    """The channel a message refused on `channel` goes by: the channel's own fallback (WhatsApp → SMS, every event),
    else for a critical notice the channel's critical fallback (SMS → e-mail); None when there is none."""
    kind = kind_of(channel)
    if kind.fallback:
        return kind.fallback
    return kind.critical_fallback if is_critical(event) else None


def consent_fields() -> list[str]:
    """The member's consent fields, in the table's order (the preferences form, the outbox's loading)."""
    return [kind.consent_field for kind in TABLE if kind.consent_field]


def sent_channels() -> list[Channel]:
    """The channels a worker sends (every one but the inbox)."""
    return [kind.channel for kind in TABLE if kind.sends]


def member_fields() -> list[str]:
    """Every member field delivery reads, over all channels."""
    return sorted({name for kind in TABLE for name in kind.member_fields})


def channels_for(member: Member, *, texts=None) -> list[Channel]:
    """The channels a message reaches this member on, in the table's order: the inbox always, the others with
    consent and an address. With `texts` (the event's rendered texts by channel), a channel the event has no text
    on is left out, and a channel used in place of another (WhatsApp for SMS) leaves that one out."""
    chosen = [
        kind for kind in TABLE if kind.accepts(member) and (texts is None or not kind.optional or kind.channel in texts)
    ]
    if texts is None:
        chosen = [kind for kind in chosen if not kind.optional]
    replaced = {kind.fallback for kind in chosen if kind.fallback}
    return [kind.channel for kind in chosen if kind.channel not in replaced]
