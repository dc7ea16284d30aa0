"""A staff member works a request end to end in Arabic: take it from the queue, start review, return it for
completion, the member resubmits, start work, complete. With axe checks, on a desktop and on a 360 px phone."""

import pytest
from playwright.sync_api import expect

from members.roles import Role
from requests_app.models import DepartmentMembership, ServiceRequest
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.members.factories import PASSWORD
from tests.requests_app.factories import (
    CategoryFactory,
    DepartmentFactory,
    MemberFactory,
    RequestTypeFactory,
    ServiceRequestFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = ServiceRequest.Status


@pytest.fixture(autouse=True)
def no_survey_receivers(monkeypatch):
    """The surveys app answers request_completed with an invitation from its seeded questionnaire, which a
    transactional test flushes; the survey path has its own browser test."""
    from requests_app.signals import request_completed

    monkeypatch.setattr(request_completed, "receivers", [])


@pytest.fixture
def department(db):
    return DepartmentFactory(code="tq-extension", name_ar="الإرشاد الزراعي", name_en="Extension")


@pytest.fixture
def clerk(department):
    user = UserFactory(first_name="فهد", last_name="آل سالم", roles=[Role.STAFF])
    DepartmentMembership.objects.create(department=department, user=user)
    return user


@pytest.fixture
def service_request(department):
    request_type = RequestTypeFactory(
        code="TQ-03",
        category=CategoryFactory(name_ar="المزرعة والإنتاج"),
        department=department,
        name_ar="طلب زيارة إرشادية",
        name_en="Extension visit",
        sla_days=5,
    )
    member = MemberFactory(full_name_ar="سعيد محمد آل مريح", mobile="+966551112233")
    ServiceRequestFactory(request_type=request_type, department=department, assignee=None)  # another row
    return ServiceRequestFactory(
        request_type=request_type,
        department=department,
        member=member,
        reference_no="NJC-2026-000321",
        answers=[
            {
                "key": "trees",
                "label_ar": "عدد الأشجار",
                "label_en": "Trees",
                "value": "120",
                "display_ar": "120",
                "display_en": "120",
            },
        ],
    )


def test_staff_work_a_request_end_to_end_in_arabic(page, live_server, clerk, service_request):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, clerk.email, PASSWORD)

    page.get_by_role("link", name="قائمة العمل").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("قائمة العمل")
    row = page.locator("tr", has_text="NJC-2026-000321")
    expect(row).to_contain_text("سعيد محمد آل مريح")
    axe_check(page)
    save_screenshot(page, "staff-queue-desktop")

    # Take it: htmx swaps the row in place; the page is not reloaded.
    row.get_by_role("button", name="استلام").click()
    expect(row).to_contain_text("فهد آل سالم")
    expect(row.get_by_role("button", name="استلام")).to_have_count(0)

    row.get_by_role("link", name="NJC-2026-000321").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("طلب زيارة إرشادية")
    expect(page.get_by_role("main")).to_contain_text("عدد الأشجار")
    axe_check(page)

    page.get_by_role("button", name="بدء المراجعة").click()
    expect(page.get_by_role("status")).to_contain_text("قيد المراجعة")

    page.get_by_role("textbox", name="النواقص").fill("صورة واضحة من صك الملكية")
    page.get_by_role("button", name="إعادة الطلب للعضو لاستكمال النواقص").click()
    expect(page.get_by_role("status")).to_contain_text("معاد لاستكمال النواقص")
    save_screenshot(page, "staff-request-returned-desktop")

    # The member completes it in their own browser.
    member_page = page.context.browser.new_page(locale="ar-SA")
    login(member_page, live_server, service_request.member.user.email, PASSWORD)
    member_page.goto(f"{live_server.url}/requests/NJC-2026-000321/resubmit/")
    member_page.get_by_role("textbox", name="ملاحظة").fill("أرفقت الصك مع هذه الملاحظة")
    member_page.get_by_role("button", name="أعد تقديم الطلب").click()
    expect(member_page.get_by_role("main")).to_contain_text("قيد المراجعة")
    member_page.close()

    page.reload()
    expect(page.get_by_role("main")).to_contain_text("أرفقت الصك مع هذه الملاحظة")
    page.get_by_role("button", name="بدء التنفيذ").click()
    expect(page.get_by_role("status")).to_contain_text("قيد التنفيذ")

    # Rejecting without a reason: a clear Arabic error, nothing changes.
    page.get_by_role("button", name="رفض الطلب").click()
    expect(page.get_by_role("main")).to_contain_text("الرفض يحتاج إلى سبب")

    page.get_by_role("textbox", name="النتيجة").fill("زارك المرشد الزراعي وأرفق تقرير التوصيات.")
    page.get_by_role("button", name="إكمال الطلب").click()
    expect(page.get_by_role("status")).to_contain_text("مكتمل")
    axe_check(page)
    save_screenshot(page, "staff-request-completed-desktop")

    service_request.refresh_from_db()
    assert service_request.status == Status.COMPLETED
    assert service_request.assignee == clerk
    assert list(service_request.timeline.filter(kind="status_changed").values_list("to_status", flat=True)) == [
        Status.UNDER_REVIEW,
        Status.RETURNED_TO_MEMBER,
        Status.UNDER_REVIEW,
        Status.IN_PROGRESS,
        Status.COMPLETED,
    ]


def test_staff_pages_on_a_phone(phone_page, live_server, clerk, service_request):
    login(phone_page, live_server, clerk.email, PASSWORD)

    phone_page.goto(f"{live_server.url}/requests/staff/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("أعمالي")
    axe_check(phone_page)
    save_screenshot(phone_page, "staff-home-phone")

    phone_page.goto(f"{live_server.url}/requests/staff/queue/")
    axe_check(phone_page)
    save_screenshot(phone_page, "staff-queue-phone")
    phone_page.locator("tr", has_text="NJC-2026-000321").get_by_role("button", name="استلام").click()
    expect(phone_page.locator("tr", has_text="NJC-2026-000321")).to_contain_text("فهد آل سالم")

    phone_page.goto(f"{live_server.url}/requests/staff/requests/NJC-2026-000321/")
    axe_check(phone_page)
    save_screenshot(phone_page, "staff-request-phone")
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the request page scrolls sideways on a phone ({width} px)"
