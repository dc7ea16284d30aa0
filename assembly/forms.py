import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import AgendaItem, Decision, Document, Meeting


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Meeting.Kind.choices, initial=Meeting.Kind.ORDINARY)
    date = forms.DateField(label=_("Date (Gregorian)"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Time"), initial=datetime.time(16, 0), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place_ar = forms.CharField(
        label=_("Place (Arabic)"), max_length=200, required=False, help_text=_("Empty: the headquarters.")
    )
    place_en = forms.CharField(
        label=_("Place (English)"), max_length=200, required=False, help_text=_("Empty: the headquarters.")
    )
    remote_attendance = forms.BooleanField(label=_("Members may also attend remotely"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place_ar"].widget.attrs["placeholder"] = settings.ASSEMBLY_HEADQUARTERS_AR
        self.fields["place_en"].widget.attrs["placeholder"] = settings.ASSEMBLY_HEADQUARTERS_EN
        if not settings.ASSEMBLY_REMOTE_ATTENDANCE:  # the bylaws decide; off until the cooperative turns it on
            del self.fields["remote_attendance"]

    @classmethod
    def for_meeting(cls, meeting: Meeting, data=None) -> "MeetingForm":
        """The form filled with a draft's values, to correct them."""
        starts_at = timezone.localtime(meeting.starts_at)
        initial = {
            "kind": meeting.kind,
            "date": starts_at.date(),
            "time": starts_at.time().replace(second=0, microsecond=0),
            "place_ar": meeting.place_ar,
            "place_en": meeting.place_en,
            "remote_attendance": meeting.remote_attendance,
        }
        return cls(data, initial=initial)

    def starts_at(self) -> datetime.datetime:
        combined = datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(combined)

    def meeting_fields(self) -> dict:
        """What the services take to draft or correct a meeting."""
        return {
            "kind": self.cleaned_data["kind"],
            "starts_at": self.starts_at(),
            "place_ar": self.cleaned_data["place_ar"],
            "place_en": self.cleaned_data["place_en"],
            "remote_attendance": self.cleaned_data.get("remote_attendance", False),
        }


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of item"), choices=AgendaItem.Kind.choices)
    title_ar = forms.CharField(label=_("Title (Arabic)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)


class ProxyHolderForm(forms.Form):
    """The principal's step one: the holder's national ID; the page then shows only the match's name and number."""

    national_id = forms.CharField(
        label=_("The national ID of the member you appoint"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
    )


class ChairForm(forms.Form):
    """The chair the members present elected (Law art. 26): a member present, by membership number, and the votes."""

    membership_no = forms.CharField(
        label=_("The chair's membership number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
    )
    votes = forms.IntegerField(label=_("Votes for the chair"), min_value=1)


class CountsForm(forms.Form):
    """One officer's count of an item's open vote; the chair's vote only matters on a tie."""

    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0)
    abstentions = forms.IntegerField(label=_("Abstained"), min_value=0)
    chair_side = forms.ChoiceField(
        label=_("The chair's vote (needed on a tie only)"),
        choices=[("", "—"), *Decision.Side.choices],
        required=False,
    )

    def __init__(self, *args, prefix_item: int | None = None, **kwargs) -> None:
        super().__init__(*args, prefix=f"item{prefix_item}" if prefix_item else None, **kwargs)
        for name in ("votes_for", "votes_against", "abstentions"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "dir": "ltr"})


class ProxyCodeForm(forms.Form):
    """The holder's acceptance: the six-digit code sent to their mobile on record."""

    code = forms.CharField(
        label=_("The code sent to your mobile"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "dir": "ltr", "maxlength": "12"}
        ),
    )


class DocumentForm(forms.Form):
    """The board's upload of one of the Assembly's documents: which one, and the PDF."""

    kind = forms.ChoiceField(label=_("Document"), choices=Document.Kind.choices)
    file = forms.FileField(label=_("The file (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))
