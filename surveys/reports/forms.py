"""The board report's filter form: which period (labelled in both calendars) and which slice.

A GET form: it is read from the query string of the page, the PDF and the CSV alike, so a download is
exactly the report on screen. Bad input gets a clear message in the viewer's language, never a guess:
a period that has not begun, a range whose first month comes after its last, a range over 12 months,
an unknown period, service, department or governorate.
"""

import datetime
import html
import re
from functools import lru_cache

from django import forms
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from members.models import Governorate
from members_portal.html_text import escape
from requests_app.models import Department, RequestType
from surveys.reports import periods
from surveys.reports.periods import MAX_RANGE_MONTHS, Period, add_months, quarter_of
from surveys.reports.satisfaction import Scope

FIRST_YEAR = 2024  # the portal's first year: no period before it is offered (older ones are still accepted)
_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_KEY = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR_KEY = re.compile(r"^(\d{4})$")


def parse_period(key: str) -> Period | None:
    """'2026-07', '2026-Q3' or '2026' as a Period; None when it is not one of those shapes."""
    key = (key or "").strip()
    try:
        if match := _MONTH_KEY.match(key):
            year, month = int(match[1]), int(match[2])
            return Period.month(year, month) if 1 <= month <= 12 and year >= 2000 else None
        if match := _QUARTER_KEY.match(key):
            return Period.quarter(int(match[1]), int(match[2])) if int(match[1]) >= 2000 else None
        if match := _YEAR_KEY.match(key):
            return Period.year(int(match[1])) if int(match[1]) >= 2000 else None
    except ValueError:
        return None
    return None


def parse_month(key: str) -> datetime.date | None:
    match = _MONTH_KEY.match((key or "").strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        return None
    return datetime.date(int(match[1]), int(match[2]), 1)


def period_choices(today: datetime.date | None = None) -> list:
    """Grouped choices: this year's and earlier years, the last 8 quarters, the last 24 months; newest first."""
    return _period_choices(today or timezone.localdate(), get_language())


@lru_cache(maxsize=16)
def _period_choices(today: datetime.date, language: str) -> list:
    this_quarter = Period.quarter(today.year, quarter_of(today))
    quarters, quarter = [], this_quarter
    for _index in range(8):
        quarters.append((quarter.key, quarter.label()))
        quarter = quarter.previous()
    months = []
    for step in range(24):
        month = add_months(today, -step)
        period = Period.month(month.year, month.month)
        months.append((period.key, period.label()))
    years = [(Period.year(year).key, Period.year(year).label()) for year in range(today.year, FIRST_YEAR - 1, -1)]
    return [(_("Quarters"), quarters), (_("Years"), years), (_("Months"), months)]


def month_choices(today: datetime.date | None = None) -> list:
    return _month_choices(today or timezone.localdate(), get_language())


@lru_cache(maxsize=16)
def _month_choices(today: datetime.date, language: str) -> list:
    choices = [("", "—")]
    for step in range(36):
        month = add_months(today, -step)
        choices.append((f"{month:%Y-%m}", Period.month(month.year, month.month).label()))
    return choices


def _attributes(attrs: dict) -> str:
    """django/forms/widgets/attrs.html joined as a string: in the dict's order, True a bare name, False left out
    (its values pass |stringformat:'s', which makes even a safe string plain text, so they are always escaped)."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{html.escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class JoinedSelect(forms.Select):
    """A Select whose HTML is joined as strings: the same characters as Django's select templates give (a test
    compares them), without a template rendered for each of the filter's hundred-odd options."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{html.escape(str(option["value"]))}"{_attributes(option["attrs"])}>'
                f"{escape(option['label'])}</option>\n"  # the option template file ends with a line break
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every name, value and label escaped above)


class ReportForm(forms.Form):
    period = forms.CharField(label=gettext_lazy("Period"), required=False, widget=JoinedSelect)
    first_month = forms.CharField(label=gettext_lazy("Or from the month"), required=False, widget=JoinedSelect)
    last_month = forms.CharField(label=gettext_lazy("to the month"), required=False, widget=JoinedSelect)
    service = forms.TypedChoiceField(
        label=gettext_lazy("Service"), required=False, coerce=int, empty_value=None, widget=JoinedSelect
    )
    department = forms.TypedChoiceField(
        label=gettext_lazy("Department"), required=False, coerce=int, empty_value=None, widget=JoinedSelect
    )
    governorate = forms.ChoiceField(label=gettext_lazy("Governorate"), required=False, widget=JoinedSelect)

    def __init__(self, data=None, *, departments=None, today: datetime.date | None = None, **kwargs):
        """`departments`: the departments this viewer may see (None: all, with "all departments")."""
        super().__init__(data, **kwargs)
        self.today = today or timezone.localdate()
        self.limited_to = list(departments) if departments is not None else None
        self.fields["period"].widget.choices = [("", _("This quarter")), *period_choices(self.today)]
        self.fields["first_month"].widget.choices = month_choices(self.today)
        self.fields["last_month"].widget.choices = month_choices(self.today)
        types = RequestType.objects.select_related("department").order_by("department__name_ar", "order", "code")
        department_list = self.limited_to if self.limited_to is not None else list(Department.objects.all())
        if self.limited_to is not None:
            types = types.filter(department__in=self.limited_to)
            self.fields["department"].choices = [(department.pk, department.name) for department in department_list]
        else:
            self.fields["department"].choices = [("", _("All departments"))] + [
                (department.pk, department.name) for department in department_list
            ]
        self.fields["service"].choices = [("", _("All services"))] + [
            (request_type.pk, f"{request_type.name} ({request_type.code})") for request_type in types
        ]
        self.fields["governorate"].choices = [("", _("All governorates")), *Governorate.choices]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select")
        for name, message in (
            ("service", _("This service is not in the list: choose one from it.")),
            ("department", _("This department is not in the list: choose one from it.")),
            ("governorate", _("This governorate is not in the list: choose one from it.")),
        ):
            self.fields[name].error_messages["invalid_choice"] = message

    def clean_period(self) -> Period | None:
        key = self.cleaned_data.get("period", "")
        if not key:
            return None
        period = parse_period(key)
        if period is None:
            raise forms.ValidationError(_("Choose a period from the list (a month, a quarter or a year)."))
        return period

    def _month(self, name: str) -> datetime.date | None:
        key = self.cleaned_data.get(name, "")
        if not key:
            return None
        month = parse_month(key)
        if month is None:
            raise forms.ValidationError(_("Choose a month from the list."))
        return month

    def clean_first_month(self):
        return self._month("first_month")

    def clean_last_month(self):
        return self._month("last_month")

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_month"), cleaned.get("last_month")
        if self.errors:
            return cleaned
        if first or last:
            if not (first and last):
                raise forms.ValidationError(_("For a range, choose both the first and the last month."))
            if first > last:
                raise forms.ValidationError(
                    _("The first month comes after the last month: choose the earlier month first.")
                )
            period = Period.months_range(first, last)
            if period.length > MAX_RANGE_MONTHS:
                raise forms.ValidationError(
                    _("A range covers at most %(count)s months: choose a shorter one.") % {"count": MAX_RANGE_MONTHS}
                )
        else:
            period = cleaned.get("period") or Period.current(periods.QUARTER, self.today)
        if period.is_future(self.today):
            raise forms.ValidationError(
                _("This period has not begun yet, so there is nothing to report: choose one that has begun.")
            )
        department = cleaned.get("department")
        if self.limited_to is not None and department is None:
            department = self.limited_to[0].pk if self.limited_to else None
        service = cleaned.get("service")
        if (
            service is not None
            and department is not None
            and not RequestType.objects.filter(pk=service, department_id=department).exists()
        ):
            # A service of another department would show an empty slice as if it had no requests.
            self.add_error("service", _("This service belongs to another department: choose one of its own."))
            return cleaned
        cleaned["report_period"] = period
        cleaned["scope"] = Scope(
            department_id=department, request_type_id=service, governorate=cleaned.get("governorate") or None
        )
        return cleaned
