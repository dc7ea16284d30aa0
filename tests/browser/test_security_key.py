"""A clerk uses a security key (WebAuthn) as the second factor instead of an authenticator app, on a phone.

Chromium's virtual authenticator (the DevTools WebAuthn domain) plays the key, so the page's own JavaScript, the
browser's WebAuthn and allauth's verification all run as they do for a real key (issue 13 item 5).
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from members.roles import Role
from tests.browser.helpers import axe_check, save_screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.no_second_factor]


@pytest.fixture(autouse=True)
def roles_exist(db):
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture(autouse=True)
def webauthn_over_http(settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the test server is http://localhost


def a_security_key(page: Page) -> None:
    """A key plugged into this browser: it answers at once, with the person's touch taken as given."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def sign_in_with_password(page: Page, live_server, login: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(#id_password) button[type=submit]").first.click()


def test_a_clerk_adds_a_security_key_and_signs_in_with_it(phone_page: Page, live_server, make_user):
    clerk = make_user("clerk3@example.org", Role.STAFF, first_name="نورة", last_name="آل منصور")
    page = phone_page
    a_security_key(page)

    # First sign-in: the portal asks for a second factor before anything else and offers both kinds.
    sign_in_with_password(page, live_server, "clerk3@example.org")
    page.goto(f"{live_server.url}/requests/staff/queue/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    axe_check(page)
    save_screenshot(page, "second-factor-choice-360")
    page.locator("a[href$='/accounts/2fa/webauthn/add/']").click()
    if "/accounts/reauthenticate/" in page.url:  # allauth asks for the password again before a change
        page.locator("#id_password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("form:has(#id_password) button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    axe_check(page)
    page.locator("input[name=name]").fill("مفتاح المكتب")
    with page.expect_navigation():
        page.locator("#mfa_webauthn_add").click()

    assert Authenticator.objects.filter(user=clerk, type=Authenticator.Type.WEBAUTHN).count() == 1
    page.goto(f"{live_server.url}/requests/staff/queue/")
    expect(page).to_have_url(re.compile(r"/requests/staff/queue/"))

    # Next sign-in: after the password, the key instead of a code.
    page.context.clear_cookies()
    sign_in_with_password(page, live_server, "clerk3@example.org")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    axe_check(page)
    save_screenshot(page, "second-factor-security-key-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.locator("#mfa_webauthn_authenticate").click()

    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    expect(page.locator("body")).to_contain_text("نورة آل منصور")
