"""Forms: the request form built from a service's fields and documents, and the member's small forms."""

import datetime
import decimal
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from members import validators
from members_portal.arabic import to_western_digits
from members_portal.member_input import MemberTextField
from requests_app import uploads
from requests_app.models import Attachment, RequestDocument, RequestField, RequestType

YES, NO = "yes", "no"


class WesternDigitsMixin:
    def to_python(self, value):
        if isinstance(value, str):
            value = to_western_digits(value).replace("٫", ".").replace("٬", "").replace(",", "")
        return super().to_python(value)


class NumberField(WesternDigitsMixin, forms.DecimalField):
    """A text box with a numeric keyboard: type=number refuses the Arabic-Indic digits many members type."""

    default_error_messages = {"invalid": _("Enter a number in digits only, such as 12500.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        return attrs


class WholeNumberField(WesternDigitsMixin, forms.IntegerField):
    """A count (shares, trees, seedlings): digits only, Western or Arabic-Indic."""

    default_error_messages = {"invalid": _("Enter a whole number in digits only, such as 4.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return attrs


class NormalisedField(forms.CharField):
    """A text box whose value one of members.validators' `normalise_*` functions checks and puts in its stored form."""

    def __init__(self, *, normalise, placeholder: str, inputmode: str = "text", **kwargs):
        self.normalise = normalise
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"dir": "ltr", "inputmode": inputmode, "placeholder": placeholder, "autocomplete": "off"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.normalise(value) if value else value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateField(WesternDigitsMixin, forms.DateField):
    pass


def _document_field_name(document: RequestDocument) -> str:
    return f"document_{document.pk}"


def _accept(document: RequestDocument) -> str:
    mapping = {"pdf": ".pdf,application/pdf", "jpeg": ".jpg,.jpeg,image/jpeg", "png": ".png,image/png"}
    return ",".join(mapping[key] for key in document.allowed)


def _normalise_email(value: str) -> str:
    value = to_western_digits(str(value)).strip()
    validate_email(value)
    return value.lower()


# The key of a choice field and of the value it qualifies, and how each choice's value is checked.
CHOSEN_KIND_FIELDS = ("what", "new_value")
CHOSEN_KIND_CHECKS = {
    "mobile": validators.normalise_saudi_mobile,
    "email": _normalise_email,
    "iban": validators.normalise_saudi_iban,
}


class RequestForm(forms.Form):
    """The form of one service: its active fields, then a file input per document it needs.

    A required document already uploaded into the draft (an earlier try) is not asked again.
    Files are checked here (type by content, size) so that only good files reach the draft.
    """

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self,
        request_type: RequestType,
        *args,
        kept: list[Attachment] = (),
        too_large: set[str] = frozenset(),
        **kwargs,
    ):
        kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.request_type = request_type
        self.too_large = too_large
        self.request_fields = [field for field in request_type.fields.all() if field.active]
        self.request_documents = [document for document in request_type.documents.all() if document.active]
        kept_documents = {attachment.document_id for attachment in kept}
        for request_field in self.request_fields:
            self.fields[request_field.key] = self._build(request_field)
        for document in self.request_documents:
            already = document.pk in kept_documents
            self.fields[_document_field_name(document)] = forms.FileField(
                label=document.name,
                required=document.required and not already,
                help_text=" ".join(
                    part
                    for part in [
                        document.help,
                        str(_("Already attached; add another file only to replace or complete it.")) if already else "",
                    ]
                    if part
                ),
                widget=forms.ClearableFileInput(attrs={"accept": _accept(document)}),
            )

    def _build(self, request_field: RequestField) -> forms.Field:
        common = {"label": request_field.label, "required": request_field.required, "help_text": request_field.help}
        kind = RequestField.FieldType
        if request_field.field_type == kind.LONG_TEXT:
            return MemberTextField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), **common)
        if request_field.field_type == kind.NUMBER:
            return NumberField(max_digits=14, decimal_places=2, min_value=0, **common)
        if request_field.field_type == kind.WHOLE_NUMBER:
            return WholeNumberField(min_value=0, max_value=10**9, **common)
        if request_field.field_type == kind.DATE:
            return DateField(widget=DateInput(), **common)
        if request_field.field_type == kind.IBAN:
            return NormalisedField(normalise=validators.normalise_saudi_iban, placeholder="SA…", **common)
        if request_field.field_type == kind.NATIONAL_ID:
            return NormalisedField(
                normalise=validators.normalise_national_id, placeholder="1XXXXXXXXX", inputmode="numeric", **common
            )
        if request_field.field_type == kind.MOBILE:
            return NormalisedField(
                normalise=validators.normalise_saudi_mobile, placeholder="05XXXXXXXX", inputmode="tel", **common
            )
        if request_field.field_type == kind.CHOICE:
            english = (translation.get_language() or "ar").startswith("en")
            options = [(key, en if english else ar) for key, ar, en in request_field.choice_options()]
            return forms.ChoiceField(choices=[("", "---------"), *options], **common)
        if request_field.field_type == kind.YES_NO:
            return forms.ChoiceField(choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common)
        return MemberTextField(max_length=500, **common)

    def clean(self):
        cleaned = super().clean()
        self._check_the_chosen_kind(cleaned)
        for document in self.request_documents:
            name = _document_field_name(document)
            if name in self.too_large:
                self.add_error(
                    name,
                    ValidationError(
                        _("The file is larger than %(limit)s."),
                        params={"limit": uploads.size_limit_label()},
                        code="too_large",
                    ),
                )
                continue
            upload = cleaned.get(name)
            if upload:
                try:
                    uploads.check_upload(upload, allowed=document.allowed)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def _check_the_chosen_kind(self, cleaned: dict) -> None:
        """A value whose kind another field chooses («تحديث بيانات العضو»: what to update, then the new value) is
        checked as a field of that kind would be: a new mobile that cannot receive a text is refused at once."""
        kind_key, value_key = CHOSEN_KIND_FIELDS
        check = CHOSEN_KIND_CHECKS.get(cleaned.get(kind_key) or "")
        if check is None or value_key not in self.fields or not cleaned.get(value_key):
            return
        try:
            cleaned[value_key] = check(cleaned[value_key])
        except ValidationError as error:
            self.add_error(value_key, error)

    # --- What the views take from the form ---------------------------------------------------------------------

    def good_files(self) -> list[tuple[RequestDocument, object]]:
        """Files that passed their checks (also when another field failed): they go into the draft."""
        files = []
        for document in self.request_documents:
            name = _document_field_name(document)
            upload = self.files.get(name)
            if not upload or name in self.too_large:
                continue
            try:
                uploads.check_upload(upload, allowed=document.allowed)
            except ValidationError:
                continue
            files.append((document, upload))
        return files

    def raw_answers(self) -> dict:
        """What was typed, as typed (also when invalid): kept in the draft so nothing is retyped."""
        return {field.key: self.data.get(field.key, "") for field in self.request_fields}

    def cleaned_answers(self) -> list[dict]:
        """The snapshot a request keeps: each field's labels in both languages, its value, and how it reads."""
        snapshot = []
        for request_field in self.request_fields:
            value = self.cleaned_data.get(request_field.key)
            snapshot.append(
                {
                    "key": request_field.key,
                    "label_ar": request_field.label_ar,
                    "label_en": request_field.label_en or request_field.label_ar,
                    "type": request_field.field_type,
                    "value": _json_value(value),
                    "display_ar": _display(request_field, value, "ar"),
                    "display_en": _display(request_field, value, "en"),
                }
            )
        return snapshot


def _json_value(value):
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value if value is not None else ""


def _display(request_field: RequestField, value, language: str) -> str:
    if value in (None, ""):
        return ""
    kind = RequestField.FieldType
    if request_field.field_type == kind.CHOICE:
        for key, ar, en in request_field.choice_options():
            if key == value:
                return ar if language == "ar" else en
    if request_field.field_type == kind.YES_NO:
        with translation.override(language):
            return str(_("Yes") if value == YES else _("No"))
    if request_field.field_type == kind.DATE:
        return value.isoformat()
    return str(_json_value(value))


class MessageForm(forms.Form):
    text = MemberTextField(
        label=_("Your message"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(label=_("Attach a document (optional)"), required=False)

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            uploads.check_upload(upload, allowed=["pdf", "jpeg", "png"])
        return upload

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text") or "").strip() and not cleaned.get("document") and not self.errors:
            raise ValidationError(_("Write a message or attach a document."))
        return cleaned


class ResubmitForm(forms.Form):
    """Completing a returned request: one file input per document of the service, and a note."""

    note = MemberTextField(
        label=_("A note for the staff"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, request_type: RequestType, *args, too_large: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.request_documents = [document for document in request_type.documents.all() if document.active]
        for document in self.request_documents:
            self.fields[_document_field_name(document)] = forms.FileField(
                label=document.name,
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": _accept(document)}),
            )
        self.fields["other"] = forms.FileField(label=_("Another document"), required=False)

    def clean(self):
        cleaned = super().clean()
        self.checked_files = []
        for name in self.too_large:
            if name in self.fields:
                self.add_error(
                    name,
                    ValidationError(
                        _("The file is larger than %(limit)s."), params={"limit": uploads.size_limit_label()}
                    ),
                )
        documents = {_document_field_name(document): document for document in self.request_documents}
        for name, document in [*documents.items(), ("other", None)]:
            upload = cleaned.get(name)
            if not upload or name in self.too_large:
                continue
            try:
                uploads.check_upload(upload, allowed=document.allowed if document else ["pdf", "jpeg", "png"])
            except ValidationError as error:
                self.add_error(name, error)
            else:
                self.checked_files.append((document, upload))
        if not self.errors and not (cleaned.get("note") or "").strip() and not self.checked_files:
            raise ValidationError(_("Add the missing documents or a note before you resubmit."))
        return cleaned


class CancelForm(forms.Form):
    """The confirmation step: only a post from this page (with `confirm`) cancels."""

    reason = MemberTextField(label=_("Why are you cancelling? (optional)"), max_length=1000, required=False)
    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)


class GuideSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the services and questions"), max_length=100, required=False)
