"""On a 360 px phone, in Arabic: a member asks for their data as a PDF from the profile, is told it is being
prepared, and downloads it from the same page when it is ready."""

import pytest
from playwright.sync_api import expect

from members.models import DataExport
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.members.factories import PASSWORD
from tests.requests_app.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def test_a_member_prepares_and_downloads_their_data(live_server, phone_page):
    page = phone_page
    member = MemberFactory(full_name_ar="سعيد محمد آل مريح")
    login(page, live_server, member.user.email, PASSWORD)

    page.goto(f"{live_server.url}/members/me/")
    page.get_by_role("link", name="تنزيل بصيغة PDF").click()
    expect(page.get_by_role("heading", name="بياناتي بصيغة PDF")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="جهّز بياناتي بصيغة PDF").click()

    # The test settings run tasks at once, so the page already offers the file; a real worker takes seconds.
    expect(page.get_by_role("status")).to_contain_text("ملفك جاهز")
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    save_screenshot(page, "data-export-ready-360-ar")
    export = DataExport.objects.get(member=member)
    with page.expect_download() as download:
        page.get_by_role("link", name="نزّل ملف PDF").click()
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    assert export.public_id.hex not in download.value.suggested_filename
