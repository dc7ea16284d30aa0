"""The Assembly's documents on 360 px phones, in Arabic (issue 17 item 4): the secretary is refused a file that is not
a PDF, uploads the accounts as a PDF and publishes them; a member finds them on his home and on the meeting page and
opens them (and reads the list in English too); the secretary then reads «opened by 1» and never the member's name.
axe on every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assembly import services
from assembly.models import DocumentView
from members.roles import Role
from tests.browser.helpers import login
from tests.browser.story import phone, visit
from tests.members.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    default = {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path / "private"}}
    settings.STORAGES = {**settings.STORAGES, "default": default}


def test_the_board_publishes_the_accounts_a_member_opens_them_and_the_board_sees_the_count(
    new_context, live_server, make_user, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    secretary = make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")
    saad_account = make_user("saad@example.org", Role.MEMBER, first_name="سعد", last_name="آل مريح")
    MemberFactory(user=saad_account, shares=12, full_name_ar="سعد بن محمد آل مريح")
    meeting = services.create_meeting(
        by=secretary, kind="ordinary", starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    services.add_agenda_item(meeting=meeting, by=secretary, kind="accounts", title_ar="الحسابات", title_en="Accounts")
    services.publish_notice(meeting=meeting, by=secretary)
    not_a_pdf = tmp_path / "accounts.pdf"
    not_a_pdf.write_bytes(b"GIF89a this is a picture")
    accounts = tmp_path / "الحسابات الختامية.pdf"
    accounts.write_bytes(PDF)

    board = phone(new_context)
    login(board, live_server, secretary.email, PASSWORD)
    board.goto(live_server.url + reverse("assembly:meeting-detail", args=[meeting.pk]))
    board.get_by_role("link", name="مستندات الجمعية العمومية").click()
    board.get_by_label("المستند").select_option("accounts")
    board.get_by_label("الملف (PDF)").set_input_files(str(not_a_pdf))
    board.get_by_role("button", name="ارفع", exact=True).click()
    expect(board.locator("main")).to_contain_text("يجب أن يكون المستند ملف PDF")
    visit(board, "documents-not-a-pdf")
    board.get_by_label("المستند").select_option("accounts")
    board.get_by_label("الملف (PDF)").set_input_files(str(accounts))
    board.get_by_role("button", name="ارفع", exact=True).click()
    expect(board.locator(".alert-success")).to_contain_text("رُفع المستند")
    board.get_by_role("button", name="انشر المستندات للأعضاء").click()
    expect(board.locator(".alert-success")).to_contain_text("المتاحة للأعضاء")
    expect(board.get_by_test_id("document-readers")).to_contain_text("0")
    visit(board, "documents-published")

    member = phone(new_context)
    login(member, live_server, saad_account.email, PASSWORD)
    member.goto(live_server.url + "/")
    home_link = member.get_by_test_id("next-meeting-documents").get_by_role(
        "link", name="الميزانية العمومية والحسابات الختامية"
    )
    expect(home_link).to_be_visible()
    member.get_by_test_id("next-meeting").get_by_role("link", name="تفاصيل الاجتماع").click()
    link = member.get_by_test_id("documents").get_by_role("link", name="الميزانية العمومية والحسابات الختامية")
    visit(member, "documents-member")
    response = member.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body() == PDF
    member.request.get(live_server.url + link.get_attribute("href"))  # a second look counts once
    assert DocumentView.objects.count() == 1

    english = phone(new_context)
    english.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(english, live_server, saad_account.email, PASSWORD)
    english.goto(live_server.url + reverse("assembly:meeting-member", args=[meeting.pk]))
    expect(english.get_by_test_id("documents")).to_contain_text("The balance sheet and final accounts")
    expect(english.locator("html")).to_have_attribute("dir", "ltr")
    width = english.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360

    board.reload()
    expect(board.get_by_test_id("document-readers")).to_have_text("عدد الأعضاء الذين فتحوه: 1")
    expect(board.locator("main")).not_to_contain_text("سعد بن محمد آل مريح")
    visit(board, "documents-count")
