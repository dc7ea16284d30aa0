"""`{{ notification.event|event_label }}`: what a message is about, in words (never its internal key);
`{{ text|ltr_tokens }}`: message text with its Latin tokens (web addresses, request numbers, dates) kept left to right
and whole: in Arabic text "2027-01-04" would read "04-01-2027" and a request number would break at its hyphens."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from members import notification_texts

register = template.Library()


@register.filter
def event_label(event: str) -> str:
    return notification_texts.event_label(event or "")


_LTR_TOKEN = re.compile(r"https?://\S+|[A-Z]{2,5}-\d{4}-\d+|\d{4}[-/]\d{1,2}[-/]\d{1,2}|\+?\d[\d\-/]{5,}\d")


@register.filter
def ltr_tokens(text) -> str:
    text = "" if text is None else str(text)
    parts, last = [], 0
    for found in _LTR_TOKEN.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(format_html('<span dir="ltr" class="ltr text-nowrap">{}</span>', found.group(0)))
        last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece escaped above)
