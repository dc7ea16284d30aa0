"""Input shapes for the members pages. Rules that need the database live in services and activation."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members import channel_table, importing, register_columns
from members.models import CorrectionRequest, Governorate, Member
from members.validators import (
    normalise_member_national_id,
    normalise_saudi_mobile,
    validate_membership_no,
    validate_plain_text,
    western_digits,
)
from members_portal.readers import Readers, read_by

LTR = {"dir": "ltr", "autocomplete": "off"}


class NationalIdField(forms.CharField):
    """A citizen's national ID, typed with Western or Arabic-Indic digits; cleaned to 10 Western digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("National ID number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={**LTR, "inputmode": "numeric", "placeholder": "1XXXXXXXXX"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_member_national_id(value) if value else value


class SaudiMobileField(forms.CharField):
    """A Saudi mobile in any usual form (05…, 5…, +966…, ٠٥…), cleaned to +9665XXXXXXXX."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel", "placeholder": "05XXXXXXXX"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_saudi_mobile(value) if value else value


class ActivationStartForm(forms.Form):
    membership_no = forms.CharField(
        label=_("Membership number"), max_length=20, widget=forms.TextInput(attrs={**LTR, "inputmode": "numeric"})
    )
    national_id = NationalIdField()

    def clean_membership_no(self) -> str:
        value = western_digits(self.cleaned_data["membership_no"]).strip().upper()
        validate_membership_no(value)
        return value


class ForgotPasswordForm(forms.Form):
    mobile = SaudiMobileField(help_text=_("The mobile number on your account. We send a one-time code to it."))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The one-time code we sent you"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": "000000"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(ch for ch in western_digits(self.cleaned_data["code"]) if not ch.isspace())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise ValidationError(_("The code has 6 digits."))
        return code


class NewPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


class RegistrationForm(forms.Form):
    national_id = NationalIdField()
    mobile = SaudiMobileField()
    full_name_ar = forms.CharField(
        label=_("Full name in Arabic (four parts)"), max_length=200, validators=[validate_plain_text]
    )
    governorate = forms.ChoiceField(label=_("Governorate"), choices=[("", "—"), *Governorate.choices])
    village = forms.CharField(
        label=_("Village or centre"), max_length=120, required=False, validators=[validate_plain_text]
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"), required=False, widget=forms.EmailInput(attrs={"dir": "ltr"})
    )
    agree = forms.BooleanField(
        label=_("I have read the privacy statement and agree to be contacted by text message about my application."),
    )

    def clean_full_name_ar(self) -> str:
        return " ".join(self.cleaned_data["full_name_ar"].split())

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class PreferencesForm(forms.ModelForm):
    """The language, a yes or no per channel of the channel table, and the surveys."""

    class Meta:
        model = Member
        fields = ["language", *channel_table.consent_fields(), "surveys_opt_out"]
        widgets = {"language": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The member answers for themselves ("I do not want", "I agree"), not in the record's words that staff read.
        self.fields["surveys_opt_out"].label = _("I do not want satisfaction surveys")
        # Each channel's consent shows the words the member agrees to (stored with the answer).
        for kind in channel_table.TABLE:
            if kind.consent_field and kind.wording:
                self.fields[kind.consent_field].label = kind.wording


class CorrectionRequestForm(forms.ModelForm):
    class Meta:
        model = CorrectionRequest
        fields = ["field", "requested_value", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "—"), *register_columns.correction_choices()]
        self.fields["requested_value"].validators.append(validate_plain_text)
        self.fields["reason"].validators.append(validate_plain_text)


class CorrectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("apply", _("Correct the record")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    staff_note = read_by(
        Readers.MEMBER,
        forms.CharField(
            label=_("Note to the member"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
        ),
    )


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, membership number, national ID or mobile"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    governorate = forms.ChoiceField(
        label=_("Governorate"), required=False, choices=[("", _("All governorates")), *Governorate.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Member.Status.choices]
    )


class AccessLogFilterForm(forms.Form):
    member = forms.CharField(
        label=_("Membership number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
    )
    viewer = forms.ModelChoiceField(label=_("Staff member"), required=False, queryset=None, empty_label=_("All staff"))

    def __init__(self, *args, viewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["viewer"].queryset = viewers
        self.fields["viewer"].label_from_instance = lambda user: user.get_full_name() or user.email or user.username


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (CSV or Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise ValidationError(
                _("The file is too large; the limit is %(limit)s MB.") % {"limit": importing.MAX_BYTES // 1_048_576}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise ValidationError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
        return upload
