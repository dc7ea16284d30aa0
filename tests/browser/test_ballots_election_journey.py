"""A board election from the first nomination to the new board member's first board page, on 360 px phones, in
Arabic (issue 18 items 3, 4, 7, 8).

Before the notice: علي nominates himself from his home page; سعد does too; the secretary enters two members'
nominations (one refused: no shares), and disqualifies سعد with a reason that سعد then reads. The secretary
publishes the notice (nominations close) and prepares the election: its candidates are the standing nominations.
سعد is refused a third choice, votes for two and gets a receipt; voting closes and the results name the winners and
the reserve; سعد downloads the record and the verifier recounts it. The meeting is held (the whole-meeting journey
walks that part in the browser); سعد, elected its chair, approves the minutes from his phone: علي, still signed in
as a member with his password alone, finds «تقارير مجلس الإدارة» in his menu and is asked to set up a second factor
before the board's page opens. axe on every page."""

import datetime
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assembly import conduct, minutes
from assembly import services as assembly_services
from ballots.models import Ballot, Nomination, Question
from members.roles import Role, roles_of
from tests.ballots.room import held_now
from tests.browser.helpers import login
from tests.browser.story import phone, visit
from tests.conftest import TEST_TOTP_SECRET
from tests.members.factories import PASSWORD, MemberFactory

# No automatic authenticator for accounts given a privileged role: علي must meet the set-up when elected.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.no_second_factor]
VERIFIER = Path(__file__).resolve().parents[2] / "scripts" / "verify_ballot_record.py"
REASON = "لم يسدد قيمة أسهمه كاملة حتى تاريخ الترشح"


@pytest.fixture
def people(make_user):
    secretary = make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")
    TOTP.activate(secretary, TEST_TOTP_SECRET)  # the board's secretary has an authenticator app, as the board must
    ali = MemberFactory(user=make_user("ali@example.org", Role.MEMBER), shares=5, full_name_ar="علي بن حسن آل منصور")
    saad = MemberFactory(user=make_user("saad@example.org", Role.MEMBER), shares=12, full_name_ar="سعد بن محمد آل مريح")
    fahd = MemberFactory(shares=3, full_name_ar="فهد بن سالم آل يام")
    mani = MemberFactory(shares=3, full_name_ar="مانع بن صالح")
    no_shares = MemberFactory(shares=0, full_name_ar="حمد بن علي")
    meeting = assembly_services.create_meeting(
        by=secretary, kind="ordinary", starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    assembly_services.add_agenda_item(
        meeting=meeting, by=secretary, kind="board_election", title_ar="انتخاب المجلس", title_en="Board election"
    )
    return secretary, ali, saad, fahd, mani, no_shares, meeting


def nominate_myself(page, live_server) -> None:
    page.goto(live_server.url + "/")
    page.get_by_test_id("open-ballots").get_by_role("link", name="ترشح لمجلس الإدارة").click()
    page.get_by_test_id("nominations-open").get_by_role("button", name="رشّح نفسي").click()
    expect(page.locator(".alert-success")).to_contain_text("سُجّل ترشحك")


def enter_nomination(page, membership_no: str) -> None:
    form = page.get_by_test_id("nomination-form")
    form.get_by_label("رقم عضوية المرشح").fill(membership_no)
    form.get_by_role("button", name="سجّل الترشح").click()


def test_a_board_election_from_the_first_nomination_to_the_new_board_members_first_board_page(
    new_context, live_server, settings, tmp_path, people
):
    settings.SITE_URL = live_server.url
    secretary, ali, saad, fahd, mani, no_shares, meeting = people

    # Nominations, before the notice.
    ali_phone = phone(new_context)
    login(ali_phone, live_server, "ali@example.org", PASSWORD)
    nominate_myself(ali_phone, live_server)
    expect(ali_phone.get_by_test_id("my-nomination")).to_contain_text("يراجع مجلس الإدارة الترشيحات")
    visit(ali_phone, "election-nominated")
    saad_phone = phone(new_context)
    login(saad_phone, live_server, "saad@example.org", PASSWORD)
    nominate_myself(saad_phone, live_server)

    officer = phone(new_context)
    login(officer, live_server, secretary.email, PASSWORD)
    officer.goto(live_server.url + "/")
    officer.get_by_test_id("open-ballots").get_by_role("link", name="الترشح لمجلس الإدارة في اجتماع").click()
    enter_nomination(officer, no_shares.membership_no)
    expect(officer.get_by_test_id("nomination-form")).to_contain_text("لا يترشح لمجلس الإدارة إلا عضو عامل")
    visit(officer, "election-nomination-refused")
    assert not Nomination.objects.filter(member=no_shares).exists()
    for member in (fahd, mani):
        enter_nomination(officer, member.membership_no)
        expect(officer.locator(".alert-success")).to_contain_text("سُجّل الترشح")
    saads = officer.get_by_test_id("nomination").filter(has_text=saad.full_name_ar)
    saads.get_by_label("السبب (يطّلع عليه المرشح)").fill(REASON)
    saads.get_by_role("button", name="استبعد").click()
    expect(officer.locator(".alert-success")).to_contain_text("استُبعد الترشح")
    expect(officer.get_by_test_id("nomination").filter(has_text=saad.full_name_ar)).to_contain_text(REASON)
    visit(officer, "election-nominations-reviewed")

    saad_phone.reload()
    expect(saad_phone.get_by_test_id("my-nomination")).to_contain_text("استبعده مجلس الإدارة")
    expect(saad_phone.get_by_test_id("nomination-reason")).to_contain_text(REASON)
    visit(saad_phone, "election-disqualified")

    # The notice closes nominations; the election's candidates are the standing nominations.
    officer.goto(live_server.url + reverse("assembly:meeting-detail", args=[meeting.pk]))
    officer.get_by_role("button", name="انشر الدعوة").click()
    officer.goto(live_server.url + reverse("ballots:meeting-questions", args=[meeting.pk]))
    form = officer.get_by_test_id("question-form")
    form.get_by_label("انتخاب أعضاء مجلس الإدارة").check()
    form.get_by_label("المسألة (بالعربية)").fill("انتخاب عضوين لمجلس الإدارة")
    form.get_by_label("المسألة (بالإنجليزية)").fill("Electing two board members")
    form.get_by_label("عدد المقاعد").fill("2")
    form.get_by_role("button", name="أعدّ المسألة").click()
    expect(officer.locator(".alert-success")).to_contain_text("أُعدّت المسألة")
    question = Question.objects.get(meeting=meeting)
    labels = list(question.options.order_by("order").values_list("label_ar", flat=True))
    assert sorted(labels) == sorted([ali.full_name_ar, fahd.full_name_ar, mani.full_name_ar])  # not سعد
    officer.get_by_test_id("question").get_by_role("button", name="افتح التصويت").click()
    expect(officer.get_by_test_id("question")).to_contain_text("التصويت مفتوح")
    visit(officer, "election-open")
    ali_phone.goto(live_server.url + reverse("ballots:my-nominations"))
    expect(ali_phone.get_by_test_id("my-nomination")).to_contain_text("أنت مرشح في ورقة الانتخاب")

    # سعد votes: three choices for two seats are refused, then two.
    saad_phone.goto(live_server.url + reverse("ballots:meeting-ballots", args=[meeting.pk]))
    saad_phone.get_by_role("button", name="افتح التصويت").click()
    for name in labels:
        saad_phone.get_by_label(name).check()
    saad_phone.get_by_role("button", name="أدلِ بصوتي").click()
    expect(saad_phone.get_by_test_id("ballot-form")).to_contain_text("خيارين على الأكثر")
    visit(saad_phone, "election-too-many")
    assert not Ballot.objects.exists()
    saad_phone.get_by_label(mani.full_name_ar).uncheck()
    saad_phone.get_by_role("button", name="أدلِ بصوتي").click()
    receipt = saad_phone.get_by_test_id("receipt").inner_text().strip()
    assert Ballot.objects.get(question=question).receipt == receipt

    officer.reload()
    officer.get_by_role("button", name="أغلق التصويت").click()
    expect(officer.locator(".alert-success")).to_contain_text("أُغلق التصويت")
    saad_phone.goto(live_server.url + reverse("ballots:meeting-record", args=[meeting.pk]))
    rows = saad_phone.get_by_test_id("published-question").locator("tbody tr")
    expect(rows.filter(has_text=ali.full_name_ar)).to_contain_text("فائز")
    expect(rows.filter(has_text=fahd.full_name_ar)).to_contain_text("فائز")
    expect(rows.filter(has_text=mani.full_name_ar)).to_contain_text("احتياطي")
    saad_phone.get_by_label("ابحث عن رمز إيصالك").fill(receipt)
    expect(saad_phone.locator(f'li[data-receipt="{receipt}"]')).to_contain_text(ali.full_name_ar)
    visit(saad_phone, "election-results")
    with saad_phone.expect_download() as download:  # anyone may recount: the record, and the verifier beside it
        saad_phone.get_by_role("link", name="نزّل السجل (JSON)").click()
    record = tmp_path / "record.json"
    download.value.save_as(record)
    checked = subprocess.run([sys.executable, str(VERIFIER), str(record)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # The meeting is held (سعد elected its chair) and closed; the chair's approval of the minutes makes علي a board
    # member.
    held_now(meeting, secretary, present=[saad, ali, fahd])
    conduct.close_meeting(meeting=meeting, by=secretary)
    minutes.issue_minutes(meeting_id=meeting.pk)
    assert Role.BOARD not in roles_of(type(ali.user).objects.get(pk=ali.user_id))
    saad_phone.goto(live_server.url + "/")
    saad_phone.get_by_test_id("past-minutes").get_by_role("link").first.click()
    saad_phone.get_by_test_id("minutes-approve").get_by_role("button", name="اعتمد المحضر").click()
    expect(saad_phone.locator(".alert-success")).to_contain_text("اعتُمد المحضر")
    expect(saad_phone.get_by_test_id("minutes-approved")).to_be_visible()
    visit(saad_phone, "election-minutes-approved")

    ali_phone.goto(live_server.url + "/")
    ali_phone.locator(".navbar-toggler").click()
    expect(ali_phone.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))  # opened, not opening
    ali_phone.locator("#main-nav").get_by_role("link", name="تقارير مجلس الإدارة").click()
    expect(ali_phone).to_have_url(re.compile(r"/accounts/2fa/$"))  # a second factor before any board page
    expect(ali_phone.locator(".alert-warning")).to_contain_text("فعّل عامل التحقق الثاني")
    visit(ali_phone, "election-new-board-member-second-factor")
