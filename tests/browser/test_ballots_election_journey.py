"""A secret board election end to end on 360 px phones, in Arabic (issue 18 items 3, 7): the secretary prepares an
election of two seats among three candidates and opens it; a member is refused a third choice, votes for two and
gets a receipt; the secretary closes; the member reads the winners and the reserve and finds the receipt. axe on
every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assembly import services as assembly_services
from ballots.models import Ballot, Question
from members.roles import Role
from tests.browser.helpers import login
from tests.browser.story import phone, visit
from tests.members.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_board_election_runs_from_preparing_to_published_results(new_context, live_server, make_user):
    secretary = make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")
    saad_account = make_user("saad@example.org", Role.MEMBER, first_name="سعد", last_name="آل مريح")
    MemberFactory(user=saad_account, shares=12, full_name_ar="سعد بن محمد آل مريح")
    candidates = [
        MemberFactory(shares=3, full_name_ar=name)
        for name in ("علي بن حسن آل منصور", "فهد بن سالم آل يام", "مانع بن صالح")
    ]
    meeting = assembly_services.create_meeting(
        by=secretary, kind="ordinary", starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    assembly_services.add_agenda_item(
        meeting=meeting, by=secretary, kind="board_election", title_ar="انتخاب المجلس", title_en="Board election"
    )
    assembly_services.publish_notice(meeting=meeting, by=secretary)
    questions_page = live_server.url + reverse("ballots:meeting-questions", args=[meeting.pk])

    officer = phone(new_context)
    login(officer, live_server, secretary.email, PASSWORD)
    officer.goto(live_server.url + "/")
    officer.get_by_test_id("open-ballots").get_by_role("link", name="مسائل الاقتراع السري لاجتماع").click()
    assert officer.url == questions_page
    visit(officer, "ballots-officer-empty")
    form = officer.get_by_test_id("question-form")
    form.get_by_label("انتخاب أعضاء مجلس الإدارة").check()
    form.get_by_label("المسألة (بالعربية)").fill("انتخاب عضوين لمجلس الإدارة")
    form.get_by_label("المسألة (بالإنجليزية)").fill("Electing two board members")
    form.get_by_label("عدد المقاعد").fill("2")
    form.get_by_label("أرقام عضوية المرشحين").fill(" ".join(person.membership_no for person in candidates))
    form.get_by_role("button", name="أعدّ المسألة").click()
    expect(officer.locator(".alert-success")).to_contain_text("أُعدّت المسألة")
    officer.get_by_test_id("question").get_by_role("button", name="افتح التصويت").click()
    expect(officer.get_by_test_id("question")).to_contain_text("التصويت مفتوح")
    visit(officer, "ballots-officer-open")
    question = Question.objects.get()

    member = phone(new_context)
    login(member, live_server, saad_account.email, PASSWORD)
    member.goto(live_server.url + reverse("ballots:meeting-ballots", args=[meeting.pk]))
    member.get_by_role("button", name="افتح التصويت").click()
    for candidate in candidates:
        member.get_by_label(candidate.full_name_ar).check()
    member.get_by_role("button", name="أدلِ بصوتي").click()
    expect(member.get_by_test_id("ballot-form")).to_contain_text("خيارين على الأكثر")
    visit(member, "ballots-too-many")
    assert not Ballot.objects.exists()
    member.get_by_label(candidates[2].full_name_ar).uncheck()
    member.get_by_role("button", name="أدلِ بصوتي").click()
    receipt = member.get_by_test_id("receipt").inner_text().strip()
    assert Ballot.objects.get(question=question).receipt == receipt

    officer.goto(questions_page)
    expect(officer.get_by_test_id("question")).to_contain_text("فتح التصويت عضو واحد")
    officer.get_by_role("button", name="أغلق التصويت").click()
    expect(officer.locator(".alert-success")).to_contain_text("أُغلق التصويت")

    member.goto(live_server.url + reverse("ballots:meeting-record", args=[meeting.pk]))
    rows = member.get_by_test_id("published-question").locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("فائز")
    expect(rows.nth(1)).to_contain_text("فائز")
    expect(rows.nth(2)).to_contain_text(candidates[2].full_name_ar)
    expect(rows.nth(2)).to_contain_text("احتياطي")
    member.get_by_label("ابحث عن رمز إيصالك").fill(receipt)
    expect(member.locator(f'li[data-receipt="{receipt}"]')).to_contain_text(candidates[0].full_name_ar)
    visit(member, "ballots-election-results")
