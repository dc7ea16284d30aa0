"""Staff sign in with a password and their authenticator app, on a phone (issue 13 item 5)."""

import re

import pytest
from playwright.sync_api import Page, expect

from members.roles import Role
from tests.browser.helpers import axe_check, login, save_screenshot, totp_code_for
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def roles_exist(db):
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def test_a_clerk_types_the_authenticator_code_after_the_password_on_a_phone(phone_page: Page, live_server, make_user):
    make_user(
        "clerk@example.org",
        Role.STAFF,
        first_name="فهد",
        last_name="آل سالم",
        phone="+966500000851",
        phone_verified=True,
    )
    page = phone_page

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill("0500000851")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").first.click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    axe_check(page)
    save_screenshot(page, "second-factor-authenticate-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#id_code").fill(totp_code_for("0500000851"))
    page.locator("form:has(#id_code) button[type=submit]").first.click()

    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    expect(page.locator("body")).to_contain_text("فهد آل سالم")


@pytest.mark.no_second_factor
def test_a_clerk_without_an_authenticator_is_sent_to_set_one_up_first(phone_page: Page, live_server, make_user):
    make_user("clerk2@example.org", Role.STAFF, phone="+966500000852", phone_verified=True)
    page = phone_page

    login(page, live_server, "clerk2@example.org", PASSWORD)
    page.goto(f"{live_server.url}/requests/staff/queue/")

    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))  # the choice: an authenticator app or a security key
    with page.expect_navigation():
        page.locator("a[href$='/accounts/2fa/totp/activate/']").click()
    if "/accounts/reauthenticate/" in page.url:
        axe_check(page)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form:has(#id_password) button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    axe_check(page)
    save_screenshot(page, "second-factor-set-up-360")
