"""Paper ballots in the room on 360 px phones, in Arabic (issue 18 item 5): a secret item was open online and two
members voted (one of them as a proxy holder, for the principal too); the meeting begins. At the desk, staff
register the holder: the answer marks «صوّت إلكترونيًا» for them and for the principal; the desk's list shows who
gets a paper ballot. Two officers enter the paper counts: the second's differ and both see where; a third officer
enters the same as the first and confirms. The chair closes; a member reads the results with the paper line.
axe on every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assembly import conduct, proxies
from assembly import services as assembly_services
from assembly.models import Meeting, Registration
from ballots import services
from ballots.models import PaperCount, Question, Slot
from ballots.voting import cast, open_voting
from members.roles import Role
from tests.ballots.room import vote_online
from tests.browser.helpers import login
from tests.browser.story import phone, visit
from tests.members.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"


def counts(page, question: Question, votes: list[str], spoiled: str) -> None:
    form = page.get_by_test_id("paper-form")
    for option, value in zip(question.options.order_by("order"), votes, strict=True):
        form.get_by_label(f"الأصوات لـ {option.label_ar}").fill(value)
    form.get_by_label("الأوراق الورقية التالفة").fill(spoiled)
    form.get_by_role("button", name="أدخل أعداد الأوراق الورقية").click()


def test_paper_ballots_are_counted_by_two_officers_and_the_desk_marks_who_voted_online(
    new_context, live_server, make_user
):
    chair = make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")
    second = make_user("board2@example.org", Role.BOARD, first_name="فهد", last_name="آل منصور")
    third = make_user("board3@example.org", Role.BOARD, first_name="علي", last_name="آل يام")
    desk = make_user("desk@example.org", Role.STAFF, first_name="سالم", last_name="آل مريح")
    saad_account = make_user("saad@example.org", Role.MEMBER, first_name="سعد", last_name="آل مريح")
    saad = MemberFactory(user=saad_account, shares=12, full_name_ar="سعد بن محمد آل مريح")
    principal = MemberFactory(shares=3, full_name_ar="مانع بن صالح آل يام")
    others = [MemberFactory(shares=3) for _ in range(4)]
    meeting = assembly_services.create_meeting(
        by=chair, kind="ordinary", starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    assembly_services.add_agenda_item(
        meeting=meeting, by=chair, kind="extraordinary", title_ar="إبراء ذمة المجلس", title_en="Discharge"
    )
    assembly_services.publish_notice(meeting=meeting, by=chair)
    proxy = proxies.appoint(meeting=meeting, principal=principal, holder_national_id=saad.national_id)
    proxies.accept(proxy=proxy, holder=saad, code=proxies.send_code(proxy=proxy, holder=saad))
    question = services.create_question(
        meeting=meeting, by=chair, kind="item", title_ar="إبراء ذمة مجلس الإدارة", title_en="Discharge the board"
    )
    services.open_question(question=question, by=chair)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + datetime.timedelta(hours=24))
    for_, against, _abstain = question.options.order_by("order").values_list("pk", flat=True)
    vote_online(question, saad, [for_])
    slot = Slot.objects.get(question=question, member=principal)
    cast(slot=slot, by=saad, credential=open_voting(slot=slot, by=saad), option_ids=[against])
    # The meeting begins: online voting has closed; four other members are registered, the chair elected.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.localtime().replace(minute=0, second=0, microsecond=0)
    )
    meeting.refresh_from_db()
    for member in others:
        Registration.objects.create(meeting=meeting, member=member, registered_by=chair)
    conduct.elect_chair(meeting=meeting, by=chair, membership_no=others[0].membership_no, votes=4)

    staff = phone(new_context)
    login(staff, live_server, desk.email, PASSWORD)
    staff.goto(live_server.url + reverse("assembly:door-desk", args=[meeting.pk]))
    staff.get_by_label("رقم العضوية أو رقم الهوية").fill(saad.membership_no)
    staff.get_by_role("button", name="ابحث").click()
    staff.get_by_role("button", name="سجّل الحضور").click()
    marks = staff.get_by_test_id("door-arrival").get_by_test_id("online-marks")
    expect(marks.first).to_contain_text("صوّت إلكترونيًا")
    expect(marks.nth(1)).to_contain_text("صوّت إلكترونيًا")
    visit(staff, "room-desk-mark")
    staff.get_by_test_id("door-list-link").click()
    listed = staff.get_by_test_id("door-list-member")
    expect(listed).to_have_count(5)
    expect(staff.get_by_test_id("door-list").locator('[data-online="no"]')).to_have_count(4)
    expect(staff.get_by_test_id("door-list").locator('[data-online="yes"]')).to_have_count(2)
    visit(staff, "room-desk-list")

    first = phone(new_context)
    login(first, live_server, chair.email, PASSWORD)
    first.goto(live_server.url + reverse("assembly:meeting-conduct", args=[meeting.pk]))
    first.get_by_test_id("paper-link").click()
    expect(first.get_by_test_id("allowed")).to_contain_text("4")
    visit(first, "room-paper-empty")
    counts(first, question, ["5", "0", "0"], "0")
    expect(first.get_by_test_id("paper-question")).to_contain_text("أكثر من 4 أعضاء")
    visit(first, "room-paper-too-many")
    assert not PaperCount.objects.exists()
    counts(first, question, ["2", "1", "0"], "1")
    expect(first.get_by_test_id("paper-waiting")).to_contain_text("بانتظار")

    other = phone(new_context)
    login(other, live_server, second.email, PASSWORD)
    other.goto(live_server.url + reverse("ballots:meeting-paper", args=[meeting.pk]))
    counts(other, question, ["1", "2", "0"], "1")
    expect(other.get_by_test_id("paper-question")).to_contain_text("تختلف أعدادك")
    first.reload()
    expect(first.get_by_test_id("paper-differences")).to_contain_text("موافق: 1 في الإدخال الثاني، و2 في الإدخال الأول")
    visit(first, "room-paper-differ")
    assert not PaperCount.objects.get().is_confirmed

    last = phone(new_context)
    login(last, live_server, third.email, PASSWORD)
    last.goto(live_server.url + reverse("ballots:meeting-paper", args=[meeting.pk]))
    counts(last, question, ["2", "1", "0"], "1")
    expect(last.get_by_test_id("paper-confirmed")).to_contain_text("اعتمدها علي آل يام")
    visit(last, "room-paper-confirmed")

    services.close_question(question=question, by=chair)
    member = phone(new_context)
    login(member, live_server, saad_account.email, PASSWORD)
    member.goto(live_server.url + reverse("ballots:meeting-record", args=[meeting.pk]))
    published = member.get_by_test_id("published-question")
    expect(published.get_by_test_id("paper-line")).to_contain_text("الأوراق الورقية المعدودة في القاعة: 3")
    expect(published.locator("tbody tr").first).to_contain_text("3")
    visit(member, "room-results")
