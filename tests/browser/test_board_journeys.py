"""The journeys that end with the board, told as the people live them, in Arabic on a 360 px phone: an applicant
becomes a member, a member transfers shares, a member withdraws. Each goes from the first click to the last effect
(the register, the SMS, the inbox), with axe on every page visited."""

import importlib
import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from members.models import Member
from members.roles import Role
from requests_app.models import RequestField, RequestType, ServiceRequest
from surveys.models import Questionnaire, QuestionnaireVersion
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.members.factories import PASSWORD
from tests.requests_app.factories import (
    DepartmentFactory,
    MemberFactory,
    RequestFieldFactory,
    RequestTypeFactory,
    UserFactory,
)
from tests.requests_app.staff_fixtures import staff_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SURVEY_SEED = importlib.import_module("surveys.migrations.0002_seed_default_questionnaire")
BOARD_NOTE = "ملاحظة للمجلس: الحيازة موثقة ميدانيًا"
NEW_PASSWORD = "Bunn-Najran-1448"


@pytest.fixture(autouse=True)
def private_files_and_sms(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    return settings.SMS_FILE_PATH


def sms_to(settings, mobile: str) -> list[str]:
    """The SMS sink: the texts sent to one mobile, oldest first."""
    if not settings.SMS_FILE_PATH.exists():
        return []
    lines = [json.loads(line) for line in settings.SMS_FILE_PATH.read_text(encoding="utf-8").splitlines()]
    return [line["text"] for line in lines if line["to"].endswith(mobile[-9:])]


@pytest.fixture
def cooperative(db):
    """The member-services department, its clerk, a board member, and the shares already held by others."""
    # The seed catalogue may be there or not (transactional tests flush it): these stories bring their own services.
    RequestType.objects.update(active=False)
    # A completed or rejected request is followed by a survey invitation: the seed's questionnaire is put back.
    questionnaire, created = Questionnaire.objects.get_or_create(
        code="default", defaults={"name": "الاستبانة العامة", "is_default": True, **SURVEY_SEED.DEFAULT}
    )
    if created:
        QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, content=SURVEY_SEED.DEFAULT)
    department = DepartmentFactory(code="jr-member-services", name_ar="شؤون الأعضاء والمساهمين")
    clerk = staff_in(department, first_name="فهد", last_name="آل سالم")
    board = UserFactory(roles=[Role.BOARD], first_name="علي", last_name="آل حارث")
    MemberFactory(shares=5000, full_name_ar="مساهم مؤسس")
    return {"department": department, "clerk": clerk, "board": board}


def service(cooperative, *, code: str, kind: str, name_ar: str, audience: str, fields: list[tuple]) -> RequestType:
    request_type = RequestTypeFactory(
        code=code,
        kind=kind,
        name_ar=name_ar,
        audience=audience,
        department=cooperative["department"],
        needs_board_decision=True,
        sla_days=15,
    )
    for order, (key, label, field_type) in enumerate(fields):
        RequestFieldFactory(request_type=request_type, key=key, label_ar=label, field_type=field_type, order=order)
    return request_type


def phone(new_context) -> Page:
    return new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True).new_page()


def visit(page: Page, name: str) -> None:
    """Every page of the story: Arabic, right to left, nothing wider than the phone, accessible; a screenshot kept."""
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"], page.url
    axe_check(page)
    save_screenshot(page, f"journey-{name}")


def staff_refer_to_the_board(new_context, live_server, clerk, reference_no: str) -> None:
    """The clerk opens the request, reviews it, starts the work and refers it with a note for the board."""
    page = phone(new_context)
    login(page, live_server, clerk.email, PASSWORD)
    page.goto(live_server.url + reverse("requests_app:staff-request", args=[reference_no]))
    visit(page, f"{reference_no}-staff")
    page.get_by_role("button", name="بدء المراجعة").click()
    page.get_by_role("button", name="بدء التنفيذ").click()
    note = page.get_by_label("ملاحظة لمجلس الإدارة (اختيارية)")
    expect(page.locator(f"#{note.get_attribute('aria-describedby').split()[0]}")).to_contain_text("لا يراه العضو")
    note.fill(BOARD_NOTE)
    page.get_by_role("button", name="رفع الطلب لمجلس الإدارة").click()
    expect(page.get_by_role("main")).to_contain_text("بانتظار")
    expect(page.get_by_role("main")).to_contain_text(BOARD_NOTE)
    visit(page, f"{reference_no}-referred")
    page.context.close()


def board_decides(new_context, live_server, board, reference_no: str, *, refund: str = "") -> None:
    """A board member opens the list, reads the note written for the board, and records the approval."""
    page = phone(new_context)
    login(page, live_server, board.email, PASSWORD)
    page.goto(live_server.url + reverse("requests_app:board-decisions"))
    visit(page, f"{reference_no}-board-list")
    page.get_by_role("link", name=re.compile(f"تسجيل القرار.*{reference_no}")).click()
    expect(page.get_by_role("main")).to_contain_text(BOARD_NOTE)
    visit(page, f"{reference_no}-board-decision")
    page.get_by_role("radio", name="معتمد", exact=True).check()
    page.get_by_label("رقم الاجتماع").fill("14/1448")
    page.get_by_label("نص القرار كما سيقرؤه العضو").fill("وافق المجلس على الطلب.")
    if refund:
        page.get_by_label("المبلغ المستحق للعضو (ريال)").fill(refund)
    page.get_by_role("button", name="تسجيل القرار").click()
    expect(page.get_by_role("main")).to_contain_text("سُجّل القرار وأُبلغ العضو")
    visit(page, f"{reference_no}-board-recorded")
    page.context.close()


def test_an_applicant_registers_applies_and_becomes_a_member(new_context, live_server, cooperative, settings):
    service(
        cooperative,
        code="JR-MEM-01",
        kind=RequestType.Kind.MEMBERSHIP_APPLICATION,
        name_ar="طلب عضوية جديدة",
        audience=RequestType.Audience.APPLICANTS,
        fields=[
            ("village", "المركز أو القرية", RequestField.FieldType.TEXT),
            ("shares", "عدد الأسهم المطلوبة", RequestField.FieldType.WHOLE_NUMBER),
        ],
    )
    page = phone(new_context)

    # Hessa registers with her ID and mobile, proves the mobile with the code, and chooses a password.
    page.goto(f"{live_server.url}/members/register/")
    visit(page, "register")
    page.locator("#id_national_id").fill("1000000008")
    page.locator("#id_mobile").fill("0551234567")
    page.get_by_label("الاسم الرباعي بالعربية").fill("حصة بنت سالم بن علي اليامي")
    page.locator("#id_governorate").select_option("najran")
    page.locator("#id_agree").check()
    page.get_by_role("button", name="أرسل لي الرمز").click()
    expect(page.get_by_role("heading", name="أدخل الرمز")).to_be_visible()
    visit(page, "register-code")
    code = re.search(r"\d{6}", sms_to(settings, "0551234567")[-1]).group(0)
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name="تأكيد").click()
    expect(page.get_by_role("heading", name="اختر كلمة المرور")).to_be_visible()
    visit(page, "register-password")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="تسجيل").click()
    login(page, live_server, "0551234567", NEW_PASSWORD)

    # Her profile leads her to the application; she asks for 30 shares.
    page.goto(f"{live_server.url}/members/me/")
    expect(page.get_by_role("main")).to_contain_text("طالب العضوية")
    visit(page, "applicant-profile")
    page.get_by_role("link", name="تقديم طلب العضوية").click()
    visit(page, "application-form")
    page.get_by_label("المركز أو القرية").fill("هدادة")
    page.get_by_label("عدد الأسهم المطلوبة").fill("٣٠")
    page.get_by_role("button", name="قدّم الطلب").click()
    application = ServiceRequest.objects.get(request_type__code="JR-MEM-01")
    expect(page.get_by_role("main")).to_contain_text(application.reference_no)
    visit(page, "application-submitted")

    # Her profile now leads to the open application.
    page.goto(f"{live_server.url}/members/me/")
    page.get_by_role("link", name="متابعة طلب العضوية").click()
    expect(page).to_have_url(re.compile(application.reference_no))

    staff_refer_to_the_board(new_context, live_server, cooperative["clerk"], application.reference_no)
    board_decides(new_context, live_server, cooperative["board"], application.reference_no)

    # She is a member: the number on her profile, the shares in the register, the SMS, the inbox.
    hessa = Member.objects.get(national_id="1000000008")
    assert hessa.status == Member.Status.ACTIVE and hessa.membership_no
    page.goto(f"{live_server.url}/members/me/")
    main = page.get_by_role("main")
    expect(main).to_contain_text(hessa.membership_no)
    expect(main).not_to_contain_text("طالب العضوية")
    expect(page.locator(".record")).to_contain_text("30")
    visit(page, "new-member-profile")
    assert any(hessa.membership_no in text for text in sms_to(settings, "0551234567"))
    page.goto(f"{live_server.url}/members/inbox/")
    expect(page.get_by_role("main")).to_contain_text(hessa.membership_no)
    visit(page, "new-member-inbox")
    page.goto(live_server.url + application.get_absolute_url())
    expect(page.get_by_role("main")).to_contain_text("مكتمل")
    expect(page.get_by_role("main")).not_to_contain_text(BOARD_NOTE)
    visit(page, "application-completed")
    for text in sms_to(settings, "0551234567"):
        assert BOARD_NOTE not in text
    # The clerk finds her in the register with her number and shares.
    staff_page = phone(new_context)
    login(staff_page, live_server, cooperative["clerk"].email, PASSWORD)
    staff_page.goto(live_server.url + reverse("members:member-detail", args=[hessa.pk]))
    expect(staff_page.get_by_role("main")).to_contain_text(hessa.membership_no)
    visit(staff_page, "register-new-member")


def member_submits(page: Page, live_server, code: str, answers: dict[str, str]) -> ServiceRequest:
    page.goto(live_server.url + reverse("requests_app:request-submit", args=[code]))
    visit(page, f"{code}-form")
    for label, value in answers.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="قدّم الطلب").click()
    service_request = ServiceRequest.objects.get(request_type__code=code)
    expect(page.get_by_role("main")).to_contain_text(service_request.reference_no)
    visit(page, f"{code}-submitted")
    return service_request


def test_a_member_transfers_shares_and_the_register_moves_them(new_context, live_server, cooperative, settings):
    service(
        cooperative,
        code="JR-MEM-03",
        kind=RequestType.Kind.SHARE_TRANSFER,
        name_ar="التنازل عن الأسهم (نقل ملكية)",
        audience=RequestType.Audience.MEMBERS,
        fields=[
            ("transferee_id", "رقم هوية المتنازَل له", RequestField.FieldType.NATIONAL_ID),
            ("transferee_name", "اسم المتنازَل له", RequestField.FieldType.TEXT),
            ("shares", "عدد الأسهم", RequestField.FieldType.WHOLE_NUMBER),
        ],
    )
    saad = MemberFactory(full_name_ar="سعد بن محمد آل مريح", shares=40, mobile="+966551110001")
    nasser = MemberFactory(full_name_ar="ناصر بن علي اليامي", shares=10, mobile="+966551110002")
    page = phone(new_context)

    # Saad transfers 15 of his 40 shares to Nasser.
    login(page, live_server, saad.user.email, PASSWORD)
    transfer = member_submits(
        page,
        live_server,
        "JR-MEM-03",
        {"رقم هوية المتنازَل له": nasser.national_id, "اسم المتنازَل له": nasser.full_name_ar, "عدد الأسهم": "١٥"},
    )
    staff_refer_to_the_board(new_context, live_server, cooperative["clerk"], transfer.reference_no)
    board_decides(new_context, live_server, cooperative["board"], transfer.reference_no)

    # The register holds 25 for each; Saad reads it on his profile, Nasser is told by SMS.
    page.goto(f"{live_server.url}/members/me/")
    expect(page.locator(".record")).to_contain_text("25")
    visit(page, "transferor-profile")
    page.goto(live_server.url + transfer.get_absolute_url())
    expect(page.get_by_role("main")).to_contain_text("نُقل 15 سهمًا في سجل المساهمين إلى ناصر بن علي اليامي")
    expect(page.get_by_role("main")).not_to_contain_text(BOARD_NOTE)
    visit(page, "transfer-completed")
    assert (Member.objects.get(pk=saad.pk).shares, Member.objects.get(pk=nasser.pk).shares) == (25, 25)
    assert any("25" in text for text in sms_to(settings, "0551110002"))


def test_a_member_withdraws_and_the_register_keeps_the_refund_due(new_context, live_server, cooperative, settings):
    service(
        cooperative,
        code="JR-MEM-04",
        kind=RequestType.Kind.WITHDRAWAL,
        name_ar="الانسحاب واسترداد قيمة الأسهم",
        audience=RequestType.Audience.MEMBERS,
        fields=[("reason", "سبب الانسحاب", RequestField.FieldType.LONG_TEXT)],
    )
    muna = MemberFactory(full_name_ar="منى بنت حمد آل عباس", shares=20, mobile="+966551110003")
    page = phone(new_context)

    # Muna asks to withdraw; the board approves with the refund due.
    login(page, live_server, muna.user.email, PASSWORD)
    withdrawal = member_submits(page, live_server, "JR-MEM-04", {"سبب الانسحاب": "الانتقال إلى خارج المنطقة"})
    staff_refer_to_the_board(new_context, live_server, cooperative["clerk"], withdrawal.reference_no)
    board_decides(new_context, live_server, cooperative["board"], withdrawal.reference_no, refund="٢١٥٠٫٥٠")

    # Her profile says her membership ended and what is due to her; she was told by SMS.
    page.goto(f"{live_server.url}/members/me/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("انتهت عضويتك")
    expect(main).to_contain_text("2150.50")
    expect(page.locator(".record")).to_contain_text("منسحب")
    visit(page, "withdrawn-profile")
    muna.refresh_from_db()
    assert (muna.status, str(muna.refund_due)) == (Member.Status.WITHDRAWN, "2150.50")
    assert any(withdrawal.reference_no in text for text in sms_to(settings, "0551110003"))
