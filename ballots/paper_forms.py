"""The officer's paper count form: a count per option, the valid ballots of an election, the spoiled ballots."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ballots.models import Question
from ballots.paper import Entry


def _count(label, help_text="") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        help_text=help_text,
        error_messages={
            "invalid": _("Enter a number in digits only, such as 12500."),
            "min_value": _("A count cannot be below zero."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "dir": "ltr", "min": "0"}),
    )


class PaperCountForm(forms.Form):
    def __init__(self, question: Question, *args, **kwargs) -> None:
        super().__init__(*args, prefix=f"q{question.pk}", **kwargs)
        self.question = question
        self.options = list(question.options.order_by("order"))
        if question.kind == Question.Kind.ELECTION:
            self.fields["ballots"] = _count(
                _("Valid paper ballots"), _("Ballots naming at least one candidate and no more than the seats.")
            )
        for option in self.options:
            label = _("Votes for %(name)s") % {"name": option.label}
            self.fields[f"option_{option.pk}"] = _count(label)
        self.fields["spoiled"] = _count(
            _("Spoiled paper ballots"),
            _("Blank or unreadable ballots, and election ballots with more choices than seats."),
        )

    def entry(self) -> Entry:
        data = self.cleaned_data
        return Entry(
            votes={option.pk: data[f"option_{option.pk}"] for option in self.options},
            spoiled=data["spoiled"],
            ballots=data.get("ballots"),
        )
