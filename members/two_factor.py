"""A second factor for everyone who sees member data beyond their own: staff, supervisors, board, administrators.

allauth.mfa provides the factor (TOTP authenticator apps, with recovery codes) and asks for it at every sign-in of an
account that has one, whatever the first step was (a password or an SMS code). This module makes it compulsory for
the privileged roles:

- At sign-in, a privileged account without a second factor is marked in its session; until it sets one up, every
  page sends it to the page where it chooses one (an authenticator app, or a security key where the browser has
  WebAuthn); the session holds the mark, so only marked sessions ask the database.
- A role given after sign-in (a member elected to the board, staff appointed) is caught where it is used:
  `role_required` asks `needs_second_factor_now` before a page only a privileged role opens, once per session.
- An SMS code alone never signs in a privileged account that has no second factor yet (`refuses_code_only`): it
  signs in with its password, then sets up the authenticator app. With one, allauth asks for it after the code.
"""

import time

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from members.roles import Role, has_role

PRIVILEGED = (Role.STAFF, Role.SUPERVISOR, Role.BOARD, Role.ADMINISTRATOR)
NEEDS_SECOND_FACTOR = "portal_needs_second_factor"
CHECKED = "portal_second_factor_checked"  # the session's account was privileged and asked for it: no need to ask again
STRONG_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def is_privileged(user) -> bool:
    return has_role(user, *PRIVILEGED)


def lacks_second_factor(user) -> bool:
    return is_privileged(user) and not is_mfa_enabled(user, STRONG_TYPES)


def refuses_code_only(request: HttpRequest, user) -> bool:
    """True when this sign-in rests on an SMS or e-mail code alone and the account needs a second factor it lacks."""
    methods = {record.get("method") for record in get_authentication_records(request, user)}
    return methods == {"code"} and lacks_second_factor(user)


@receiver(user_logged_in, dispatch_uid="members.two_factor.mark")
def mark_at_sign_in(sender, request: HttpRequest, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session") or not is_privileged(user):
        return
    if lacks_second_factor(user):
        request.session[NEEDS_SECOND_FACTOR] = True
    else:
        request.session[CHECKED] = True


def needs_second_factor_now(request: HttpRequest) -> bool:
    """For a page only a privileged role opens: True (and the session marked, so every page now asks for it) when
    the account became privileged after this session signed in and has no second factor yet."""
    if request.session.get(CHECKED):
        return False
    if lacks_second_factor(request.user):
        request.session[NEEDS_SECOND_FACTOR] = True
        return True
    request.session[CHECKED] = True
    return False


def ask_for_second_factor(request: HttpRequest) -> HttpResponse:
    messages.warning(
        request,
        _(
            "Your account sees members' data: before anything else, set up a second factor: an "
            "authenticator app on your phone, or a security key. You will use it after your password at "
            "every sign-in."
        ),
    )
    return redirect(reverse("mfa_index"))


class RequireSecondFactorMiddleware:
    """After AuthenticationMiddleware, MessageMiddleware and allauth's AccountMiddleware."""

    OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/i18n/", "/healthz")

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.session.get(NEEDS_SECOND_FACTOR)
            and request.user.is_authenticated
            and not request.path.startswith((*self.OPEN_PREFIXES, settings.STATIC_URL))
        ):
            if not lacks_second_factor(request.user):  # set up since (asked only while the session is marked)
                del request.session[NEEDS_SECOND_FACTOR]
                request.session[CHECKED] = True
                return self.get_response(request)
            return ask_for_second_factor(request)
        return self.get_response(request)


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret` (for the demo's command and the tests' sign-in helper)."""
    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))
