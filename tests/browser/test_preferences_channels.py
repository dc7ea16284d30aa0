"""The preferences page on a 360 px phone in Arabic: the WhatsApp opt-in with the words the member agrees to, and
which channels reach them, checked with axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import ConsentRecord, Member
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.conftest import PASSWORD
from tests.members.factories import member_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_opts_in_to_whatsapp_on_a_phone_and_sees_it_reach_them(live_server, phone_page):
    page = phone_page
    member = member_account(full_name_ar="سعيد آل مريح", email="saeed@example.org", sms_consent=True)
    login(page, live_server, "saeed@example.org", PASSWORD)

    page.goto(live_server.url + reverse("members:preferences"))
    expect(page.get_by_role("heading", level=1)).to_have_text("تفضيلاتي")
    whatsapp = page.locator("[data-channel=whatsapp]")
    expect(whatsapp.locator(".badge")).to_have_text("لا تصلك")
    axe_check(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360

    page.get_by_label("أرسلوا إليّ إشعارات الجمعية عبر واتساب", exact=False).check()
    page.get_by_role("button", name="حفظ").click()
    page.goto(live_server.url + reverse("members:preferences"))

    expect(page.locator("[data-channel=whatsapp] .badge")).to_have_text("تصلك")
    expect(page.locator("[data-channel=whatsapp]")).to_contain_text("هـ")  # the opt-in's date, Hijri beside Gregorian
    axe_check(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    save_screenshot(page, "preferences-channels-ar-phone")
    record = ConsentRecord.objects.get(member=member)
    assert record.given and record.wording.startswith("أرسلوا إليّ إشعارات الجمعية عبر واتساب")
    assert Member.objects.get(pk=member.pk).whatsapp_consent
