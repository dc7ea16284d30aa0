"""HTML joined from strings where Django's widget templates cost too much (the queue's filter boxes, the board's
filter lists): each is compared with Django's own output by a test."""

import html


def escape(value) -> str:
    """Django's conditional_escape, as a template's {{ value }}: a safe string kept as it is, anything else escaped;
    without the lazy-text wrapper, which cost more than the escaping where a page escapes hundreds of values."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))
