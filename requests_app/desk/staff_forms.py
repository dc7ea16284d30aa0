"""Forms of the staff pages: queue filters, replies and notes, assignment, board decisions (the status moves' forms
are in move_forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Governorate
from members_portal.arabic import to_western_digits
from members_portal.readers import Readers, read_by
from requests_app import sla
from requests_app.desk import queue
from requests_app.desk.queue_widgets import QuickHiddenInput, QuickInput, QuickSelect, QuickTextInput
from requests_app.desk.staff_services import ON_BEHALF_CHANNELS
from requests_app.forms import NumberField
from requests_app.models import Channel, ServiceRequest
from requests_app.move_forms import PlainBootstrapForm, VersionedForm

Status = ServiceRequest.Status


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class QuickDateInput(QuickInput, DateInput):
    pass


class QueueFilterForm(forms.Form):
    """The queue's GET parameters. Invalid values are dropped (a stale bookmark still opens the queue)."""

    view = forms.ChoiceField(label=_("View"), choices=queue.SavedView.CHOICES, required=False, widget=QuickHiddenInput)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=QuickTextInput,
        help_text=_("Request number, membership number, mobile or name; closed requests are searched too"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect(fixed="status"))
    department = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None, widget=QuickSelect()
    )
    service = forms.TypedChoiceField(
        label=_("Service"), required=False, coerce=int, empty_value=None, widget=QuickSelect()
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False, widget=QuickSelect())
    sla_state = forms.ChoiceField(label=_("Service level"), required=False, widget=QuickSelect(fixed="sla_state"))
    governorate = forms.ChoiceField(label=_("Governorate"), required=False, widget=QuickSelect(fixed="governorate"))
    submitted_from = forms.DateField(label=_("Submitted from"), required=False, widget=QuickDateInput())
    submitted_to = forms.DateField(label=_("Submitted until"), required=False, widget=QuickDateInput())
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=queue.Sort.CHOICES, required=False, widget=QuickSelect(fixed="sort")
    )

    def __init__(self, data, *, services, staff, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["status"].choices = [
            (queue.OPEN, _("All open")),
            *[(value, label) for value, label in Status.choices],
            (queue.ANY, _("All, closed included")),
        ]
        departments = {s.department.pk: s.department.name for s in services}
        self.fields["department"].choices = [("", _("All my departments")), *departments.items()]
        self.fields["service"].choices = [("", _("All services")), *[(s.pk, f"{s.code} · {s.name}") for s in services]]
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            (queue.ASSIGNEE_MINE, _("Me")),
            (queue.ASSIGNEE_NONE, _("Unassigned")),
            *[(str(user.pk), user.get_full_name() or user.username) for user in staff],
        ]
        self.fields["sla_state"].choices = [("", _("Any")), *[(s.value, s.label) for s in sla.FILTERABLE]]
        self.fields["governorate"].choices = [("", _("All governorates")), *Governorate.choices]
        # Rendered as plain Bootstrap fields (no crispy templates): the queue page is rendered all day long.
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_help"

    def filters(self) -> queue.QueueFilters:
        """The filters to apply: the valid fields, defaults for the rest."""
        self.is_valid()
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        q = to_western_digits(data.get("q") or "").strip()
        status = data.get("status") or queue.OPEN
        if q and status == queue.OPEN:
            status = queue.ANY  # a number read out on the phone may be of a closed request: find it anyway
        return queue.QueueFilters(
            view=data.get("view") or queue.SavedView.ALL,
            status=status,
            service=data.get("service"),
            department=data.get("department"),
            assignee=data.get("assignee") or "",
            sla_state=data.get("sla_state") or "",
            governorate=data.get("governorate") or "",
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            q=q,
            sort=data.get("sort") or queue.Sort.DUE,
        )


class ReplyForm(PlainBootstrapForm):
    """On the request page beside the internal note: ids of its own, so each box has its own label and help."""

    text = read_by(
        Readers.MEMBER,
        forms.CharField(
            label=_("Reply to the member"),
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"required": _("Write the reply.")},
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_reply_%s")
        super().__init__(*args, **kwargs)


class NoteForm(PlainBootstrapForm):
    text = read_by(
        Readers.STAFF,
        forms.CharField(
            label=_("Internal note (never shown to the member)"),
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": _("Write the note.")},
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


class AssignForm(VersionedForm):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", _("Nobody (unassigned)")),
            *[(user.pk, user.get_full_name() or user.username) for user in staff],
        ]


class BulkAssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=_("Assign the selected requests to"),
        coerce=int,
        error_messages={"required": _("Choose who takes the selected requests.")},
    )
    requests = forms.TypedMultipleChoiceField(
        coerce=int, error_messages={"required": _("Select at least one request.")}
    )

    def __init__(self, *args, staff=(), request_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", "---------"),
            *[(user.pk, user.get_full_name() or user.username) for user in staff],
        ]
        self.fields["requests"].choices = [(pk, pk) for pk in request_ids]


class MemberLookupForm(forms.Form):
    q = forms.CharField(
        label=_("Find the member"),
        max_length=100,
        help_text=_("Membership number, national ID, mobile or name"),
    )


class OnBehalfForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How the member asked"),
        choices=[(value, label) for value, label in Channel.choices if value in ON_BEHALF_CHANNELS],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the member asked: by phone, at the headquarters or on a field visit.")
        },
    )


class BoardDecisionForm(VersionedForm):
    decision = forms.TypedChoiceField(
        label=_("The board's decision"),
        choices=[("approve", _("Approved")), ("reject", _("Not approved"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "approve",
        error_messages={"required": _("Choose the board's decision.")},
    )
    meeting_reference = read_by(
        Readers.MEMBER,
        forms.CharField(
            label=_("Meeting reference"),
            max_length=60,
            help_text=_("For example 12/1448. The member reads it with the decision."),
            error_messages={"required": _("Give the reference of the meeting that took the decision.")},
        ),
    )
    meeting_date = forms.DateField(label=_("Meeting date"), required=False, widget=DateInput())
    note = read_by(
        Readers.MEMBER,
        forms.CharField(
            label=_("The decision as the member will read it"),
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("The member reads this; for a rejection, the reason."),
            error_messages={"required": _("Write the board's decision as the member will read it.")},
        ),
    )
    refund_due = NumberField(
        label=_("Refund due to the member (riyals)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "Only when approving: the shares' value plus or minus the profit or loss per the last approved "
            "accounts. The member reads it."
        ),
    )

    def __init__(self, *args, asks_for_refund: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not asks_for_refund:
            del self.fields["refund_due"]

    def clean(self):
        cleaned = super().clean()
        if "refund_due" in self.fields and cleaned.get("decision") and cleaned.get("refund_due") is None:
            self.add_error("refund_due", _("Give the refund due to the member, in riyals."))
        return cleaned
