"""A secret vote on a 360 px phone, in Arabic (issue 18): a member opens voting on a secret item, sees the voting
code once, votes, reads the receipt code; after the close finds that code in the published results, typed in the
page (the search never leaves the phone). axe on every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assembly import services as assembly_services
from ballots import services
from ballots.models import Ballot
from members.roles import Role
from tests.browser.helpers import login
from tests.browser.story import phone, visit
from tests.members.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_votes_in_secret_and_finds_the_receipt_in_the_results(new_context, live_server, make_user):
    secretary = make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")
    saad_account = make_user("saad@example.org", Role.MEMBER, first_name="سعد", last_name="آل مريح")
    MemberFactory(user=saad_account, shares=12, full_name_ar="سعد بن محمد آل مريح")
    MemberFactory(shares=3)
    meeting = assembly_services.create_meeting(
        by=secretary, kind="ordinary", starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    assembly_services.add_agenda_item(
        meeting=meeting, by=secretary, kind="extraordinary", title_ar="إبراء ذمة المجلس", title_en="Discharge"
    )
    assembly_services.publish_notice(meeting=meeting, by=secretary)
    question = services.create_question(
        meeting=meeting, by=secretary, kind="item", title_ar="إبراء ذمة مجلس الإدارة", title_en="Discharge the board"
    )
    services.open_question(question=question, by=secretary)

    page = phone(new_context)
    login(page, live_server, saad_account.email, PASSWORD)
    page.goto(live_server.url + "/")
    expect(page.get_by_test_id("open-ballots")).not_to_contain_text("<span")
    visit(page, "ballots-home")
    page.get_by_test_id("open-ballots").get_by_role("link", name="صوّت سرًّا في اجتماع").click()
    expect(page.get_by_test_id("slot")).to_contain_text("إبراء ذمة مجلس الإدارة")
    visit(page, "ballots-list")
    page.get_by_role("button", name="افتح التصويت").click()
    expect(page.get_by_test_id("credential")).to_contain_text("يظهر هذه المرة فقط")
    visit(page, "ballots-credential")
    page.get_by_label("موافق", exact=True).check()
    page.get_by_role("button", name="أدلِ بصوتي").click()
    expect(page.locator("h1")).to_have_text("سُجّل صوتك")
    receipt = page.get_by_test_id("receipt").inner_text().strip()
    assert receipt == Ballot.objects.get().receipt
    visit(page, "ballots-receipt")

    services.close_question(question=question, by=secretary)
    page.goto(live_server.url + reverse("ballots:meeting-record", args=[meeting.pk]))
    published = page.get_by_test_id("published-question")
    expect(published).to_contain_text("احتُسبت ورقة واحدة")
    page.get_by_label("ابحث عن رمز إيصالك").fill(receipt.lower())
    expect(published.locator(f'li[data-receipt="{receipt}"]')).to_be_visible()
    expect(published.locator(f'li[data-receipt="{receipt}"]')).to_contain_text("موافق")
    page.get_by_label("ابحث عن رمز إيصالك").fill("ZZZZZZZZZZ")
    expect(published.locator(f'li[data-receipt="{receipt}"]')).to_be_hidden()
    page.get_by_label("ابحث عن رمز إيصالك").fill(receipt)
    visit(page, "ballots-results")
