"""The General Assembly on 360 px phones, in Arabic: the board's secretary drafts the annual meeting and its agenda
in the portal, is refused publishing a meeting too soon (15 days), publishes the notice of the right one and reads
who it reached; a member signs in on his phone and finds the meeting, its date in both calendars and its agenda on
his home, in Arabic and in English. axe on every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assembly import services
from assembly.models import Meeting
from members.models import Notification
from members.roles import Role
from members_portal.hijri import to_hijri
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.helpers import axe_check, login
from tests.browser.story import phone, visit
from tests.members.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    settings.ASSEMBLY_REMOTE_ATTENDANCE = False


def test_the_secretary_publishes_the_notice_and_a_member_finds_the_meeting_on_his_home(
    new_context, live_server, make_user, settings
):
    settings.SITE_URL = live_server.url
    secretary = make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")
    saad_account = make_user("saad@example.org", Role.MEMBER, first_name="سعد", last_name="آل مريح")
    MemberFactory(user=saad_account, shares=12, full_name_ar="سعد بن محمد آل مريح", language="ar")
    MemberFactory(shares=3, full_name_ar="فهد بن علي آل منصور", sms_consent=False)
    soon = services.create_meeting(
        by=secretary, kind="extraordinary", starts_at=timezone.now() + datetime.timedelta(days=10)
    )
    services.add_agenda_item(meeting=soon, by=secretary, kind="extraordinary", title_ar="بند عاجل", title_en="Urgent")
    meeting_day = timezone.localdate() + datetime.timedelta(days=20)

    board = phone(new_context)
    login(board, live_server, secretary.email, PASSWORD)
    board.goto(live_server.url + reverse("assembly:meeting-list"))
    visit(board, "assembly-meetings")
    board.get_by_role("link", name="أعدّ اجتماعًا جديدًا").click()
    visit(board, "assembly-new-meeting")
    expect(board.get_by_label("يجوز للأعضاء الحضور عن بُعد أيضًا")).to_have_count(0)  # the bylaws have not allowed it
    board.get_by_label("التاريخ (الميلادي)").fill(meeting_day.isoformat())
    board.get_by_label("الوقت").fill("16:30")
    board.get_by_role("button", name="احفظ مسودة الاجتماع").click()
    expect(board.locator(".alert-success")).to_contain_text("أُعدّت مسودة الاجتماع")
    for kind, title_ar, title_en in [
        ("reports", "تقرير مجلس الإدارة عن السنة المالية", "The board's report on the year"),
        ("accounts", "اعتماد الحسابات الختامية", "Approving the final accounts"),
    ]:
        board.get_by_label("نوع البند").select_option(kind)
        board.get_by_label("العنوان (بالعربية)").fill(title_ar)
        board.get_by_label("العنوان (بالإنجليزية)").fill(title_en)
        board.get_by_role("button", name="أضف إلى جدول الأعمال").click()
        expect(board.get_by_test_id("agenda")).to_contain_text(title_ar)
    expect(board.get_by_test_id("meeting-date")).to_contain_text(to_hijri(meeting_day).month_name("ar"))
    visit(board, "assembly-draft")

    board.goto(live_server.url + soon.get_absolute_url())
    board.get_by_role("button", name="انشر الدعوة").click()
    expect(board.locator(".alert-danger, .alert-error").first).to_contain_text("15 يومًا على الأقل")
    expect(board.get_by_test_id("meeting-status")).to_have_text("مسودة")
    visit(board, "assembly-refused")

    meeting = Meeting.objects.get(kind="ordinary")
    board.goto(live_server.url + meeting.get_absolute_url())
    board.get_by_role("button", name="انشر الدعوة").click()
    expect(board.locator(".alert-success")).to_contain_text("نُشرت الدعوة")
    expect(board.get_by_test_id("meeting-status")).to_have_text("نُشرت الدعوة")
    expect(board.get_by_test_id("eligible-count")).to_contain_text("عضوين")
    visit(board, "assembly-published")
    board.get_by_role("link", name="من وصلتهم الدعوة").click()
    expect(board.get_by_test_id("not-reached")).to_contain_text("فهد بن علي آل منصور")
    expect(board.get_by_test_id("not-reached")).not_to_contain_text("سعد بن محمد آل مريح")
    visit(board, "assembly-delivery")
    assert Notification.objects.filter(event="assembly_notice", channel="inbox").count() == 2

    member = phone(new_context)
    login(member, live_server, saad_account.email, PASSWORD)
    member.goto(live_server.url + reverse("home"))
    panel = member.get_by_test_id("next-meeting")
    expect(panel).to_contain_text("اجتماع الجمعية العمومية القادم")
    expect(panel).to_contain_text(to_hijri(meeting_day).month_name("ar"))
    expect(panel).to_contain_text("اعتماد الحسابات الختامية")
    visit(member, "assembly-member-home")
    panel.get_by_role("link", name="تفاصيل الاجتماع").click()
    expect(member.get_by_test_id("agenda")).to_contain_text("تقرير مجلس الإدارة عن السنة المالية")
    visit(member, "assembly-member-meeting")

    english = new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    english.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    reader = english.new_page()
    login(reader, live_server, saad_account.email, PASSWORD)
    reader.goto(live_server.url + reverse("home"))
    panel = reader.get_by_test_id("next-meeting")
    expect(panel).to_contain_text("The next General Assembly")
    expect(panel).to_contain_text("Approving the final accounts")
    expect(panel).to_contain_text(to_hijri(meeting_day).month_name("en"))
    assert reader.evaluate("() => document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    axe_check(reader)
