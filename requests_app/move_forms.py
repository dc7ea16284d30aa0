"""The forms of the staff page's status moves (named by the rows of requests_app.workflow.MOVES), and the plain
Bootstrap form every staff form builds on. Each field a move's form adds is a keyword argument of the move's service
(`version` is its `expected_version`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members_portal.readers import Readers, read_by
from requests_app.desk.queue_widgets import quick


class PlainBootstrapForm(forms.Form):
    """Fields with Bootstrap classes and ARIA links, for templates/requests_app/staff/_form_fields.html."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget = quick(field.widget)
            if isinstance(widget, forms.HiddenInput | forms.RadioSelect | forms.CheckboxInput):
                continue
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self.auto_id % self.add_prefix(name)}_help"

    def _post_clean(self):
        """After validation: mark the fields in error, and link each to its message."""
        super()._post_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()
            attrs["aria-invalid"] = "true"
            error_id = f"{self.auto_id % self.add_prefix(name)}_error"
            attrs["aria-describedby"] = (attrs.get("aria-describedby", "") + " " + error_id).strip()


class VersionedForm(PlainBootstrapForm):
    """Every form that changes a request carries the version the page showed (stale-page check)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PlainMoveForm(VersionedForm):
    """Start review, start work: nothing to say."""


class ReturnForm(VersionedForm):
    missing = read_by(
        Readers.MEMBER,
        forms.CharField(
            label=_("What is missing"),
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("The member reads this: list each missing document or answer."),
            error_messages={"required": _("Say what is missing, so the member can complete it.")},
        ),
    )


class ReferForm(VersionedForm):
    note = read_by(
        Readers.BOARD,
        forms.CharField(
            label=_("Note for the board (optional)"),
            max_length=2000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
    )


class CompleteForm(VersionedForm):
    outcome = read_by(
        Readers.MEMBER,
        forms.CharField(
            label=_("Outcome"),
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": _("Write the outcome the member will read.")},
        ),
    )


class RejectForm(VersionedForm):
    reason = read_by(
        Readers.MEMBER,
        forms.CharField(
            label=_("Reason for rejection"),
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": _("A rejection needs a reason.")},
        ),
    )
