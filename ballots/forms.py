from django import forms
from django.utils.translation import gettext_lazy as _

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
