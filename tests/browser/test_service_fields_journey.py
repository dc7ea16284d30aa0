"""A member on a 360 px phone, in Arabic, fills a service's own fields as people type them: an IBAN with a wrong
check digit, a national ID with a wrong check digit, a mobile no Saudi network gives (052…), counts and amounts in
Arabic-Indic digits. Each mistake gets its Arabic error beside its field and nothing is submitted; corrected, the
request goes in and the clerk reads the values as stored (the IBAN as typed without spaces, the digits as numbers,
the mobile in full). Then the catalogue's own withdrawal (MEM-04) and share transfer (MEM-03), as seeded, check
their IBAN and ID the same way. axe on every page visited."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from requests_app.models import Draft, RequestField, ServiceRequest
from tests.browser.helpers import login
from tests.browser.story import phone, visit
from tests.members.factories import PASSWORD
from tests.requests_app.factories import DepartmentFactory, MemberFactory, RequestFieldFactory, RequestTypeFactory
from tests.requests_app.staff_fixtures import staff_in
from tests.seed_data import restore_seed_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Type = RequestField.FieldType

GOOD_IBAN = "SA03 8000 0000 6080 1016 7519"  # as printed on a bank's IBAN certificate, in groups of four
BAD_IBAN = "SA03 8000 0000 6080 1016 7518"  # one digit wrong: the mod-97 check fails
# (key, label, type): the heirs' refund asks for the deceased's ID and the heirs' IBAN (catalogue MEM-05); the
# agent's mobile, the number of heirs and the amount are the kinds of field the other services ask.
FIELDS = [
    ("deceased_id", "رقم هوية المتوفى", Type.NATIONAL_ID),
    ("iban", "رقم الآيبان", Type.IBAN),
    ("agent_mobile", "جوال الوكيل الشرعي", Type.MOBILE),
    ("heirs", "عدد الورثة", Type.WHOLE_NUMBER),
    ("amount", "قيمة الأسهم المطلوب ردها (ريال)", Type.NUMBER),
]


@pytest.fixture
def heirs_refund(db):
    department = DepartmentFactory(code="jf-member-services", name_ar="شؤون الأعضاء والمساهمين")
    request_type = RequestTypeFactory(
        code="JF-05", name_ar="رد قيمة أسهم عضو متوفى", department=department, sla_days=10
    )
    for order, (key, label, field_type) in enumerate(FIELDS):
        RequestFieldFactory(request_type=request_type, key=key, label_ar=label, field_type=field_type, order=order)
    clerk = staff_in(department, first_name="فهد", last_name="آل سالم")
    return {"service": request_type, "clerk": clerk}


def fill(page: Page, answers: dict[str, str]) -> None:
    for label, value in answers.items():
        page.get_by_label(label).fill(value)


def error_beside(page: Page, key: str):
    """The message shown under one field (crispy's block for the field: label, input, error)."""
    return page.locator(f"#div_id_{key} .invalid-feedback")


def test_a_member_corrects_what_the_form_refused_and_the_clerk_reads_the_values(new_context, live_server, heirs_refund):
    member = MemberFactory(full_name_ar="مانع بن سعيد آل عباس")
    page = phone(new_context)
    login(page, live_server, member.user.email, PASSWORD)
    page.goto(live_server.url + reverse("requests_app:request-submit", args=["JF-05"]))
    visit(page, "fields-form")

    # Manea copies the IBAN with one digit wrong, the ID with a wrong last digit, and a 052 mobile; he types the
    # number of heirs and the amount in Arabic-Indic digits, and the amount with a word after it.
    fill(
        page,
        {
            "رقم هوية المتوفى": "1000000007",
            "رقم الآيبان": BAD_IBAN,
            "جوال الوكيل الشرعي": "0521234567",
            "عدد الورثة": "٤",
            "قيمة الأسهم المطلوب ردها (ريال)": "١٢٥٠٠ ريال",
        },
    )
    page.get_by_role("button", name="قدّم الطلب").click()

    expect(page.get_by_role("alert")).to_contain_text("يُرجى تصحيح ما هو مُعلَّم أدناه")
    expect(error_beside(page, "iban")).to_contain_text("رقم الآيبان هذا غير صحيح")
    expect(error_beside(page, "deceased_id")).to_contain_text("رقم الهوية هذا غير صحيح")
    expect(error_beside(page, "agent_mobile")).to_contain_text("هذا ليس رقم جوال على شبكة سعودية (052…)")
    expect(error_beside(page, "amount")).to_contain_text("أدخل رقمًا بالأرقام فقط")
    expect(error_beside(page, "heirs")).to_have_count(0)  # Arabic-Indic digits are digits
    expect(page.get_by_label("عدد الورثة")).to_have_value("٤")  # what he typed is kept
    assert not ServiceRequest.objects.exists()
    visit(page, "fields-refused")

    # An IBAN cut short is told how long it must be.
    fill(page, {"رقم الآيبان": "SA03 8000 0000 6080 1016"})
    page.get_by_role("button", name="قدّم الطلب").click()
    expect(error_beside(page, "iban")).to_contain_text("24 خانة")
    assert not ServiceRequest.objects.exists()

    # He corrects each field, typing the ID and the mobile in Arabic-Indic digits as his keyboard gives them.
    fill(
        page,
        {
            "رقم هوية المتوفى": "١٠٠٠٠٠٠٠٠٨",
            "رقم الآيبان": GOOD_IBAN,
            "جوال الوكيل الشرعي": "٠٥٥١٢٣٤٥٦٧",
            "عدد الورثة": "٤",
            "قيمة الأسهم المطلوب ردها (ريال)": "١٢٥٠٠٫٥٠",
        },
    )
    page.get_by_role("button", name="قدّم الطلب").click()
    service_request = ServiceRequest.objects.get(request_type__code="JF-05")
    expect(page.get_by_role("main")).to_contain_text(service_request.reference_no)
    visit(page, "fields-submitted")
    stored = {answer["key"]: answer["value"] for answer in service_request.answers}
    assert stored == {
        "deceased_id": "1000000008",
        "iban": "SA0380000000608010167519",
        "agent_mobile": "+966551234567",
        "heirs": 4,
        "amount": "12500.5",
    }
    assert Draft.objects.get().service_request == service_request  # the kept draft is this request now

    # The clerk opens the request on her phone and reads the values as stored, digits and all.
    staff_page = phone(new_context)
    login(staff_page, live_server, heirs_refund["clerk"].email, PASSWORD)
    staff_page.goto(live_server.url + reverse("requests_app:staff-request", args=[service_request.reference_no]))
    answers = staff_page.locator("section[aria-labelledby=answers-title]")
    for value in ("1000000008", "SA0380000000608010167519", "+966551234567", "12500.5"):
        expect(answers).to_contain_text(value)
    expect(answers.locator("dd").nth(3)).to_have_text("4")
    visit(staff_page, "fields-staff")


@pytest.fixture
def catalogue(settings, tmp_path):
    """The seed catalogue as an installation has it (a transactional test starts from an emptied database)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    restore_seed_data()
    certificate = tmp_path / "iban-certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    return certificate


def test_the_catalogues_withdrawal_and_share_transfer_check_the_iban_and_the_id(new_context, live_server, catalogue):
    member = MemberFactory(full_name_ar="ناصر بن علي اليامي", shares=30)
    page = phone(new_context)
    login(page, live_server, member.user.email, PASSWORD)

    # The withdrawal (MEM-04): a wrong IBAN is refused beside its field, the certificate kept for the next try.
    page.goto(live_server.url + reverse("requests_app:request-submit", args=["MEM-04"]))
    fill(page, {"سبب الانسحاب": "الانتقال إلى الرياض", "رقم الآيبان": BAD_IBAN})
    page.get_by_label("شهادة الآيبان").set_input_files(catalogue)
    page.get_by_role("button", name="قدّم الطلب").click()
    expect(error_beside(page, "iban")).to_contain_text("رقم الآيبان هذا غير صحيح")
    assert not ServiceRequest.objects.exists()
    visit(page, "catalogue-withdrawal-refused")
    fill(page, {"رقم الآيبان": GOOD_IBAN})
    page.get_by_role("button", name="قدّم الطلب").click()
    withdrawal = ServiceRequest.objects.get(request_type__code="MEM-04")
    expect(page.get_by_role("main")).to_contain_text(withdrawal.reference_no)
    assert {a["key"]: a["value"] for a in withdrawal.answers}["iban"] == "SA0380000000608010167519"
    assert withdrawal.attachments.count() == 1

    # The share transfer (MEM-03): the transferee's ID is checked, the shares read in Arabic-Indic digits.
    page.goto(live_server.url + reverse("requests_app:request-submit", args=["MEM-03"]))
    fill(page, {"رقم هوية المتنازَل له": "1000000007", "اسم المتنازَل له": "سالم بن مانع", "عدد الأسهم": "١٥"})
    page.get_by_role("button", name="قدّم الطلب").click()
    expect(error_beside(page, "transferee_id")).to_contain_text("رقم الهوية هذا غير صحيح")
    assert not ServiceRequest.objects.filter(request_type__code="MEM-03").exists()
    visit(page, "catalogue-transfer-refused")
    fill(page, {"رقم هوية المتنازَل له": "١٠٠٠٠٠٠٠٠٨"})
    page.get_by_role("button", name="قدّم الطلب").click()
    transfer = ServiceRequest.objects.get(request_type__code="MEM-03")
    expect(page.get_by_role("main")).to_contain_text(transfer.reference_no)
    stored = {answer["key"]: answer["value"] for answer in transfer.answers}
    assert (stored["transferee_id"], stored["shares"]) == ("1000000008", 15)
