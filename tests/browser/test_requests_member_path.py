"""A member's whole path in Arabic: find a service, submit with a document, open the receipt from the SMS link,
answer a return for completion, and verify the receipt's QR code as a stranger would."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from members.models import Notification
from requests_app import receipts, services
from requests_app.models import RequestField, ServiceRequest
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.members.factories import PASSWORD
from tests.requests_app.factories import (
    CategoryFactory,
    FrequentQuestionFactory,
    MemberFactory,
    RequestDocumentFactory,
    RequestFieldFactory,
    RequestTypeFactory,
    department_staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seedlings(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    request_type = RequestTypeFactory(
        code="TST-01",
        category=CategoryFactory(name_ar="المزرعة والإنتاج"),
        name_ar="طلب شتلات بن خولاني",
        name_en="Coffee seedlings request",
        description_ar="شتلات بن من مشتل الجمعية بسعر الأعضاء.",
        sla_days=10,
    )
    RequestFieldFactory(
        request_type=request_type, key="seedlings", label_ar="عدد الشتلات", field_type=RequestField.FieldType.NUMBER
    )
    RequestFieldFactory(
        request_type=request_type,
        key="irrigation",
        label_ar="الري جاهز",
        field_type=RequestField.FieldType.YES_NO,
    )
    RequestDocumentFactory(request_type=request_type, name_ar="صك الملكية", allowed_types="pdf,jpeg,png")
    FrequentQuestionFactory(request_type=request_type, question_ar="هل الشتلات مجانية؟", answer_ar="تُباع بسعر الأعضاء.")
    return request_type


@pytest.fixture
def deed(tmp_path):
    path = tmp_path / "صك الملكية.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return path


def test_a_member_submits_follows_answers_a_return_and_verifies_the_receipt(live_server, page, seedlings, deed):
    member = MemberFactory(full_name_ar="سعيد محمد آل مريح")
    login(page, live_server, member.user.email, PASSWORD)

    # The guide, from the menu: search, read the service and its question.
    page.get_by_role("link", name="دليل الخدمات").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_label("ابحث في الخدمات والأسئلة").fill("شتلات خولاني")
    page.get_by_role("button", name="بحث").click()
    axe_check(page)
    page.get_by_role("link", name="طلب شتلات بن خولاني").click()
    expect(page.get_by_role("main")).to_contain_text("صك الملكية")
    page.get_by_text("هل الشتلات مجانية؟").click()
    expect(page.get_by_text("تُباع بسعر الأعضاء.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="اطلب هذه الخدمة").click()

    # First try without the required document: nothing typed is lost.
    page.get_by_label("عدد الشتلات").fill("٤٠")
    page.get_by_role("radio", name="نعم", exact=True).check()
    page.get_by_role("button", name="قدّم الطلب").click()
    expect(page.get_by_role("alert")).to_contain_text("ما كتبته والملفات المرفقة محفوظة")
    expect(page.get_by_label("عدد الشتلات")).to_have_value("٤٠")
    axe_check(page)
    save_screenshot(page, "request-form-error-ar")
    page.get_by_label("صك الملكية").set_input_files(str(deed))
    page.get_by_role("button", name="قدّم الطلب").click()

    # The request page: reference, status, receipt.
    service_request = ServiceRequest.objects.get()
    expect(page.get_by_role("status")).to_contain_text(service_request.reference_no)
    expect(page.locator(".reference-no")).to_have_text(re.compile(r"^NJC-\d{4}-\d{6}$"))
    expect(page.get_by_role("main")).to_contain_text("مُقدَّم")
    receipt_link = page.get_by_role("link", name=re.compile("إيصال استلام طلب"))
    expect(receipt_link).to_be_visible()
    axe_check(page)
    save_screenshot(page, "request-submitted-ar")
    pdf = page.request.get(live_server.url + receipt_link.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF-")

    # The SMS link opens the request.
    sms = Notification.objects.get(member=member, event="request_submitted", channel="sms")
    page.goto(f"{live_server.url}/n/{sms.token}/")
    expect(page).to_have_url(re.compile(service_request.reference_no))

    # Staff return it for completion; the member sees exactly what is missing and answers.
    staff = department_staff(seedlings.department)
    services.start_review(service_request=service_request, by=staff)
    services.return_to_member(service_request=service_request, by=staff, missing="صورة أوضح من صك الملكية")
    page.goto(live_server.url + "/requests/")
    expect(page.get_by_role("table")).to_contain_text("بانتظارك: استكمل النواقص")
    axe_check(page)
    page.get_by_role("link", name=service_request.reference_no).click()
    expect(page.get_by_role("alert")).to_contain_text("صورة أوضح من صك الملكية")
    page.get_by_role("link", name="استكمل النواقص وأعد التقديم").click()
    page.get_by_label("صك الملكية").set_input_files(str(deed))
    page.get_by_label("ملاحظة للموظفين").fill("أرفقت صورة أوضح.")
    axe_check(page)
    page.get_by_role("button", name="أعد تقديم الطلب").click()
    expect(page.get_by_role("status")).to_contain_text("عاد طلبك إلى الموظفين للمراجعة")
    expect(page.get_by_role("main")).to_contain_text("قيد المراجعة")
    save_screenshot(page, "request-resubmitted-ar")

    # A stranger scans the QR code: the verification page shows the proof, and the name masked.
    receipt = service_request.receipts.get()
    stranger = page.context.browser.new_page(locale="ar-SA")
    stranger.goto(live_server.url + receipts.verification_url(receipt).removeprefix(settings.SITE_URL))
    expect(stranger.get_by_role("main")).to_contain_text(service_request.reference_no)
    expect(stranger.get_by_role("main")).to_contain_text("سعيد م*** آ*** م***")
    expect(stranger.get_by_role("main")).not_to_contain_text("سعيد محمد آل مريح")
    axe_check(stranger)
    save_screenshot(stranger, "receipt-verification-ar")
    stranger.close()


def test_a_double_click_on_submit_makes_one_request(live_server, page, seedlings, deed):
    member = MemberFactory()
    login(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/requests/new/{seedlings.code}/")
    page.get_by_label("عدد الشتلات").fill("12")
    page.get_by_role("radio", name="لا", exact=True).check()
    page.get_by_label("صك الملكية").set_input_files(str(deed))

    page.get_by_role("button", name="قدّم الطلب").dblclick()

    expect(page.get_by_role("status")).to_contain_text("استلمنا طلبك")
    assert ServiceRequest.objects.count() == 1


def test_my_requests_reads_well_on_a_phone(live_server, phone_page, seedlings):
    member = MemberFactory()
    from tests.requests_app.factories import ServiceRequestFactory

    ServiceRequestFactory.create_batch(3, member=member, request_type=seedlings, department=seedlings.department)
    login(phone_page, live_server, member.user.email, PASSWORD)

    phone_page.goto(live_server.url + "/requests/")

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("طلباتي")
    assert phone_page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    expect(phone_page.get_by_role("table")).to_be_hidden()
    expect(phone_page.get_by_role("list").filter(has_text="NJC-")).to_be_visible()
    axe_check(phone_page)
    save_screenshot(phone_page, "my-requests-phone-ar")


def test_a_withdrawn_member_is_told_why_in_arabic(live_server, page, seedlings):
    member = MemberFactory(status="withdrawn")
    login(page, live_server, member.user.email, PASSWORD)

    page.goto(f"{live_server.url}/requests/guide/{seedlings.code}/")

    expect(page.get_by_role("alert")).to_contain_text("انتهت عضويتك بالانسحاب")
    expect(page.get_by_role("link", name="اطلب هذه الخدمة")).to_have_count(0)
    axe_check(page)
