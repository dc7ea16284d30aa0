"""Forms of the outbox pages: writing an announcement, filtering the operations view, a test message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Announcement, Channel, Governorate, Member, Notification
from members_portal.readers import Readers, read_by


class AnnouncementForm(forms.Form):
    title_ar = read_by(
        Readers.PUBLIC,
        forms.CharField(
            label=_("Title (Arabic)"),
            max_length=80,
            help_text=_("Members read this, also as the text message with a link to the announcement: keep it short."),
        ),
    )
    body_ar = read_by(
        Readers.PUBLIC,
        forms.CharField(label=_("Text (Arabic)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})),
    )
    title_en = read_by(Readers.PUBLIC, forms.CharField(label=_("Title (English)"), max_length=80))
    body_en = read_by(
        Readers.PUBLIC,
        forms.CharField(
            label=_("Text (English)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5, "dir": "ltr"})
        ),
    )
    segment = forms.ChoiceField(
        label=_("Recipients"),
        choices=Announcement.Segment.choices,
        initial=Announcement.Segment.ALL,
        widget=forms.RadioSelect,
    )
    governorate = forms.ChoiceField(
        label=_("Governorate"),
        choices=[("", _("(only for one governorate)")), *Governorate.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_en"].widget.attrs["dir"] = "ltr"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("segment") == Announcement.Segment.GOVERNORATE and not cleaned.get("governorate"):
            self.add_error("governorate", _("Choose the governorate."))
        return cleaned


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Notification.Status.choices], required=False
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("All channels")), *Channel.choices], required=False)
    event = forms.CharField(label=_("Message"), max_length=64, required=False)
    membership_no = forms.CharField(label=_("Membership number"), max_length=20, required=False)

    def filter(self, rows):
        if not self.is_valid():
            return rows
        data = self.cleaned_data
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["channel"]:
            rows = rows.filter(channel=data["channel"])
        if data["event"]:
            rows = rows.filter(event=data["event"].strip())
        if data["membership_no"]:
            rows = rows.filter(member__membership_no=data["membership_no"].strip())
        return rows


class TestMessageForm(forms.Form):
    membership_no = forms.CharField(label=_("Membership number"), max_length=20)

    def clean_membership_no(self) -> Member:
        value = self.cleaned_data["membership_no"].strip()
        member = Member.objects.filter(membership_no=value).first()
        if member is None:
            raise forms.ValidationError(_("No member has this membership number."))
        return member
