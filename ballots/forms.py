from django import forms
from django.utils.translation import gettext_lazy as _

from assembly.models import EligibleMember
from ballots.models import Question


class BallotForm(forms.Form):
    """A ballot: the voting code and the options. How many options a ballot takes is the service's rule
    (ballots.voting), so the refusal says the number in the member's words."""

    credential = forms.CharField(
        label=_("Your voting code"),
        max_length=80,
        help_text=_("The code shown when you opened voting. Keep it to vote again until voting closes."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, question: Question, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(option.pk, option.label) for option in question.options.order_by("order")]
        if question.kind == Question.Kind.ELECTION:
            self.fields["options"] = forms.TypedMultipleChoiceField(
                label=_("Your candidates"), choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple
            )
        else:
            self.fields["options"] = forms.TypedChoiceField(
                label=_("Your vote"), choices=choices, coerce=int, widget=forms.RadioSelect
            )

    def chosen(self) -> list[int]:
        value = self.cleaned_data["options"]
        return list(value) if isinstance(value, list) else [value]


class QuestionForm(forms.Form):
    """A secret question an officer prepares: an item, or an election of `seats` among candidates named by their
    membership numbers (each must be on the meeting's list: the service checks)."""

    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices, widget=forms.RadioSelect)
    title_ar = forms.CharField(label=_("Question (Arabic)"), max_length=200)
    title_en = forms.CharField(label=_("Question (English)"), max_length=200)
    seats = forms.IntegerField(label=_("Seats to fill (elections)"), min_value=1, max_value=30, initial=1)
    candidates = forms.CharField(
        label=_("Candidates' membership numbers (elections)"),
        required=False,
        help_text=_("Separated by spaces or commas, in the order they appear on the ballot."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )

    def __init__(self, meeting, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean_candidates(self) -> list:
        numbers = self.cleaned_data["candidates"].replace("،", " ").replace(",", " ").split()
        found = {
            row.membership_no: row.member
            for row in EligibleMember.objects.filter(meeting=self.meeting, membership_no__in=numbers).select_related(
                "member"
            )
        }
        missing = [number for number in numbers if number not in found]
        if missing:
            raise forms.ValidationError(
                _("No member on this meeting's list has the membership number %(numbers)s.")
                % {"numbers": "، ".join(missing)}
            )
        return [found[number] for number in numbers]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") == Question.Kind.ELECTION and not cleaned.get("candidates"):
            self.add_error("candidates", _("An election needs its candidates."))
        return cleaned
