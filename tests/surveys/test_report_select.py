"""The report filter's lists, joined as strings (surveys.reports.forms.JoinedSelect), are the same characters as
Django's own select templates give: in both languages, with a choice made, with an error, and with hostile names."""

import copy

import pytest
from django import forms
from django.utils import translation

from surveys.reports.forms import JoinedSelect, ReportForm
from tests.surveys.report_factories import service

pytestmark = pytest.mark.django_db


def _both(form: ReportForm) -> list[tuple[str, str]]:
    """Each field as the form renders it, and as Django's Select renders the same field."""
    pairs = []
    for name in form.fields:
        joined = str(form[name])
        widget = form.fields[name].widget
        assert isinstance(widget, JoinedSelect)
        django_widget = copy.copy(widget)
        django_widget.__class__ = forms.Select
        form.fields[name].widget = django_widget
        pairs.append((joined, str(form[name])))
        form.fields[name].widget = widget
    return pairs


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"period": "2025-Q2", "governorate": "najran", "service": "the hostile one"},
        {"first_month": "2025-03", "last_month": "2025-05"},
        {"period": "<script>", "service": "x\"'&", "governorate": "nowhere"},  # errors: aria-invalid
    ],
)
def test_the_joined_lists_are_django_s_own(language, data):
    hostile = service(name_ar="<b>\"شتلات\" & 'بن'</b>", name_en="<i>Seedlings & 'coffee'</i>")
    with translation.override(language):
        if data and data.get("service") == "the hostile one":
            data = {**data, "service": str(hostile.pk)}
        form = ReportForm(data)
        form.is_valid()
        pairs = _both(form)
        for joined, django in pairs:
            assert joined == django
    assert any("&lt;b&gt;&quot;" in joined or "&lt;i&gt;Seedlings &amp;" in joined for joined, _ in pairs)
