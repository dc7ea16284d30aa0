"""The queue's filter fields are joined as strings for speed: they must give what Django's own widgets give (the
same elements, attributes and text; attributes may come in another order)."""

import datetime

import pytest
from django import forms
from django.forms.utils import flatatt
from django.test.html import parse_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from requests_app.desk.queue_widgets import QuickHiddenInput, QuickSelect, QuickTextarea, QuickTextInput, quick
from requests_app.desk.queue_widgets import flatatt as quick_flatatt
from requests_app.desk.staff_forms import DateInput, QuickDateInput

HOSTILE = "a \"quoted\" <b>&amp; 'x'"
ATTRS = {"class": "form-control", "aria-describedby": "id_q_help", "required": True, "disabled": False}


@pytest.mark.parametrize(
    ("quick", "stock", "value"),
    [
        (QuickTextInput(attrs=ATTRS), forms.TextInput(attrs=ATTRS), HOSTILE),
        (QuickTextInput(attrs=ATTRS), forms.TextInput(attrs=ATTRS), None),
        (QuickTextInput(), forms.TextInput(), ""),
        (QuickHiddenInput(), forms.HiddenInput(), "mine"),
        (QuickDateInput(attrs=ATTRS), DateInput(attrs=ATTRS), datetime.date(2026, 12, 6)),
        (QuickDateInput(), DateInput(), "2026-13-40"),
        (QuickDateInput(), DateInput(), None),
        (QuickTextarea(attrs={"rows": 4, **ATTRS}), forms.Textarea(attrs={"rows": 4, **ATTRS}), HOSTILE + "\nسطر"),
        (QuickTextarea(), forms.Textarea(), ""),
        (QuickTextarea(), forms.Textarea(), None),
    ],
)
def test_a_quick_input_gives_the_html_of_djangos_widget(quick, stock, value):
    rendered = quick.render("q", value, attrs={"id": "id_q"})
    assert parse_html(rendered) == parse_html(stock.render("q", value, attrs={"id": "id_q"}))


@pytest.mark.parametrize("selected", [None, "", "b", ["a", "b"], HOSTILE])
def test_a_quick_select_gives_the_html_of_djangos_select(selected):
    choices = [("", "---"), ("a", "Ä & <ö>"), ("b", "ب"), (HOSTILE, HOSTILE)]
    quick = QuickSelect(attrs={"class": "form-select"}, choices=choices)
    stock = forms.Select(attrs={"class": "form-select"}, choices=choices)
    rendered = quick.render("status", selected, attrs={"id": "id_status"})
    assert parse_html(rendered) == parse_html(stock.render("status", selected, attrs={"id": "id_status"}))


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        ATTRS,
        {"title": HOSTILE, "data-x": 3, "hidden": True, "lang": None, HOSTILE: "key"},
        {"title": mark_safe("<i>already safe</i>"), "placeholder": _("Search")},
    ],
)
def test_the_quick_attributes_are_djangos_byte_for_byte(attrs):
    assert quick_flatatt(attrs) == flatatt(attrs)


def test_a_staff_forms_boxes_are_the_quick_ones_with_the_same_html():
    from requests_app.desk.staff_forms import ReplyForm
    from requests_app.move_forms import VersionedForm

    reply, versioned = ReplyForm(data={"text": HOSTILE}), VersionedForm(initial={"version": 7})
    assert type(reply.fields["text"].widget) is QuickTextarea
    assert type(versioned.fields["version"].widget) is QuickHiddenInput
    for form, name in ((reply, "text"), (versioned, "version")):
        joined = str(form[name])
        widget = form.fields[name].widget
        widget.__class__ = type(widget).__mro__[2] if type(widget) is QuickHiddenInput else type(widget).__mro__[1]
        assert type(widget) in (forms.Textarea, forms.HiddenInput)  # Django's own, rendered through its template
        assert parse_html(joined) == parse_html(str(form[name]))
    assert quick(forms.Select()).__class__ is forms.Select  # no quick one: left as it is
