from django import forms
from django.utils.translation import gettext_lazy as _

from ballots.models import Question
from members.models import Member
from members.roles import Role


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
    """A secret question an officer prepares: an item, or an election of `seats` whose candidates are the standing
    nominations (ballots.nominations), naming the board members whose seats it fills."""

    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices, widget=forms.RadioSelect)
    title_ar = forms.CharField(label=_("Question (Arabic)"), max_length=200)
    title_en = forms.CharField(label=_("Question (English)"), max_length=200)
    seats = forms.IntegerField(label=_("Seats to fill (elections)"), min_value=1, max_value=30, initial=1)
    outgoing = forms.ModelMultipleChoiceField(
        label=_("Board members whose seats this election fills"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "They leave the board when the minutes are approved, unless elected again. The other board members keep "
            "their seats."
        ),
    )

    def __init__(self, meeting, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["outgoing"].queryset = Member.objects.filter(user__groups__name=Role.BOARD).order_by("full_name_ar")
        self.fields["outgoing"].label_from_instance = lambda member: member.full_name_ar

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") != Question.Kind.ELECTION:
            cleaned["outgoing"] = []
        return cleaned


class NominationForm(forms.Form):
    """The board enters a member's nomination by membership number."""

    membership_no = forms.CharField(
        label=_("Membership number of the candidate"), max_length=20, widget=forms.TextInput(attrs={"dir": "ltr"})
    )

    def clean_membership_no(self) -> Member:
        number = self.cleaned_data["membership_no"].strip()
        member = Member.objects.filter(membership_no=number).first()
        if member is None:
            raise forms.ValidationError(_("No member has the membership number %(number)s.") % {"number": number})
        return member


class DisqualifyForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the candidate reads it)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
