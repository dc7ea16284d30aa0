"""allauth's forms for sign-in by code, with the cooperative's limits and words (settings ACCOUNT_FORMS).

A code request is limited per mobile or e-mail typed (members.limits: a few an hour and a day, with the time to
try again) and per address only by a high ceiling. Each code allows ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS tries, so the
guesses at one mobile's codes are bounded by CODES_PER_DAY x that, every day.
"""

from allauth.account import forms as allauth_forms
from allauth.core import context
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django.utils.translation import gettext_lazy as _

from members import limits
from members.client_address import client_address


def _limit_code_request(typed: str) -> None:
    identifier = limits.identifier(typed)
    try:
        limits.hit_all(
            [
                (limits.CODES_PER_HOUR, identifier),
                (limits.CODES_PER_DAY, identifier),
                (limits.ADDRESS_CEILING, f"codes:{client_address(context.request)}"),
            ]
        )
    except limits.Refused as refused:
        raise refused.as_validation_error() from None


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    def clean_phone(self) -> str:
        phone = super().clean_phone()
        if phone:
            _limit_code_request(phone)
        return phone

    def clean_email(self) -> str:
        email = super().clean_email()
        if email:
            _limit_code_request(email)
        return email


class OneTimeCodeField:
    """The code field in the glossary's words (رمز التحقق), for digits typed left to right."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = _("One-time code")
        field.widget.attrs.update(
            {"placeholder": _("One-time code"), "inputmode": "numeric", "dir": "ltr", "autocomplete": "one-time-code"}
        )


class ConfirmLoginCodeForm(OneTimeCodeField, allauth_forms.ConfirmLoginCodeForm):
    pass


class VerifyPhoneForm(OneTimeCodeField, allauth_forms.VerifyPhoneForm):
    pass


class AuthenticatorCodeField:
    """The second factor's code, named after the app that shows it (not the SMS one-time code)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = _("Code from your authenticator app")
        field.widget.attrs.update({"placeholder": "000000", "inputmode": "numeric", "dir": "ltr"})


class AuthenticateForm(AuthenticatorCodeField, mfa_forms.AuthenticateForm):
    pass


class ActivateTOTPForm(AuthenticatorCodeField, totp_forms.ActivateTOTPForm):
    pass
