"""The delivery report in a real browser, on a phone: a board member reads what became of the text messages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Channel, Notification
from members.roles import Role
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.conftest import PASSWORD
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_board_member_reads_the_delivery_report_on_a_phone(live_server, phone_page, make_user):
    make_user("board@example.org", Role.BOARD, Role.MEMBER)
    now = timezone.now()
    for number, state in enumerate(["delivered", "delivered", "failed", ""]):
        Notification.objects.create(
            member=MemberFactory(),
            channel=Channel.SMS,
            event="test_message",
            language="ar",
            key=f"browser:{number}:sms",
            status=Notification.Status.SENT,
            provider="unifonic",
            delivery_state=state,
            delivered_at=now + timedelta(seconds=30) if state == "delivered" else None,
        )
    login(phone_page, live_server, "board@example.org", PASSWORD)

    phone_page.goto(f"{live_server.url}/messaging/delivery/")

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("وصول الرسائل")
    table = phone_page.get_by_test_id("delivery-summary")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr").first).to_contain_text("Unifonic")
    phone_page.get_by_label("الفترة", exact=True).select_option("7")
    phone_page.get_by_role("button", name="عرض").click()
    expect(phone_page).to_have_url(f"{live_server.url}/messaging/delivery/?days=7")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    axe_check(phone_page)
    save_screenshot(phone_page, "delivery-summary-ar")
