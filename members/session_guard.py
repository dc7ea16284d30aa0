"""Sessions end on the server, not only in the browser (issue 13 item 7).

- Idle timeout: a session unused for SESSION_IDLE_TIMEOUT_MEMBER (members) or SESSION_IDLE_TIMEOUT_STAFF (anyone
  holding a staff, supervisor, board or administrator role) is signed out at its next request. The timeout is
  chosen at sign-in and kept in the session, so no request asks the database for roles to check it.
- Without "remember me" a session also ends SESSION_UNREMEMBERED_MAX_AGE after sign-in, whatever the browser does
  with its cookie (a browser that restores its tabs keeps "session" cookies for days).
- Every page served to a signed-in person is `Cache-Control: no-store, private`: a shared computer's back button
  or a proxy never shows one person's page to the next.

The last request's time is written at most once a minute, so most requests do not write the session.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from members.roles import Role, has_role

LAST_SEEN = "portal_last_seen"
IDLE_TIMEOUT = "portal_idle_timeout"
SIGNED_IN_AT = "portal_signed_in_at"
WRITE_EVERY_S = 60
PRIVILEGED = (Role.STAFF, Role.SUPERVISOR, Role.BOARD, Role.ADMINISTRATOR)


def idle_timeout_for(user) -> int:
    if has_role(user, *PRIVILEGED):
        return settings.SESSION_IDLE_TIMEOUT_STAFF
    return settings.SESSION_IDLE_TIMEOUT_MEMBER


@receiver(user_logged_in, dispatch_uid="members.session_guard.start")
def start(sender, request: HttpRequest, user, **kwargs) -> None:
    """At sign-in: the session's idle timeout by the person's roles, and the clock."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[IDLE_TIMEOUT] = idle_timeout_for(user)
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


def is_expired(session, now: float) -> bool:
    last_seen = session.get(LAST_SEEN)
    if last_seen is None:
        return False
    if now - last_seen > session.get(IDLE_TIMEOUT, settings.SESSION_IDLE_TIMEOUT_STAFF):
        return True
    signed_in_at = session.get(SIGNED_IN_AT, last_seen)
    return session.get_expire_at_browser_close() and now - signed_in_at > settings.SESSION_UNREMEMBERED_MAX_AGE


class SessionGuardMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            if is_expired(request.session, now):
                logout(request)
                messages.info(request, _("You were signed out after a while without activity. Please sign in again."))
            elif now - request.session.get(LAST_SEEN, 0) > WRITE_EVERY_S:
                request.session[LAST_SEEN] = now
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
