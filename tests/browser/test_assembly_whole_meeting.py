"""One General Assembly from draft to minutes, every step in the browser on 360 px phones, in Arabic (issue 17's
"done when"): the secretary drafts the meeting and its agenda and publishes the notice; on the day a member opens his
pass, staff at the door register him by its code and two more members by search; the quorum panel shows the quorum
met; the secretary records the chair, two board members enter the item's counts, the secretary closes the meeting;
the member finds the minutes on his home and downloads the PDF. axe on every page (tests.browser.story.visit)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assembly import passes
from assembly.models import Meeting
from members.roles import Role
from tests.assembly.on_the_day import this_hour
from tests.browser.helpers import login
from tests.browser.story import phone, visit
from tests.members.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    settings.ASSEMBLY_REMOTE_ATTENDANCE = False


def register_by_search(desk, member) -> None:
    desk.get_by_label("رقم العضوية أو رقم الهوية الوطنية").fill(member.membership_no)
    desk.get_by_role("button", name="ابحث").click()
    expect(desk.get_by_test_id("door-found")).to_contain_text(member.full_name_ar)
    desk.get_by_role("button", name="سجّل الحضور").click()
    expect(desk.get_by_test_id("door-result")).to_contain_text("تم التسجيل")


def enter_counts(page, votes_for: int, against: int, abstain: int) -> None:
    item = page.get_by_test_id("item-1")
    item.get_by_label("الموافقون").fill(str(votes_for))
    item.get_by_label("المعارضون").fill(str(against))
    item.get_by_label("الممتنعون").fill(str(abstain))
    item.get_by_role("button", name="أدخل الأعداد").click()


def test_a_meeting_from_draft_to_minutes_in_the_browser(new_context, live_server, make_user, settings):
    settings.SITE_URL = live_server.url
    secretary = make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")
    second = make_user("board2@example.org", Role.BOARD, first_name="فهد", last_name="آل منصور")
    desk_user = make_user("desk@example.org", Role.STAFF, first_name="سالم", last_name="آل يام")
    saad_account = make_user("saad@example.org", Role.MEMBER, first_name="سعد", last_name="آل مريح")
    saad = MemberFactory(user=saad_account, shares=12, full_name_ar="سعد بن محمد آل مريح", language="ar")
    others = MemberFactory.create_batch(7, shares=2)  # 8 eligible: the quorum needs 2
    meeting_day = timezone.localdate() + datetime.timedelta(days=20)

    board = phone(new_context)
    login(board, live_server, secretary.email, PASSWORD)
    board.goto(live_server.url + reverse("assembly:meeting-list"))
    board.get_by_role("link", name="أعدّ اجتماعًا جديدًا").click()
    board.get_by_label("التاريخ (الميلادي)").fill(meeting_day.isoformat())
    board.get_by_label("الوقت").fill("16:30")
    board.get_by_role("button", name="احفظ مسودة الاجتماع").click()
    expect(board.locator(".alert-success")).to_contain_text("أُعدّت مسودة الاجتماع")
    board.get_by_label("نوع البند").select_option("accounts")
    board.get_by_label("العنوان (بالعربية)").fill("اعتماد الحسابات الختامية")
    board.get_by_label("العنوان (بالإنجليزية)").fill("Approving the final accounts")
    board.get_by_role("button", name="أضف إلى جدول الأعمال").click()
    expect(board.get_by_test_id("agenda")).to_contain_text("اعتماد الحسابات الختامية")
    board.get_by_role("button", name="انشر الدعوة").click()
    expect(board.get_by_test_id("meeting-status")).to_have_text("نُشرت الدعوة")
    visit(board, "whole-published")
    meeting = Meeting.objects.get()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=this_hour())  # fifteen days and more have passed

    member = phone(new_context)
    login(member, live_server, saad_account.email, PASSWORD)
    member.goto(live_server.url + reverse("home"))
    member.get_by_test_id("next-meeting").get_by_role("link", name="بطاقة دخولك للاجتماع").click()
    code = passes.short_code(meeting, meeting.eligible.get(member=saad))
    expect(member.get_by_test_id("pass-code")).to_have_text(code)
    visit(member, "whole-pass")

    desk = phone(new_context)
    login(desk, live_server, desk_user.email, PASSWORD)
    desk.goto(live_server.url + reverse("assembly:door-desk", args=[meeting.pk]))
    desk.get_by_label("الرمز", exact=True).fill(code)
    desk.get_by_role("button", name="سجّل", exact=True).click()
    expect(desk.get_by_test_id("door-result")).to_contain_text("تم التسجيل")
    register_by_search(desk, others[0])
    register_by_search(desk, others[1])
    visit(desk, "whole-door")

    board.goto(live_server.url + reverse("assembly:meeting-quorum", args=[meeting.pk]))
    expect(board.get_by_test_id("quorum-present")).to_have_text("3")
    expect(board.get_by_test_id("quorum-state")).to_have_text("اكتمل النصاب")
    visit(board, "whole-quorum")
    board.goto(live_server.url + reverse("assembly:meeting-conduct", args=[meeting.pk]))
    board.get_by_label("رقم عضوية رئيس الاجتماع").fill(saad.membership_no)
    board.get_by_label("الأصوات المؤيدة للرئيس").fill("3")
    board.get_by_role("button", name="سجّل رئيس الاجتماع").click()
    expect(board.get_by_test_id("chair")).to_contain_text("سعد بن محمد آل مريح")
    enter_counts(board, 2, 1, 0)
    expect(board.locator(".alert-success")).to_contain_text("أُدخلت أعدادك")

    officer = phone(new_context)
    login(officer, live_server, second.email, PASSWORD)
    officer.goto(live_server.url + reverse("assembly:meeting-conduct", args=[meeting.pk]))
    enter_counts(officer, 2, 1, 0)
    expect(officer.get_by_test_id("item-1").get_by_test_id("result")).to_have_text("اعتُمد")
    visit(officer, "whole-decided")

    board.reload()
    board.get_by_role("button", name="أغلق الاجتماع").click()
    expect(board.get_by_test_id("meeting-status")).to_have_text("عُقد")
    visit(board, "whole-held")

    member.goto(live_server.url + reverse("home"))
    member.get_by_test_id("past-minutes").get_by_role("link").first.click()
    link = member.get_by_test_id("minutes-link")
    visit(member, "whole-minutes")
    download = member.request.get(live_server.url + link.get_attribute("href"))
    assert download.status == 200 and download.body().startswith(b"%PDF")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
