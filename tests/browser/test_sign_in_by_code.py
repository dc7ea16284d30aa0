"""A member on a phone signs in with a one-time code, and sets a new password with one (issue 12 item 7)."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, save_screenshot
from tests.members.factories import member_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Bunn-Najran-4471"


@pytest.fixture(autouse=True)
def roles_exist(db):
    from django.contrib.auth.models import Group

    from members.roles import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    return settings.SMS_FILE_PATH


def last_code(sms_file) -> str:
    message = json.loads(sms_file.read_text(encoding="utf-8").splitlines()[-1])
    return re.search(r"\d{6}", message["text"]).group(0)


def test_a_member_signs_in_with_a_one_time_code_on_a_phone(phone_page: Page, live_server, sms_file):
    member_account(mobile="+966500000831", full_name_ar="سعيد بن محمد آل مريح")
    page = phone_page

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="الدخول برمز التحقق").click()
    expect(page.get_by_role("heading", name="الدخول برمز التحقق")).to_be_visible()
    axe_check(page)
    save_screenshot(page, "sign-in-code-request-360")
    page.locator("#id_phone").fill("٠٥٠٠٠٠٠٨٣١")
    page.get_by_role("button", name="أرسل لي رمز التحقق").click()

    expect(page.get_by_role("heading", name="أدخل رمز التحقق")).to_be_visible()
    expect(page.locator("main")).to_contain_text("0500000831")
    expect(page.locator("main")).not_to_contain_text("+966")
    axe_check(page)
    save_screenshot(page, "sign-in-code-confirm-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("رمز التحقق").fill(last_code(sms_file))
    page.get_by_role("button", name="تأكيد").click()

    expect(page.locator("body")).to_contain_text("سعيد بن محمد آل مريح")
    expect(page.locator("body")).not_to_contain_text("user")
    axe_check(page)


def test_a_member_with_only_a_mobile_sets_a_new_password_on_a_phone(phone_page: Page, live_server, sms_file):
    member_account(mobile="+966500000832", email="")
    page = phone_page

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="عيّن كلمة مرور جديدة برمز تحقق يصل إلى جوالك").click()
    expect(page.get_by_role("heading", name="كلمة مرور جديدة")).to_be_visible()
    axe_check(page)
    save_screenshot(page, "password-forgot-360")
    page.get_by_label("الجوال").fill("0500000832")
    page.get_by_role("button", name="أرسل لي رمز التحقق").click()

    expect(page.get_by_role("heading", name="أدخل رمز التحقق")).to_be_visible()
    axe_check(page)
    page.get_by_label("رمز التحقق المرسل إليك").fill(last_code(sms_file))
    page.get_by_role("button", name="تأكيد").click()

    expect(page.get_by_role("heading", name="اختر كلمة مرور جديدة")).to_be_visible()
    axe_check(page)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="حفظ كلمة المرور").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_login").fill("0500000832")
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    save_screenshot(page, "password-new-signed-in-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
