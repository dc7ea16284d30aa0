"""A supervisor of two departments works the queue on a 360 px phone, in Arabic: from the home page's
department link to that department's queue, a view of her own saved and deleted, «استلام» never offered on a
closed request, a request waiting for the board on the board's clock, a bulk assignment that names the
request it refused. Then a board member meets their own request on the board's list. axe on every page."""

import datetime

import pytest
from playwright.sync_api import expect

from members.roles import Role
from requests_app.models import DepartmentMembership, SavedQueueView, ServiceRequest
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.members.factories import PASSWORD
from tests.requests_app.factories import (
    DepartmentFactory,
    MemberFactory,
    RequestTypeFactory,
    ServiceRequestFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = ServiceRequest.Status


def fits_the_phone(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways on a phone ({width} px)"


@pytest.fixture
def story(db):
    extension = DepartmentFactory(code="tq-extension", name_ar="الإرشاد الزراعي", name_en="Extension")
    finance = DepartmentFactory(code="tq-finance", name_ar="الشؤون المالية", name_en="Finance")
    supervisor = UserFactory(first_name="نورة", last_name="آل منصور", roles=[Role.SUPERVISOR, Role.STAFF])
    clerk = UserFactory(first_name="ماجد", last_name="المالي", roles=[Role.STAFF])
    for department in (extension, finance):
        DepartmentMembership.objects.create(department=department, user=supervisor, is_supervisor=True)
    DepartmentMembership.objects.create(department=finance, user=clerk)
    visit = RequestTypeFactory(department=extension, code="TQ-03", name_ar="طلب زيارة إرشادية")
    statement = RequestTypeFactory(department=finance, code="TQ-91", name_ar="كشف الأرباح")
    transfer = RequestTypeFactory(
        department=finance, code="TQ-MEM03", name_ar="التنازل عن الأسهم", needs_board_decision=True
    )
    member = MemberFactory(full_name_ar="سعيد محمد آل مريح")
    rows = {
        "visit": ServiceRequestFactory(request_type=visit, department=extension, reference_no="NJC-2026-000101"),
        "open": ServiceRequestFactory(
            request_type=statement, department=finance, member=member, reference_no="NJC-2026-000201"
        ),
        "closed": ServiceRequestFactory(
            request_type=statement, department=finance, status=Status.COMPLETED, reference_no="NJC-2026-000202"
        ),
        "board": ServiceRequestFactory(
            request_type=transfer,
            department=finance,
            status=Status.PENDING_BOARD_DECISION,
            due_date=datetime.date(2026, 1, 1),
            reference_no="NJC-2026-000203",
        ),
    }
    return {"supervisor": supervisor, "clerk": clerk, "finance": finance, **rows}


def test_a_supervisor_works_the_queue_on_a_phone(phone_page, live_server, story):
    page = phone_page
    login(page, live_server, story["supervisor"].email, PASSWORD)

    page.goto(f"{live_server.url}/requests/staff/")
    axe_check(page)
    fits_the_phone(page)
    # The home page's department link opens that department's queue.
    page.get_by_role("link", name="الشؤون المالية").click()
    expect(page.get_by_label("الإدارة")).to_have_value(str(story["finance"].pk))
    expect(page.locator("tr", has_text="NJC-2026-000201")).to_be_visible()
    expect(page.locator("tr", has_text="NJC-2026-000101")).to_have_count(0)
    # Waiting for the board: on the board's clock, not the department's lateness.
    expect(page.locator("tr", has_text="NJC-2026-000203")).to_contain_text("لدى مجلس الإدارة")
    axe_check(page)
    fits_the_phone(page)
    save_screenshot(page, "staff-queue-department-phone")

    # Closed requests too: «استلام» is offered on the open one only.
    page.get_by_label("الحالة").select_option(label="الكل، مع المغلقة")
    page.get_by_role("button", name="عرض", exact=True).click()
    expect(page.locator("tr", has_text="NJC-2026-000202").get_by_role("button", name="استلام")).to_have_count(0)
    expect(page.locator("tr", has_text="NJC-2026-000201").get_by_role("button", name="استلام")).to_have_count(1)

    # She keeps this as a view of her own: a tab with her name for it.
    page.get_by_label("احفظ هذه التصفية عرضًا باسم").fill("المالية كلها")
    page.get_by_role("button", name="حفظ العرض").click()
    expect(page.get_by_role("link", name="المالية كلها")).to_have_attribute("aria-current", "page")
    axe_check(page)
    fits_the_phone(page)
    save_screenshot(page, "staff-queue-saved-view-phone")

    # A bulk assignment over an open and a closed request: the closed one is named as refused.
    page.get_by_role("checkbox", name="NJC-2026-000201").check()
    page.get_by_role("checkbox", name="NJC-2026-000202").check()
    page.get_by_label("إسناد الطلبات المحددة إلى").select_option(label="ماجد المالي")
    page.get_by_role("button", name="إسناد", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("أُسند طلب واحد إلى ماجد المالي")
    expect(page.locator(".alert-warning")).to_contain_text("NJC-2026-000202")
    expect(page.locator(".alert-warning")).to_contain_text("الطلب مغلق")
    axe_check(page)
    fits_the_phone(page)
    save_screenshot(page, "staff-queue-bulk-refused-phone")

    page.get_by_role("link", name="المالية كلها").click()
    page.get_by_role("button", name="حذف العرض «المالية كلها»").click()
    expect(page.get_by_role("link", name="المالية كلها")).to_have_count(0)
    assert not SavedQueueView.objects.exists()
    story["open"].refresh_from_db()
    story["closed"].refresh_from_db()
    assert (story["open"].assignee, story["closed"].assignee) == (story["clerk"], None)


def test_a_board_member_is_told_plainly_why_their_own_request_is_not_theirs_to_decide(phone_page, live_server, story):
    board_member = UserFactory(first_name="علي", last_name="آل حارث", roles=[Role.BOARD])
    own = story["board"]
    own.member = MemberFactory(user=board_member, full_name_ar="علي آل حارث")
    own.save(update_fields=["member"])
    login(phone_page, live_server, board_member.email, PASSWORD)

    phone_page.goto(f"{live_server.url}/requests/staff/board/")
    row = phone_page.locator("tr", has_text="NJC-2026-000203")
    expect(row).to_contain_text("هذا طلبك أنت")
    expect(row.get_by_role("link", name="تسجيل القرار")).to_have_count(0)
    axe_check(phone_page)
    fits_the_phone(phone_page)
    save_screenshot(phone_page, "board-list-own-request-phone")
