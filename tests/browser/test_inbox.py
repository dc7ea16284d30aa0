"""The inbox in a real browser: the bell with its count, the list, mark read (one and all), open via the link.
Also the supervisor's announcement preview and the administrator's outbox page, each checked with axe."""

import importlib

import pytest
from playwright.sync_api import expect

from members import announcements, outbox
from members.models import Announcement, Governorate
from members.roles import Role
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.conftest import PASSWORD
from tests.members.factories import MemberFactory, UserFactory, member_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def roles_and_grants(transactional_db):
    """The roles and the send_announcement grant come from data migrations, which an earlier transactional
    test's flush removed: put them back the way the migrations do."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    importlib.import_module("members.migrations.0006_grant_send_announcement_permission").grant(apps, None)


def test_a_member_reads_messages_from_the_bell_and_marks_them_read(live_server, page):
    member = member_account(full_name_ar="سعيد آل مريح", email="saeed@example.org", sms_consent=True)
    for key in ("one", "two", "three"):
        outbox.queue_notification(member=member, event="test_message", key=key, link="/members/inbox/")
    login(page, live_server, "saeed@example.org", PASSWORD)

    bell = page.get_by_test_id("inbox-bell")
    expect(bell).to_have_attribute("aria-label", "الرسائل غير المقروءة: 3")
    expect(bell.locator(".inbox-bell-count")).to_have_text("3")
    axe_check(page)
    bell.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("رسائلي")
    expect(page.locator(".inbox-list > li")).to_have_count(3)
    expect(page.locator(".inbox-list")).to_contain_text("رسالة تجريبية من بوابة الأعضاء")
    axe_check(page)
    save_screenshot(page, "inbox-ar")

    page.get_by_role("button", name="تعليم كمقروءة").first.click()
    expect(page.get_by_test_id("inbox-bell").locator(".inbox-bell-count")).to_have_text("2")
    expect(page.locator(".inbox-list .inbox-unread")).to_have_count(2)

    page.get_by_role("button", name="تعليم الكل كمقروء").click()
    expect(page.get_by_role("status")).to_contain_text("عُلِّمت رسالتان كمقروءتين")
    expect(page.get_by_test_id("inbox-bell").locator(".inbox-bell-count")).to_have_count(0)
    expect(page.get_by_test_id("inbox-bell")).to_have_attribute("aria-label", "الرسائل: لا رسائل غير مقروءة")
    axe_check(page)


def test_the_short_link_of_an_sms_opens_after_sign_in_and_marks_the_message_read(live_server, page):
    member = member_account(email="salem@example.org")
    rows = outbox.queue_notification(member=member, event="test_message", key="sms-link", link="/members/inbox/")

    page.goto(f"{live_server.url}/n/{rows[0].token}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/n/{rows[0].token}/")
    page.locator("#id_login").fill("salem@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").first.click()

    expect(page).to_have_url(f"{live_server.url}/members/inbox/")
    expect(page.locator(".inbox-list .inbox-unread")).to_have_count(0)


def test_a_supervisor_previews_an_announcement_then_members_see_it(live_server, page):
    UserFactory(email="noura@example.org", roles=[Role.SUPERVISOR])
    for _ in range(3):
        MemberFactory(governorate=Governorate.SHARURAH)
    MemberFactory(governorate=Governorate.NAJRAN)
    login(page, live_server, "noura@example.org", PASSWORD)
    page.goto(f"{live_server.url}/members/announcements/new/")

    page.get_by_label("العنوان (بالعربية)").fill("توزيع الشتلات")
    page.get_by_label("النص (بالعربية)").fill("يبدأ توزيع شتلات البن يوم الأحد.")
    page.get_by_label("العنوان (بالإنجليزية)").fill("Seedlings")
    page.get_by_label("النص (بالإنجليزية)").fill("Seedlings are handed out from Sunday.")
    page.get_by_label("الأعضاء العاملون في محافظة واحدة").check()
    page.get_by_label("المحافظة").select_option(Governorate.SHARURAH)
    page.get_by_role("button", name="معاينة").click()

    expect(page.get_by_test_id("announcement-preview")).to_contain_text("سيصل إلى 3 أعضاء.")
    axe_check(page)
    save_screenshot(page, "announcement-preview-ar")
    page.get_by_role("button", name="إرسال إلى 3 أعضاء").click()

    expect(page.get_by_test_id("delivery-report")).to_be_visible()
    announcement = Announcement.objects.get()
    announcements.fan_out(announcement_id=announcement.pk)  # what the worker does in the background
    page.reload()
    expect(page.get_by_test_id("delivery-report")).to_contain_text("3")
    axe_check(page)
    save_screenshot(page, "announcement-report-ar")


def test_an_administrator_sees_failures_with_their_reason(live_server, page):
    UserFactory(email="admin@example.org", roles=[Role.ADMINISTRATOR])
    member = MemberFactory(sms_consent=True)
    rows = outbox.queue_notification(member=member, event="test_message", key="ops")
    sms = next(row for row in rows if row.channel == "sms")
    type(sms).objects.filter(pk=sms.pk).update(status="failed", attempts=5, last_error="SMS gateway answered HTTP 500")
    login(page, live_server, "admin@example.org", PASSWORD)

    page.goto(f"{live_server.url}/members/outbox/?status=failed")

    expect(page.get_by_test_id("outbox-rows")).to_contain_text("SMS gateway answered HTTP 500")
    expect(page.get_by_role("button", name="إعادة الإرسال")).to_be_visible()
    axe_check(page)
    save_screenshot(page, "outbox-ar")


def test_on_a_phone_an_administrator_confirms_a_message_to_check_as_sent(live_server, phone_page):
    """A message handed to the gateway by a worker that died before recording it: checked, then confirmed."""
    UserFactory(email="admin@example.org", roles=[Role.ADMINISTRATOR])
    member = MemberFactory(sms_consent=True)
    rows = outbox.queue_notification(member=member, event="test_message", key="check")
    sms = next(row for row in rows if row.channel == "sms")
    type(sms).objects.filter(pk=sms.pk).update(
        status="unknown", attempts=1, last_error="The worker stopped after handing the message over."
    )
    login(phone_page, live_server, "admin@example.org", PASSWORD)

    phone_page.goto(f"{live_server.url}/members/outbox/?status=unknown")

    rows_table = phone_page.get_by_test_id("outbox-rows")
    expect(rows_table).to_contain_text("للتحقق: ربما أُرسلت")
    expect(phone_page.get_by_role("button", name="إعادة الإرسال")).to_be_visible()
    axe_check(phone_page)
    save_screenshot(phone_page, "outbox-to-check-phone-ar")
    phone_page.get_by_role("button", name="أُرسلت فعلًا").click()

    expect(phone_page.get_by_role("status")).to_contain_text("سُجّلت الرسالة على أنها أُرسلت")
    assert type(sms).objects.get(pk=sms.pk).status == "sent"
    axe_check(phone_page)


def test_on_a_phone_the_bell_shows_beside_the_menu_button(live_server, phone_page):
    member = member_account(email="phone@example.org")
    outbox.queue_notification(member=member, event="test_message", key="phone", link="/members/inbox/")
    login(phone_page, live_server, "phone@example.org", PASSWORD)

    bell = phone_page.get_by_test_id("inbox-bell-phone")
    expect(bell).to_be_visible()
    expect(bell.locator(".inbox-bell-count")).to_have_text("1")
    expect(phone_page.get_by_test_id("inbox-bell")).to_be_hidden()
    axe_check(phone_page)
    save_screenshot(phone_page, "inbox-bell-phone-ar", full_page=False)
    bell.click()

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("رسائلي")
