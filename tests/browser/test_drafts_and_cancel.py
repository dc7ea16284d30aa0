"""On a 360 px phone, in Arabic: a member saves a form as a draft, finds it dated in «مسوداتي», opens and submits
it, deletes another after confirming, and cancels a request only after a confirmation page."""

import pytest
from playwright.sync_api import expect

from requests_app.models import Draft, RequestField, ServiceRequest
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.members.factories import PASSWORD
from tests.requests_app.factories import MemberFactory, RequestFieldFactory, RequestTypeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def services_offered(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    seedlings = RequestTypeFactory(code="TST-21", name_ar="طلب شتلات بن", name_en="Seedlings", sla_days=5)
    RequestFieldFactory(
        request_type=seedlings, key="seedlings", label_ar="عدد الشتلات", field_type=RequestField.FieldType.WHOLE_NUMBER
    )
    visit = RequestTypeFactory(code="TST-22", name_ar="طلب زيارة إرشادية", name_en="Visit", sla_days=5)
    RequestFieldFactory(request_type=visit, key="problem", label_ar="وصف المشكلة", field_type="long_text")
    return seedlings, visit


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_member_keeps_drafts_submits_one_and_deletes_another(live_server, phone_page, services_offered):
    page = phone_page
    seedlings, visit = services_offered
    member = MemberFactory(full_name_ar="سعيد محمد آل مريح")
    login(page, live_server, member.user.email, PASSWORD)

    # Two forms started and saved on purpose, half filled.
    page.goto(f"{live_server.url}/requests/new/{seedlings.code}/")
    page.get_by_label("عدد الشتلات").fill("٤٠")
    axe_check(page)
    page.get_by_role("button", name="حفظ كمسودة").click()
    expect(page.get_by_role("heading", name="مسوداتي")).to_be_visible()
    page.goto(f"{live_server.url}/requests/new/{visit.code}/")
    page.get_by_label("وصف المشكلة").fill("اصفرار الأوراق")
    page.get_by_role("button", name="حفظ كمسودة").click()

    # The list: both drafts, dated in both calendars, nothing submitted.
    main = page.get_by_role("main")
    expect(main).to_contain_text("حُفظت المسودة")
    expect(main).to_contain_text("طلب شتلات بن")
    expect(main).to_contain_text("طلب زيارة إرشادية")
    expect(main.locator(".dual-date").first).to_contain_text("هـ")
    assert not ServiceRequest.objects.exists()
    _no_sideways_scroll(page)
    axe_check(page)
    save_screenshot(page, "drafts-list-360-ar")

    # Deleting one asks first; «No» keeps it, «Yes» deletes it.
    page.get_by_role("link", name="حذف المسودة: طلب زيارة إرشادية").click()
    expect(page.get_by_role("heading", name="حذف المسودة؟")).to_be_visible()
    axe_check(page)
    save_screenshot(page, "draft-delete-confirm-360-ar")
    page.get_by_role("link", name="لا، أبقِها").click()
    expect(main).to_contain_text("طلب زيارة إرشادية")
    page.get_by_role("link", name="حذف المسودة: طلب زيارة إرشادية").click()
    page.get_by_role("button", name="نعم، احذف المسودة").click()
    expect(main).to_contain_text("حُذفت المسودة")
    expect(main).not_to_contain_text("طلب زيارة إرشادية")
    assert Draft.objects.filter(request_type=visit).count() == 0

    # The other opens with what was typed and is submitted.
    page.get_by_role("link", name="أكمل وقدّم المسودة: طلب شتلات بن").click()
    expect(page.get_by_label("عدد الشتلات")).to_have_value("٤٠")
    page.get_by_role("button", name="قدّم الطلب").click()
    service_request = ServiceRequest.objects.get()
    expect(page.get_by_role("status")).to_contain_text(service_request.reference_no)
    page.goto(f"{live_server.url}/requests/drafts/")
    expect(main).to_contain_text("لا توجد لديك مسودات")
    axe_check(page)


def test_a_member_cancels_a_request_only_after_confirming(live_server, phone_page, services_offered):
    page = phone_page
    seedlings, _visit = services_offered
    member = MemberFactory(full_name_ar="سعيد محمد آل مريح")
    login(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/requests/new/{seedlings.code}/")
    page.get_by_label("عدد الشتلات").fill("12")
    page.get_by_role("button", name="قدّم الطلب").click()
    service_request = ServiceRequest.objects.get()

    # The request page offers cancelling; the first click only asks.
    page.get_by_role("link", name="ألغِ هذا الطلب").click()
    expect(page.get_by_role("heading", name="إلغاء الطلب؟")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(service_request.reference_no)
    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.SUBMITTED
    _no_sideways_scroll(page)
    axe_check(page)
    save_screenshot(page, "request-cancel-confirm-360-ar")

    # «No» goes back with the request untouched; «Yes» cancels it with the reason.
    page.get_by_role("link", name="لا، أبقِ الطلب").click()
    expect(page.get_by_role("main")).to_contain_text("مُقدَّم")
    page.get_by_role("link", name="ألغِ هذا الطلب").click()
    page.get_by_label("سبب الإلغاء (اختياري)").fill("قدمته بالخطأ")
    page.get_by_role("button", name="نعم، ألغِ الطلب").click()
    expect(page.get_by_role("status")).to_contain_text("أُلغي طلبك")
    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.CANCELLED
    axe_check(page)
    save_screenshot(page, "request-cancelled-360-ar")
