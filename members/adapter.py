"""allauth, fitted to the cooperative: no open sign-up, Saudi mobiles as a sign-in name, codes by text message.

Accounts store their mobile on `User.phone` (E.164) and whether it was proven on `User.phone_verified`; allauth
asks this adapter for both (it keeps no phone numbers of its own). One-time sign-in codes for a mobile go
through `members.channels.send_sms`.
"""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import channels
from members.client_address import client_address
from members.models import User
from members.validators import normalise_saudi_mobile

logger = logging.getLogger(__name__)


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


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's per-address rate limits count the client behind nginx, not nginx itself."""
        return client_address(request) or super().get_client_ip(request)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """No open sign-up: members activate from the register, applicants register with a verified mobile
        (members.views), staff accounts are made by administrators."""
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
        """A sign-in or phone-verification code by text message, in the member's language when known."""
        language = getattr(getattr(user, "member", None), "language", None) or translation.get_language()
        with translation.override(language):
            text = _("Najran Coffee Cooperative: your code is %(code)s. Do not share it with anyone.") % {"code": code}
        try:
            channels.send_sms(phone, text)
        except channels.SmsError:
            # The person sees the code form either way (no hint whether an account exists); they can ask again.
            logger.exception("Could not send a sign-in code by SMS")

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        """Nothing is sent to a number without an account: an SMS would cost money and tell a stranger nothing."""
