"""Formatting for the board report (page and PDF): figures, "not enough answers", up/down changes."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


LEFT_TO_RIGHT_MARK = "\u200e"


@register.filter
def figure(value, decimals: int = 0) -> str:
    """A number with the locale's separators, or an em dash when there is none. A negative number starts with a
    left-to-right mark, so that an Arabic page shows «-31» and not «31-» (the minus is a weak character that the
    right-to-left paragraph would otherwise carry to the number's other side)."""
    if value is None or value == "":
        return "—"
    decimals = int(decimals or 0)
    rounded = round(float(value), decimals)
    text = number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return LEFT_TO_RIGHT_MARK + text if text.startswith("-") else text


@register.simple_tag
def change(change, decimals=0):
    """▲/▼ with the difference against the previous period, worded for screen readers."""
    if change is None or not change.direction:
        return ""
    if change.direction == "same":
        return format_html('<span class="change change-same">{}</span>', _("no change"))
    arrow, word = ("▲", _("up")) if change.direction == "up" else ("▼", _("down"))
    return format_html(
        '<span class="change change-{}"><span aria-hidden="true">{}</span> {} {}</span>',
        change.direction,
        arrow,
        word,
        figure(abs(change.difference), decimals),
    )
