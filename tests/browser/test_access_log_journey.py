"""The privacy officer's story on a 360 px phone, in Arabic: a clerk working a request opens the member's record and
shows the masked national ID; another clerk opens another member's record; the README's administrator (the demo
account, signed in with the demo password and the authenticator code) opens the staff access log from the menu,
filters it by the member and by the staff member, and finds the clerk's reveal, named as such. axe on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from members import demo
from members.models import AccessLog
from tests.browser.helpers import login
from tests.browser.story import phone, visit
from tests.members.factories import PASSWORD
from tests.requests_app.factories import DepartmentFactory, MemberFactory, RequestTypeFactory
from tests.requests_app.staff_fixtures import make_request, staff_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMINISTRATOR = "admin@najran-coffee.example"  # the README's table of demo logins


@pytest.fixture
def cooperative(db):
    """Two departments, a clerk in each, a member with a request in each clerk's department; the demo's accounts."""
    demo._accounts()
    demo.give_second_factors()
    finance = DepartmentFactory(code="ja-finance", name_ar="الشؤون المالية")
    extension = DepartmentFactory(code="ja-extension", name_ar="الإرشاد الزراعي")
    statement = RequestTypeFactory(department=finance, code="JA-91", name_ar="كشف الأرباح")
    visit_type = RequestTypeFactory(department=extension, code="JA-03", name_ar="طلب زيارة إرشادية")
    saad = MemberFactory(full_name_ar="سعد بن محمد آل مريح", membership_no="10077")
    muna = MemberFactory(full_name_ar="منى بنت حمد آل عباس", membership_no="10088")
    return {
        "amal": staff_in(finance, first_name="أمل", last_name="آل سالم"),
        "majed": staff_in(extension, first_name="ماجد", last_name="اليامي"),
        "saad": saad,
        "muna": muna,
        "statement": make_request(statement, member=saad),
        "visit": make_request(visit_type, member=muna),
    }


def clerk_opens_the_record(page: Page, live_server, service_request, name: str) -> None:
    """From the request the clerk is working, to the member's record (its ID and mobile masked)."""
    page.goto(live_server.url + reverse("requests_app:staff-request", args=[service_request.reference_no]))
    page.get_by_role("link", name="فتح سجل العضو").click()
    expect(page.get_by_role("main")).to_contain_text(service_request.member.full_name_ar)
    expect(page.get_by_role("main")).not_to_contain_text(service_request.member.national_id)
    visit(page, name)


def test_the_administrator_finds_a_clerks_reveal_in_the_access_log(new_context, live_server, cooperative):
    saad, amal = cooperative["saad"], cooperative["amal"]

    # Amal, working Saad's request, opens his record and shows his national ID to read it to him on the phone.
    amal_page = phone(new_context)
    login(amal_page, live_server, amal.email, PASSWORD)
    clerk_opens_the_record(amal_page, live_server, cooperative["statement"], "access-record-masked")
    amal_page.get_by_role("button", name="عرض رقم الهوية الوطنية").click()
    expect(amal_page.get_by_role("main")).to_contain_text(saad.national_id)
    visit(amal_page, "access-record-revealed")
    amal_page.context.close()

    # Majed, in another department, opens Muna's record and reveals nothing.
    majed_page = phone(new_context)
    login(majed_page, live_server, cooperative["majed"].email, PASSWORD)
    clerk_opens_the_record(majed_page, live_server, cooperative["visit"], "access-other-record")
    majed_page.context.close()

    # The administrator of the README signs in and opens the log from the menu.
    page = phone(new_context)
    login(page, live_server, ADMINISTRATOR, demo.DEMO_PASSWORD)
    page.get_by_role("button", name="إظهار القائمة").click()
    page.get_by_role("button", name="المزيد").click()
    page.get_by_role("link", name="سجل الاطلاع").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("سجل الاطلاع على سجلات الأعضاء")
    entries = page.locator("main .list-group-item")
    expect(entries).to_have_count(AccessLog.objects.count())
    visit(page, "access-log")

    # Filtered by Saad's membership number: only what was done with his record, the reveal named as such.
    page.get_by_label("رقم العضوية").fill("١٠٠٧٧")
    page.get_by_role("button", name="تصفية").click()
    expect(entries.filter(has_text="منى بنت حمد آل عباس")).to_have_count(0)
    reveal = entries.filter(has_text="كشف بيانًا مُخفى")
    expect(reveal).to_have_count(1)
    expect(reveal).to_contain_text("رقم الهوية الوطنية")
    expect(reveal).to_contain_text("أمل آل سالم")
    expect(reveal).to_contain_text("سعد بن محمد آل مريح")
    visit(page, "access-log-by-member")

    # Filtered by the staff member: Amal's lines only, Majed's look at Muna's record gone.
    page.get_by_label("رقم العضوية").fill("")
    page.get_by_label("الموظف").select_option(label="أمل آل سالم")
    page.get_by_role("button", name="تصفية").click()
    expect(entries.filter(has_text="ماجد اليامي")).to_have_count(0)
    expect(entries.filter(has_text="كشف بيانًا مُخفى")).to_have_count(1)
    expect(entries).to_have_count(AccessLog.objects.filter(viewer=amal).count())
    visit(page, "access-log-by-staff")

    # And from Majed's name on a line of the full log, his lines alone.
    page.goto(live_server.url + reverse("members:access-log"))
    entries.get_by_role("link", name="ماجد اليامي").first.click()
    expect(entries).to_have_count(AccessLog.objects.filter(viewer=cooperative["majed"]).count())
    expect(entries.filter(has_text="أمل آل سالم")).to_have_count(0)
    expect(entries.first).to_contain_text("فتح سجل العضو")
