"""allauth, fitted to the cooperative: no open sign-up, Saudi mobiles as a sign-in name, codes by text message.

Accounts store their mobile on `User.phone` (E.164) and whether it was proven on `User.phone_verified`; allauth
asks this adapter for both (it keeps no phone numbers of its own). Codes and account e-mails leave after the
response through members.code_delivery, so a request for a known and an unknown account takes the same time.
Wrong passwords are limited per identifier typed with growing delays, and per address only as a high ceiling
(members.limits), instead of allauth's per-address and (for a mobile: empty) per-e-mail counters.
"""

import contextlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import code_delivery, limits
from members.client_address import client_address
from members.models import User
from members.validators import normalise_saudi_mobile


def _e164_or_none(phone: str) -> str | None:
    try:
        return normalise_saudi_mobile(phone)
    except ValidationError:
        return None


class SaudiPhoneField(PhoneField):
    """allauth's phone field, taking the ways Saudis write a mobile: 05…, 5…, 9665…, 009665…, +9665…, ٠٥…

    allauth checks strict E.164 after `to_python`, so the number is normalised first; anything that is not a
    Saudi mobile is left as typed and fails with a clear message.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label", gettext_lazy("Mobile"))
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"placeholder": "05XXXXXXXX", "dir": "ltr", "inputmode": "tel"})

    def to_python(self, value):
        value = super().to_python(value)
        if value:
            try:
                return normalise_saudi_mobile(value)
            except ValidationError as error:
                raise ValidationError(error.messages, code="invalid_phone") from error
        return value


_CODE_ONLY_REFUSED = gettext_lazy(
    "Staff, board and administrator accounts sign in with their password and then their authenticator app, "
    "not with a text-message code alone."
)


def display_name(user: User) -> str:
    """How allauth names a person ("signed in as …"): their name, never the internal username."""
    return user.display_name


def _typed(credentials: dict) -> str:
    """The sign-in name as typed, normalised (members.limits.identifier); "" when there is none."""
    raw = credentials.get("phone") or credentials.get("email") or credentials.get("username") or ""
    try:
        return limits.identifier(raw)
    except ValueError:
        return ""


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": gettext_lazy("Too many attempts. Please wait a few minutes and try again."),
        "incorrect_code": gettext_lazy("This code is not right, has expired, or was already used."),
        "invalid_login": gettext_lazy("Enter your mobile number or your e-mail."),
    }

    # --- Wrong passwords: per identifier with growing delays, per address only a high ceiling -----------------

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        typed = _typed(credentials)
        if not typed:
            raise self.validation_error("invalid_login")
        try:
            limits.check_not_locked(typed)
            limits.check(limits.ADDRESS_CEILING, f"failed:{self.get_client_ip(request)}")
        except limits.Refused as refused:
            raise refused.as_validation_error() from None

    def authenticate(self, request: HttpRequest, **credentials) -> User | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            limits.clear_failures(_typed(credentials))
        return user

    def authentication_failed(self, request: HttpRequest, **credentials) -> None:
        limits.record_failure(_typed(credentials))
        # This failure is counted either way; the next attempt from the address is refused in pre_authenticate.
        with contextlib.suppress(limits.Refused):
            limits.hit(limits.ADDRESS_CEILING, f"failed:{self.get_client_ip(request)}")

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials) -> None:
        """After a password reset: the account's sign-in names start afresh."""
        limits.clear_failures(_typed(credentials))

    def pre_login(self, request: HttpRequest, user: User, **kwargs):
        """A privileged account without its second factor never signs in on an SMS or e-mail code alone."""
        from members import two_factor

        if two_factor.refuses_code_only(request, user):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            messages.error(request, _CODE_ONLY_REFUSED)
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    # --- Messages leave after the response (members.code_delivery) --------------------------------------------

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        code_delivery.send_email_later(self.render_mail(template_prefix, email, context))

    def send_notification_mail(self, template_prefix: str, user: User, context=None, email=None) -> None:
        """A change to the account's security (password, e-mail, second factor) is announced by e-mail to the
        address on the account and by SMS to its verified mobile: many members have no e-mail at all."""
        super().send_notification_mail(template_prefix, user, context, email)
        if not (user.phone and user.phone_verified):
            return
        language = getattr(getattr(user, "member", None), "language", None) or translation.get_language()
        with translation.override(language):
            text = _(
                "Najran Coffee Cooperative: a change was made to your account's sign-in settings. If it was not you, "
                "call the cooperative at once."
            )
        code_delivery.send_sms_later(str(user.phone), text)

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's per-address rate limits count the client behind nginx, not nginx itself."""
        return client_address(request) or super().get_client_ip(request)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """No open sign-up: members activate from the register, applicants register with a verified mobile
        (members.entrance_views), staff accounts are made by administrators."""
        return False

    # --- Phone as a sign-in method (all five are required by allauth) ---------------------------------

    def phone_form_field(self, **kwargs) -> PhoneField:
        return SaudiPhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return _e164_or_none(phone) or phone

    def set_phone(self, user: User, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user: User) -> tuple[str, bool] | None:
        return (str(user.phone), user.phone_verified) if user.phone else None

    def set_phone_verified(self, user: User, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str) -> User | None:
        # The sign-in form passes the mobile as typed (allauth only uses the field to recognise it).
        e164 = _e164_or_none(phone)
        if e164 is None:
            return None
        return User.objects.filter(phone=e164, is_active=True).order_by("pk").first()

    def send_verification_code_sms(self, user: User, phone: str, code: str, **kwargs) -> None:
        """A sign-in or phone-verification code by text message, in the member's language when known, sent by the
        worker after the response."""
        language = getattr(getattr(user, "member", None), "language", None) or translation.get_language()
        with translation.override(language):
            text = _("Najran Coffee Cooperative: your one-time code is %(code)s. Do not share it with anyone.") % {
                "code": code
            }
        code_delivery.send_sms_later(phone, text)

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        """Nothing is sent to a number without an account (an SMS would cost money and tell a stranger nothing),
        but the request takes the same path as for a known one: one task for the worker, which sends nothing."""
        code_delivery.nothing_to_send_later()
