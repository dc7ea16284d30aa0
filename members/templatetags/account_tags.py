from django import template

from members import channel_table
from members.validators import local_mobile as _local_mobile

register = template.Library()


@register.filter
def local_mobile(value) -> str:
    """{{ phone|local_mobile }}: +966500000777 shown as 0500000777."""
    return _local_mobile(value)


@register.filter
def channel_consents(member) -> list[dict]:
    """{% for reach in member|channel_consents %}: each channel of the table that asks consent, with the answer."""
    return [
        {"channel": kind.channel, "label": kind.label, "consents": kind.consents(member)}
        for kind in channel_table.TABLE
        if kind.consent_field
    ]
