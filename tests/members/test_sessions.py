"""Sessions end on the server and a sign-out is final (issue 13 item 7)."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.urls import reverse

from members import session_guard
from tests.members.factories import PASSWORD, UserFactory, member_account
from tests.members_portal.test_production_settings import PRODUCTION, run_python

pytestmark = pytest.mark.django_db


def age_the_session(client, *, idle_s: float = 0, signed_in_s: float = 0) -> None:
    session = client.session
    now = time.time()
    session[session_guard.LAST_SEEN] = now - idle_s
    session[session_guard.SIGNED_IN_AT] = now - signed_in_s
    session.save()


def test_production_keeps_sessions_in_the_database_alone_and_names_cookies_host_only():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_ENGINE, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)",
        **PRODUCTION,
    )

    assert result.stdout.split() == ["django.contrib.sessions.backends.db", "__Host-sessionid", "__Host-csrftoken"]


def test_a_sign_out_is_final_even_when_the_cache_is_frozen(client, monkeypatch):
    member = member_account()
    client.post(reverse("account_login"), {"login": str(member.mobile), "password": PASSWORD})
    assert client.get(reverse("members:profile")).status_code == 200
    session_key = client.session.session_key
    stolen = client.cookies["sessionid"].value

    # The cache swallows every write and delete and keeps answering from what it held (a frozen Redis).
    monkeypatch.setattr(cache, "delete", lambda *args, **kwargs: False)
    monkeypatch.setattr(cache, "set", lambda *args, **kwargs: None)
    client.post(reverse("account_logout"))
    monkeypatch.undo()

    client.cookies["sessionid"] = stolen
    assert client.get(reverse("members:profile")).status_code == 302
    assert not SessionStore().exists(session_key)


def test_a_member_is_signed_out_after_an_hour_without_activity(client, settings):
    member = member_account()
    client.force_login(member.user)
    age_the_session(client, idle_s=settings.SESSION_IDLE_TIMEOUT_MEMBER - 60)
    assert client.get(reverse("members:profile")).status_code == 200

    age_the_session(client, idle_s=settings.SESSION_IDLE_TIMEOUT_MEMBER + 1)

    response = client.get(reverse("members:profile"))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_staff_are_signed_out_sooner_than_members(client, settings):
    from members.roles import Role

    clerk = UserFactory(roles=[Role.STAFF])
    client.force_login(clerk)
    assert settings.SESSION_IDLE_TIMEOUT_STAFF < settings.SESSION_IDLE_TIMEOUT_MEMBER

    age_the_session(client, idle_s=settings.SESSION_IDLE_TIMEOUT_STAFF + 1)

    assert client.get(reverse("requests_app:queue")).status_code == 302


def test_a_session_without_remember_me_ends_on_the_server_after_twelve_hours(client, settings):
    member = member_account()
    client.post(reverse("account_login"), {"login": str(member.mobile), "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()

    age_the_session(client, signed_in_s=settings.SESSION_UNREMEMBERED_MAX_AGE + 1)

    assert client.get(reverse("members:profile")).status_code == 302


def test_a_remembered_session_is_not_cut_at_twelve_hours(client, settings):
    member = member_account()
    client.post(reverse("account_login"), {"login": str(member.mobile), "password": PASSWORD, "remember": "on"})

    age_the_session(client, signed_in_s=settings.SESSION_UNREMEMBERED_MAX_AGE + 1)

    assert client.get(reverse("members:profile")).status_code == 200


def test_personal_pages_are_never_stored(client):
    member = member_account()
    client.force_login(member.user)

    response = client.get(reverse("members:profile"))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
