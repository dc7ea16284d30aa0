"""Holding the General Assembly on 360 px phones, in Arabic (issue 17 items 8, 9 and 11): the secretary opens the
meeting's conduct, records the chair the members present elected; two board members enter each item's counts on their
own phones (a first count that differs is refused, naming the difference; counts above those present are refused; a
tie is decided by the chair's vote); the secretary closes the meeting; the minutes are rendered; a member finds them
on his home and downloads the PDF. axe on every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assembly import services
from assembly.models import Meeting, Registration
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


def enter(page, order: int, votes_for: int, against: int, abstain: int, chair: str = "") -> None:
    item = page.get_by_test_id(f"item-{order}")
    item.get_by_label("الموافقون").fill(str(votes_for))
    item.get_by_label("المعارضون").fill(str(against))
    item.get_by_label("الممتنعون").fill(str(abstain))
    if chair:
        item.get_by_label("صوت الرئيس (يلزم عند التساوي فقط)").select_option(label=chair)
    item.get_by_role("button", name="أدخل الأعداد").click()


def test_the_board_holds_the_meeting_and_a_member_downloads_its_minutes(new_context, live_server, make_user, settings):
    settings.SITE_URL = live_server.url
    secretary = make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")
    second = make_user("board2@example.org", Role.BOARD, first_name="فهد", last_name="آل منصور")
    saad_account = make_user("saad@example.org", Role.MEMBER, first_name="سعد", last_name="آل مريح")
    saad = MemberFactory(user=saad_account, shares=12, full_name_ar="سعد بن محمد آل مريح", language="ar")
    others = MemberFactory.create_batch(7, shares=2)  # 8 eligible: the quorum needs 2
    meeting = services.create_meeting(
        by=secretary, kind="ordinary", starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    services.add_agenda_item(
        meeting=meeting, by=secretary, kind="accounts", title_ar="اعتماد الحسابات الختامية", title_en="Accounts"
    )
    services.add_agenda_item(
        meeting=meeting, by=secretary, kind="auditor", title_ar="تعيين مراجع الحسابات", title_en="Auditor"
    )
    services.publish_notice(meeting=meeting, by=secretary)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=this_hour())  # the day has come
    for member in [saad, *others[:5]]:  # 6 present at the door
        Registration.objects.create(meeting=meeting, member=member, registered_by=secretary)

    board = phone(new_context)
    login(board, live_server, secretary.email, PASSWORD)
    board.goto(live_server.url + reverse("assembly:meeting-detail", args=[meeting.pk]))
    board.get_by_role("link", name="افتح إدارة الاجتماع").click()
    expect(board.get_by_test_id("quorum")).to_contain_text("النصاب مكتمل")
    expect(board.get_by_test_id("item-1").get_by_role("button")).to_have_count(0)  # nothing before the chair
    visit(board, "assembly-conduct")
    board.get_by_label("رقم عضوية رئيس الاجتماع").fill(saad.membership_no)
    board.get_by_label("الأصوات المؤيدة للرئيس").fill("5")
    board.get_by_role("button", name="سجّل رئيس الاجتماع").click()
    expect(board.locator(".alert-success")).to_contain_text("سُجّل رئيس الاجتماع")
    expect(board.get_by_test_id("chair")).to_contain_text("سعد بن محمد آل مريح")
    enter(board, 1, 5, 1, 0)
    expect(board.locator(".alert-success")).to_contain_text("أُدخلت أعدادك")
    expect(board.get_by_test_id("item-1").get_by_test_id("waiting")).to_contain_text("بانتظار أن يُدخل مسؤول ثانٍ")
    visit(board, "assembly-conduct-waiting")

    officer = phone(new_context)
    login(officer, live_server, second.email, PASSWORD)
    officer.goto(live_server.url + reverse("assembly:meeting-conduct", args=[meeting.pk]))
    enter(officer, 1, 4, 1, 0)
    expect(officer.get_by_test_id("item-1")).to_contain_text("الموافقون: 4 الآن، و5 في الإدخال الأول")
    visit(officer, "assembly-conduct-differ")
    enter(officer, 1, 5, 1, 0)
    expect(officer.locator(".alert-success")).to_contain_text("تطابقت الأعداد")
    expect(officer.get_by_test_id("item-1").get_by_test_id("result")).to_have_text("اعتُمد")
    enter(officer, 2, 6, 1, 0)
    expect(officer.get_by_test_id("item-2")).to_contain_text("أكثر من عدد الحاضرين")
    enter(officer, 2, 3, 2, 1, chair="معارض")
    expect(officer.locator(".alert-success")).to_contain_text("أُدخلت أعدادك")

    board.reload()
    enter(board, 2, 3, 2, 1, chair="معارض")
    result = board.get_by_test_id("item-2").get_by_test_id("result")
    expect(result).to_contain_text("لم يُعتمد")
    expect(result).to_contain_text("تساوٍ رجّحه صوت الرئيس")
    visit(board, "assembly-conduct-decided")
    board.get_by_role("button", name="أغلق الاجتماع").click()
    expect(board.locator(".alert-success")).to_contain_text("أُغلق الاجتماع")
    expect(board.get_by_test_id("meeting-status")).to_have_text("عُقد")
    expect(board.get_by_test_id("minutes-link")).to_be_visible()  # rendered by the task (eager in tests)
    visit(board, "assembly-conduct-held")

    member = phone(new_context)
    login(member, live_server, saad_account.email, PASSWORD)
    member.goto(live_server.url + reverse("home"))
    expect(member.get_by_test_id("past-minutes")).to_contain_text("الجمعية العمومية العادية")
    visit(member, "assembly-member-past-minutes")
    member.get_by_test_id("past-minutes").get_by_role("link").first.click()
    link = member.get_by_test_id("minutes-link")
    expect(link).to_have_text("اقرأ المحضر (PDF)")
    visit(member, "assembly-member-minutes")
    download = member.request.get(live_server.url + link.get_attribute("href"))
    assert download.status == 200 and download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")
