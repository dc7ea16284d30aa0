"""Which channels reach a member, for their preferences page: per channel of the table, their consent, whether there
is an address to send to, and what became of the last message sent that way (a read, no writes)."""

from dataclasses import dataclass
from datetime import datetime

from members import channel_table
from members.models import ConsentRecord, Member, Notification

Status = Notification.Status
DeliveryState = Notification.DeliveryState


@dataclass(frozen=True)
class Reach:
    channel: str
    label: str
    sends: bool  # False: the inbox, where every message is written
    asks_consent: bool
    consents: bool
    has_address: bool
    address: str  # masked: the last digits of the mobile, or the e-mail address (the member's own page)
    reaches: bool
    last_status: str  # the last message's outcome in words ("" when none was sent this way)
    last_at: datetime | None
    last_ok: bool
    consent_at: datetime | None  # when the member last said yes or no on the page (opt-in channels)


def _outcome(row: Notification | None) -> tuple[str, datetime | None, bool]:
    if row is None:
        return "", None, False
    if row.delivery_state:
        return (
            str(row.get_delivery_state_display()),
            row.delivered_at or row.sent_at or row.created_at,
            (row.delivery_state == DeliveryState.DELIVERED),
        )
    return str(row.get_status_display()), row.sent_at or row.created_at, row.status == Status.SENT


def reach_of(member: Member) -> list[Reach]:
    """One line per channel of the table, in its order: a query for each channel's last message and one for the
    consent records."""
    last_consents: dict[str, datetime] = {}
    for channel, given_at in ConsentRecord.objects.filter(member=member).order_by("at").values_list("channel", "at"):
        last_consents[channel] = given_at
    lines = []
    for kind in channel_table.TABLE:
        last = (
            Notification.objects.filter(member=member, channel=kind.channel).order_by("-created_at", "-pk").first()
            if kind.sends
            else None
        )
        status, at, ok = _outcome(last)
        address = kind.address(member)
        if kind.address_field == "mobile" and address:
            address = member.mobile_masked
        lines.append(
            Reach(
                channel=kind.channel,
                label=str(kind.label),
                sends=kind.sends,
                asks_consent=bool(kind.consent_field),
                consents=kind.consents(member),
                has_address=not kind.address_field or bool(address),
                address=address,
                reaches=kind.accepts(member),
                last_status=status,
                last_at=at,
                last_ok=ok,
                consent_at=last_consents.get(kind.channel),
            )
        )
    return lines
