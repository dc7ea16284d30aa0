"""The queue filter's fields, rendered by joining strings instead of through widget templates.

The queue is the page staff load all day, and Django's option templates cost more than the rest of the
form (a tenth of the page at 100,000 requests). The options of a fixed list of choices (statuses, service
levels, governorates, sorts) are escaped once per process and language; the others (services, staff) once
per page. Text and date boxes (QuickInput) are joined the same way. The HTML is the same as Django's widgets
give (a test compares them).
"""

import copy

from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from members_portal.html_text import escape


def flatatt(attrs: dict) -> str:
    """django.forms.utils.flatatt, joined with the escape above (a test compares the two)."""
    pairs = sorted((name, value) for name, value in attrs.items() if value is not None and not isinstance(value, bool))
    flags = sorted(name for name, value in attrs.items() if value is True)
    return "".join(f' {escape(name)}="{escape(value)}"' for name, value in pairs) + "".join(
        f" {escape(name)}" for name in flags
    )


def _escaped(choices) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (str(value), f'<option value="{escape(value)}"', f">{escape(label)}</option>") for value, label in choices
    )


# (fixed name, language) → escaped options: filled once per process and language.
_FIXED: dict[tuple[str, str], tuple[tuple[str, str, str], ...]] = {}


class QuickSelect(forms.Select):
    """A Select whose options are joined as strings; `fixed` when its choices never change within a language."""

    def __init__(self, *args, fixed: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fixed = fixed

    def render(self, name, value, attrs=None, renderer=None) -> str:
        selected = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        if self.fixed:
            key = (self.fixed, translation.get_language() or "")
            options = _FIXED.get(key)
            if options is None:
                options = _FIXED[key] = _escaped(self.choices)
        else:
            options = _escaped(self.choices)
        parts = [f"<select{flatatt(final_attrs)}>"]
        for value, start, end in options:
            chosen = value in selected
            parts.append(start + (" selected" if chosen else "") + end)
            if chosen and not self.allow_multiple_selected:
                selected = set()  # as Django's Select: only the first option of a value is selected
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every value and label escaped above)


class QuickInput:
    """Mixed into an Input widget (TextInput, DateInput, HiddenInput): its <input> joined as a string."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        html = f'<input type="{escape(widget["type"])}" name="{escape(name)}"{shown}{flatatt(widget["attrs"])}>'
        return mark_safe(html)  # noqa: S308 (every value escaped above, the attributes by flatatt)


class QuickTextInput(QuickInput, forms.TextInput):
    pass


class QuickHiddenInput(QuickInput, forms.HiddenInput):
    pass


class QuickTextarea(forms.Textarea):
    """A Textarea joined as a string: as Django's template, a line break after the opening tag, the text escaped."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        text = escape(widget["value"]) if widget["value"] else ""
        return mark_safe(f'<textarea name="{escape(name)}"{flatatt(widget["attrs"])}>\n{text}</textarea>')  # noqa: S308


# A staff form's widget → the same widget joined as a string (the forms of the request page rendered each through
# Django's widget templates: 1 ms a box).
QUICK = {forms.Textarea: QuickTextarea, forms.TextInput: QuickTextInput, forms.HiddenInput: QuickHiddenInput}


def quick(widget: forms.Widget) -> forms.Widget:
    """The widget rendered by joining strings when there is a quick one of its class (same attributes), else itself."""
    quick_class = QUICK.get(type(widget))
    if quick_class is None:
        return widget
    joined = copy.copy(widget)
    joined.__class__ = quick_class
    return joined
