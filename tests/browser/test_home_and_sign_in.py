import pytest
from playwright.sync_api import expect

from members.roles import Role
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to_english(page):
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()


def test_the_home_page_is_arabic_right_to_left_and_accessible(live_server, page):
    page.goto(live_server.url + "/")

    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("بوابة خدمات الأعضاء")
    expect(page.get_by_role("contentinfo")).to_contain_text("لا تنشر الجمعية بيانات الأعضاء أبدًا")
    assert page.evaluate("() => document.fonts.check('16px \"Plex Arabic\"', 'بوابة')")
    axe_check(page)
    save_screenshot(page, "home-ar")


def test_the_switcher_turns_the_portal_english_left_to_right_and_remembers_it(live_server, page):
    page.goto(live_server.url + "/")

    switch_to_english(page)
    page.goto(live_server.url + "/accounts/login/")

    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("button", name="العربية")).to_be_visible()
    axe_check(page)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Member services portal")
    axe_check(page)
    save_screenshot(page, "home-en")


def test_a_member_signs_in_with_email_and_password_in_arabic(live_server, page, make_user):
    make_user("saeed@example.org", Role.MEMBER, first_name="سعيد", last_name="آل مريح")
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    axe_check(page)
    save_screenshot(page, "sign-in-ar")

    login(page, live_server, "saeed@example.org", PASSWORD)

    expect(page.get_by_role("main")).to_contain_text("أهلًا بك")
    expect(page.get_by_role("main")).to_contain_text("عضو")
    expect(page.get_by_role("button", name="حسابي")).to_be_visible()
    axe_check(page)
    save_screenshot(page, "home-signed-in-ar")


def test_a_member_signs_in_in_english(live_server, page, make_user):
    make_user("saeed@example.org", Role.MEMBER)
    page.goto(live_server.url + "/")
    switch_to_english(page)

    login(page, live_server, "saeed@example.org", PASSWORD)

    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("main")).to_contain_text("Welcome")
    expect(page.get_by_role("button", name="My account")).to_be_visible()
    axe_check(page)


def test_a_wrong_password_gets_a_clear_arabic_message_and_no_session(live_server, page, make_user):
    make_user("saeed@example.org", Role.MEMBER)
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill("saeed@example.org")
    page.locator("#id_password").fill("not-the-password")

    with page.expect_navigation():
        page.locator("form:has(#id_password) button[type=submit]").first.click()

    assert "/accounts/login/" in page.url
    expect(page.get_by_role("main")).to_contain_text("غير صحيح")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("main").get_by_role("link", name="تسجيل الدخول")).to_be_visible()
    axe_check(page)


def test_on_a_360_pixel_phone_the_home_page_fits_and_the_menu_opens(live_server, phone_page, make_user):
    make_user("saeed@example.org", Role.MEMBER)
    page = phone_page
    page.goto(live_server.url + "/")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    toggler = page.get_by_role("button", name="إظهار القائمة")
    expect(toggler).to_be_visible()
    axe_check(page)
    save_screenshot(page, "home-ar-phone")
    toggler.click()
    expect(page.locator("#main-nav")).to_have_class("navbar-collapse collapse show")
    expect(page.get_by_role("button", name="English")).to_be_in_viewport()
    save_screenshot(page, "home-ar-phone-menu", full_page=False)

    login(page, live_server, "saeed@example.org", PASSWORD)

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    expect(page.get_by_role("main")).to_contain_text("أهلًا بك")
    axe_check(page)
    save_screenshot(page, "home-signed-in-ar-phone")


def test_the_privacy_statement_and_an_unknown_page_are_arabic_and_accessible(live_server, page):
    page.goto(live_server.url + "/privacy/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    axe_check(page)

    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("الصفحة غير موجودة")
    expect(page.get_by_role("link", name="العودة إلى الصفحة الرئيسية")).to_be_visible()
    axe_check(page)
    save_screenshot(page, "not-found-ar")
