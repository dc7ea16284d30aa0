import json
import re

import pytest
from playwright.sync_api import Page, expect

from members.models import Member, MemberImport
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.members.factories import PASSWORD, MemberFactory, UserFactory
from tests.members.test_importing import as_csv, rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Bunn-Najran-4471"


@pytest.fixture(autouse=True)
def roles_exist(db):
    """Transactional tests flush the tables, the roles' groups from the data migration with them."""
    from django.contrib.auth.models import Group

    from members.roles import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    return settings.SMS_FILE_PATH


def last_code(sms_file) -> str:
    message = json.loads(sms_file.read_text(encoding="utf-8").splitlines()[-1])
    return re.search(r"\d{6}", message["text"]).group(0)


def test_a_member_activates_sets_a_password_and_signs_in_with_the_mobile(page: Page, live_server, sms_file):
    member = MemberFactory(membership_no="10077", national_id="1000000008", mobile="+966500000777")

    page.goto(f"{live_server.url}/members/activate/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    axe_check(page)
    save_screenshot(page, "members-activate")
    page.get_by_label("رقم العضوية").fill("١٠٠٧٧")
    page.get_by_label("رقم الهوية الوطنية").fill("١٠٠٠٠٠٠٠٠٨")
    page.get_by_role("button", name="أرسل لي الرمز").click()

    expect(page.get_by_role("heading", name="أدخل الرمز")).to_be_visible()
    axe_check(page)
    save_screenshot(page, "members-activate-code")
    page.get_by_label("رمز التحقق المرسل إليك").fill(last_code(sms_file))
    page.get_by_role("button", name="تأكيد").click()

    expect(page.get_by_role("heading", name="اختر كلمة المرور")).to_be_visible()
    axe_check(page)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="حفظ كلمة المرور").click()

    expect(page.locator(".alert-success")).to_contain_text("حسابك جاهز")
    axe_check(page)
    save_screenshot(page, "members-sign-in-after-activation")
    login(page, live_server, "0500000777", NEW_PASSWORD)
    page.goto(f"{live_server.url}/members/me/")
    expect(page.get_by_role("heading", name="ملفي الشخصي")).to_be_visible()
    expect(page.locator("main")).to_contain_text(member.full_name_ar)
    axe_check(page)
    save_screenshot(page, "members-profile")


def test_staff_see_the_import_preview_with_each_rows_problems_then_import(page: Page, live_server):
    staff = UserFactory(username="staff-b", email="staff-b@example.org", roles=["staff"])
    table = rows(12)
    table[1][1] = "1000000009"
    table[4][2] = "=cmd|' /C calc'!A0"
    login(page, live_server, staff.email, PASSWORD)

    page.goto(f"{live_server.url}/members/import/")
    axe_check(page)
    page.get_by_label("ملف السجل").set_input_files(
        files=[{"name": "register.csv", "mimeType": "text/csv", "buffer": as_csv(table)}]
    )
    page.get_by_role("button", name="فحص الملف").click()

    problems = page.locator("table.import-problems tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.first).to_contain_text("رقم الهوية هذا غير صحيح")
    expect(problems.nth(1)).to_contain_text("صيغة")
    expect(page.get_by_role("button", name=re.compile("استيراد"))).to_have_count(0)
    axe_check(page)
    save_screenshot(page, "members-import-preview-problems")
    assert not Member.objects.exists()

    page.goto(f"{live_server.url}/members/import/")
    page.get_by_label("ملف السجل").set_input_files(
        files=[{"name": "register.csv", "mimeType": "text/csv", "buffer": as_csv(rows(12))}]
    )
    page.get_by_role("button", name="فحص الملف").click()
    page.get_by_role("button", name=re.compile("استيراد 12")).click()

    expect(page.locator(".alert-success").first).to_contain_text("12")
    axe_check(page)
    save_screenshot(page, "members-import-done")
    assert Member.objects.count() == 12
    assert MemberImport.objects.filter(status=MemberImport.Status.COMMITTED).count() == 1


def test_staff_find_a_member_by_name_typed_without_hamza(page: Page, live_server):
    from requests_app.models import DepartmentMembership
    from tests.requests_app.factories import RequestTypeFactory

    staff = UserFactory(username="staff-c", email="staff-c@example.org", roles=["staff"])
    # Staff of the department that handles admissions keep the register: the directory shows them every member.
    DepartmentMembership.objects.create(department=RequestTypeFactory(needs_board_decision=True).department, user=staff)
    wanted = MemberFactory(full_name_ar="أحمد بن سالم آل مريح")
    MemberFactory.create_batch(5)
    login(page, live_server, staff.email, PASSWORD)

    page.goto(f"{live_server.url}/members/directory/")
    page.get_by_label("الاسم أو رقم العضوية").fill("احمد")
    page.get_by_role("button", name="بحث").click()
    page.get_by_role("link", name=wanted.full_name_ar).click()

    expect(page.get_by_role("heading", name=wanted.full_name_ar)).to_be_visible()
    axe_check(page)
    save_screenshot(page, "members-member-page")


def test_the_profile_reads_well_on_a_phone_in_english(phone_page: Page, live_server):
    from tests.members.factories import member_account

    member = member_account(full_name_ar="سعيد بن محمد آل مريح", full_name_en="Saeed Al Muraih")
    phone_page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(phone_page, live_server, "0" + str(member.mobile)[4:], PASSWORD)

    phone_page.goto(f"{live_server.url}/members/me/")

    expect(phone_page.locator("html")).to_have_attribute("dir", "ltr")
    expect(phone_page.get_by_role("heading", name="My profile")).to_be_visible()
    axe_check(phone_page)
    save_screenshot(phone_page, "members-profile-phone-en")
