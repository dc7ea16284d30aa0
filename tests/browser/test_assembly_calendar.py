"""The board's home on a 360 px phone, in Arabic: the governance calendar with each step's date in both calendars,
the notice shown done, and the warning about the ministry's subsidies when a deadline is near (issue 17 item 10)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assembly import services
from members.roles import Role
from tests.browser.helpers import login
from tests.browser.story import phone, visit
from tests.members.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_home_shows_the_governance_calendar_with_its_warning(
    new_context, live_server, make_user, settings, tmp_path
):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    today = timezone.localdate()
    year_end = today - datetime.timedelta(days=40)
    settings.ASSEMBLY_YEAR_END_MONTH, settings.ASSEMBLY_YEAR_END_DAY = year_end.month, year_end.day
    secretary = make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")
    MemberFactory(shares=3)
    meeting = services.create_meeting(
        by=secretary, kind="ordinary", starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    services.add_agenda_item(meeting=meeting, by=secretary, kind="accounts", title_ar="الحسابات", title_en="Accounts")
    services.publish_notice(meeting=meeting, by=secretary)

    board = phone(new_context)
    login(board, live_server, secretary.email, PASSWORD)
    board.goto(live_server.url + "/")
    panel = board.get_by_test_id("governance-calendar")
    expect(panel).to_contain_text("تقويم الحوكمة")
    expect(board.get_by_test_id("calendar-notice")).to_contain_text("تم")
    expect(board.get_by_test_id("calendar-documents")).to_contain_text("خلال 14 يومًا")  # 6 days away, not published
    expect(board.get_by_test_id("calendar-meeting")).to_contain_text("هـ")  # the Hijri date beside the Gregorian
    expect(board.get_by_test_id("governance-warning")).to_contain_text("قد توقف الوزارة إعاناتها")
    panel.scroll_into_view_if_needed()
    visit(board, "governance-calendar")
