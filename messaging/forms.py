from django import forms
from django.utils.translation import gettext_lazy as _

PERIOD_DAYS = ((7, _("The last 7 days")), (30, _("The last 30 days")), (90, _("The last 90 days")))
DEFAULT_DAYS = 30


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"), choices=PERIOD_DAYS, coerce=int, initial=DEFAULT_DAYS, required=False
    )

    def chosen_days(self) -> int:
        """The period asked for; the default when none or one not offered was asked for (the form says so)."""
        return (self.cleaned_data["days"] or DEFAULT_DAYS) if self.is_valid() else DEFAULT_DAYS
