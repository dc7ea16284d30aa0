"""Survey and suggestion-box forms: input shape and validation only (services do the saving)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members_portal.member_input import MemberTextField
from members_portal.readers import Readers, read_by
from surveys.models import COMMENT_MAX_LENGTH, SUGGESTION_MAX_LENGTH, AdoptedSuggestion, QuestionnaireVersion
from surveys.services import Answer

RATING_CHOICES = [
    (1, pgettext_lazy("rating", "Very poor")),
    (2, pgettext_lazy("rating", "Poor")),
    (3, pgettext_lazy("rating", "Acceptable")),
    (4, pgettext_lazy("rating", "Good")),
    (5, pgettext_lazy("rating", "Excellent")),
]
RECOMMEND_CHOICES = [(value, str(value)) for value in range(11)]
ASPECT_QUESTIONS = {
    "speed": _("How quickly was your request handled?"),
    "clarity": _("How clear were the steps and the answers you received?"),
    "courtesy": _("How courteous were the staff?"),
    "ease": _("How easy was the procedure?"),
}
RATING_ERRORS = {
    "required": _("Choose a rating from 1 to 5."),
    "invalid_choice": _("Choose a rating from 1 to 5."),
}


def _rating_field(label, *, required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages=RATING_ERRORS,
    )


def _comment_field(label, max_length: int, *, required: bool = False) -> forms.CharField:
    return MemberTextField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": max_length}),
        error_messages={"max_length": _("Please keep it under %(limit_value)d characters (you wrote %(show_value)d).")},
    )


class SurveyForm(forms.Form):
    """One screen: the overall rating (required), the aspects the version asks, 0–10, a comment."""

    def __init__(self, version: QuestionnaireVersion, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["overall"] = _rating_field(version.overall_question, required=True)
        self.aspects = version.aspects
        for aspect in self.aspects:
            self.fields[aspect] = _rating_field(ASPECT_QUESTIONS[aspect], required=False)
        self.fields["recommend"] = forms.TypedChoiceField(
            label=version.recommend_question,
            choices=RECOMMEND_CHOICES,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Choose a number from 0 to 10.")},
        )
        self.fields["comment"] = _comment_field(version.comment_prompt, COMMENT_MAX_LENGTH)

    def aspect_fields(self) -> list[forms.BoundField]:
        return [self[aspect] for aspect in self.aspects]

    def answer(self) -> Answer:
        data = self.cleaned_data
        return Answer(
            overall=data["overall"],
            recommend=data.get("recommend"),
            comment=data.get("comment", ""),
            **{aspect: data.get(aspect) for aspect in self.aspects},
        )


class SuggestionForm(forms.Form):
    """The suggestion box: a suggestion, a general rating, or both; anonymous or named, said plainly."""

    ANONYMOUS, NAMED = "anonymous", "named"

    text = _comment_field(_("Your suggestion"), SUGGESTION_MAX_LENGTH)
    overall = _rating_field(_("How do you rate the cooperative's services in general? (optional)"), required=False)
    identity = forms.ChoiceField(
        label=_("Send it"),
        choices=[
            (
                ANONYMOUS,
                _("Anonymously: your name is not kept with it, so we cannot reply to you."),
            ),
            (
                NAMED,
                _("With my name: it becomes a suggestion request in your name, and we reply to you."),
            ),
        ],
        initial=ANONYMOUS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to send it anonymously or with your name.")},
    )

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("text") or "").strip() and data.get("overall") is None and not self.errors:
            raise forms.ValidationError(_("Write a suggestion or choose a rating."), code="empty")
        return data

    @property
    def named(self) -> bool:
        return self.cleaned_data.get("identity") == self.NAMED


class AdoptedSuggestionForm(forms.ModelForm):
    """Staff write what the cooperative did, for the public page. No member is named."""

    class Meta:
        model = AdoptedSuggestion
        fields = ["title_ar", "title_en", "body_ar", "body_en", "adopted_on"]
        widgets = {
            "adopted_on": forms.DateInput(attrs={"type": "date"}),
            "body_ar": forms.Textarea(attrs={"rows": 4}),
            "body_en": forms.Textarea(attrs={"rows": 4}),
        }


# The public page shows what staff write here (no member is named).
for _name in ("title_ar", "title_en", "body_ar", "body_en"):
    read_by(Readers.PUBLIC, AdoptedSuggestionForm.base_fields[_name])
