"""Two more journeys that end in the register, told as the people live them, in Arabic on a 360 px phone: a member
buys more shares (staff complete it, no board), and a deceased member's daughter takes his place (the board
decides). Each goes from the first click in the menu to where the person looks last (her profile, the record in the
register), with axe on every page visited. The cooperative, its clerk and board, and their steps are those of the
board journeys."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Member
from members.roles import Role
from requests_app.models import RequestField, RequestType, ServiceRequest
from tests.browser.helpers import login
from tests.browser.test_board_journeys import (  # noqa: F401 (cooperative and private_files_and_sms are fixtures)
    BOARD_NOTE,
    board_decides,
    cooperative,
    phone,
    private_files_and_sms,
    service,
    sms_to,
    staff_refer_to_the_board,
    visit,
)
from tests.members.factories import PASSWORD
from tests.requests_app.factories import MemberFactory, RequestFieldFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FieldType = RequestField.FieldType


def open_service_from_the_menu(page, name: str, slug: str) -> None:
    """The person opens the menu, the services guide, the service, and asks for it."""
    page.get_by_role("button", name="إظهار القائمة").click()
    page.get_by_role("link", name="دليل الخدمات").click()
    visit(page, f"{slug}-guide")
    page.get_by_role("link", name=name).click()
    visit(page, f"{slug}-service")
    page.get_by_role("link", name="اطلب هذه الخدمة").click()
    visit(page, f"{slug}-form")


def test_a_member_buys_more_shares_and_the_register_holds_them(new_context, live_server, cooperative, settings):  # noqa: F811
    additional = service(
        cooperative,
        code="JR-MEM-02",
        kind=RequestType.Kind.ADDITIONAL_SHARES,
        name_ar="شراء أسهم إضافية",
        audience=RequestType.Audience.MEMBERS,
        fields=[("shares", "عدد الأسهم", FieldType.WHOLE_NUMBER)],
    )
    additional.needs_board_decision = False  # staff complete it: the board does not decide additional shares
    additional.save(update_fields=["needs_board_decision"])
    saad = MemberFactory(full_name_ar="سعد بن محمد آل مريح", shares=20, mobile="+966551110004")
    page = phone(new_context)

    # Saad holds 20 shares; from the menu he asks for 5 more.
    login(page, live_server, saad.user.email, PASSWORD)
    page.goto(f"{live_server.url}/members/me/")
    expect(page.locator(".record")).to_contain_text("20")
    visit(page, "buyer-profile-before")
    open_service_from_the_menu(page, "شراء أسهم إضافية", "JR-MEM-02")
    page.get_by_label("عدد الأسهم").fill("٥")
    page.get_by_role("button", name="قدّم الطلب").click()
    purchase = ServiceRequest.objects.get(request_type__code="JR-MEM-02")
    expect(page.get_by_role("main")).to_contain_text(purchase.reference_no)
    visit(page, "JR-MEM-02-submitted")

    # The clerk reviews it, starts the work and completes it: no board, no referral offered.
    clerk_page = phone(new_context)
    login(clerk_page, live_server, cooperative["clerk"].email, PASSWORD)
    clerk_page.goto(live_server.url + reverse("requests_app:staff-request", args=[purchase.reference_no]))
    clerk_page.get_by_role("button", name="بدء المراجعة").click()
    clerk_page.get_by_role("button", name="بدء التنفيذ").click()
    expect(clerk_page.get_by_role("button", name="رفع الطلب لمجلس الإدارة")).to_have_count(0)
    clerk_page.get_by_role("textbox", name="النتيجة").fill("استلمنا قيمة الأسهم وسُجلت باسمك.")
    clerk_page.get_by_role("button", name="إكمال الطلب").click()
    expect(clerk_page.get_by_role("main")).to_contain_text("مكتمل")
    visit(clerk_page, "JR-MEM-02-staff-completed")

    # Saad reads the register line on his request, with the date the shares were acquired, and 25 on his profile.
    page.goto(live_server.url + purchase.get_absolute_url())
    main = page.get_by_role("main")
    expect(main).to_contain_text("أُضيفت 5 أسهم إلى رصيدك في سجل المساهمين بتاريخ تملك")
    expect(main).to_contain_text("ورصيدك الآن 25")
    visit(page, "JR-MEM-02-completed")
    page.goto(f"{live_server.url}/members/me/")
    expect(page.locator(".record")).to_contain_text("25")
    expect(page.locator(".share-acquisitions")).to_contain_text("5 أسهم (اكتتاب بأسهم إضافية)")
    visit(page, "buyer-profile-after")
    assert Member.objects.get(pk=saad.pk).shares == 25
    # The clerk finds the 25 shares in the register.
    clerk_page.goto(live_server.url + reverse("members:member-detail", args=[saad.pk]))
    expect(clerk_page.locator(".record")).to_contain_text("25")
    visit(clerk_page, "register-buyer")


def test_a_deceased_members_daughter_takes_his_place_in_the_register(new_context, live_server, cooperative, settings):  # noqa: F811
    heirs = service(
        cooperative,
        code="JR-MEM-05",
        kind=RequestType.Kind.HEIRS_SUCCESSION,
        name_ar="إحلال الورثة أو رد قيمة أسهم المتوفى",
        audience=RequestType.Audience.MEMBERS_AND_APPLICANTS,
        fields=[("deceased_id", "رقم هوية المتوفى", FieldType.NATIONAL_ID)],
    )
    RequestFieldFactory(
        request_type=heirs,
        key="choice",
        label_ar="المطلوب",
        field_type=FieldType.CHOICE,
        choices="substitute|إحلال أحد الورثة|A substitute heir\nrefund|رد قيمة الأسهم|A refund",
        order=1,
    )
    RequestFieldFactory(
        request_type=heirs, key="heir_id", label_ar="رقم هوية الوارث البديل", field_type=FieldType.NATIONAL_ID, order=2
    )
    mani = MemberFactory(full_name_ar="مانع بن صالح آل منصور", shares=30, mobile="+966551110005")
    fatimah = MemberFactory(
        full_name_ar="فاطمة بنت مانع آل منصور",
        membership_no="",
        status=Member.Status.APPLICANT,
        shares=0,
        mobile="+966551110006",
        user=UserFactory(roles=[Role.APPLICANT], phone="+966551110006", first_name="فاطمة", last_name="آل منصور"),
    )
    page = phone(new_context)

    # Fatimah, registered as an applicant, asks from the menu to take her late father's place.
    login(page, live_server, fatimah.user.email, PASSWORD)
    page.goto(f"{live_server.url}/members/me/")
    expect(page.get_by_role("main")).to_contain_text("طالب العضوية")
    visit(page, "heir-profile-before")
    open_service_from_the_menu(page, "إحلال الورثة أو رد قيمة أسهم المتوفى", "JR-MEM-05")
    page.get_by_label("رقم هوية المتوفى").fill(mani.national_id)
    page.get_by_label("المطلوب").select_option(label="إحلال أحد الورثة")
    page.get_by_label("رقم هوية الوارث البديل").fill(fatimah.national_id)
    page.get_by_role("button", name="قدّم الطلب").click()
    succession = ServiceRequest.objects.get(request_type__code="JR-MEM-05")
    expect(page.get_by_role("main")).to_contain_text(succession.reference_no)
    visit(page, "JR-MEM-05-submitted")

    staff_refer_to_the_board(new_context, live_server, cooperative["clerk"], succession.reference_no)
    board_decides(new_context, live_server, cooperative["board"], succession.reference_no)

    # She is a member with her own number and her father's 30 shares: on her request, her profile, her SMS.
    page.goto(live_server.url + succession.get_absolute_url())
    main = page.get_by_role("main")
    expect(main).to_contain_text(re.compile(r"سُجّل فاطمة بنت مانع آل منصور عضوًا \(رقم العضوية \d+\)"))
    expect(main).to_contain_text("محل مانع بن صالح آل منصور، بـ30 سهمًا موروثًا")
    expect(main).not_to_contain_text(BOARD_NOTE)
    visit(page, "JR-MEM-05-completed")
    fatimah.refresh_from_db()
    page.goto(f"{live_server.url}/members/me/")
    main = page.get_by_role("main")
    expect(main).not_to_contain_text("طالب العضوية")
    expect(page.locator(".record")).to_contain_text(fatimah.membership_no)
    expect(page.locator(".record")).to_contain_text("30")
    expect(page.locator(".share-acquisitions")).to_contain_text("30 سهمًا (موروثة من عضو متوفى)")
    visit(page, "heir-profile-after")
    assert any(fatimah.membership_no in text for text in sms_to(settings, "0551110006"))
    # The clerk finds her father's record in the register marked deceased, his shares gone to her.
    clerk_page = phone(new_context)
    login(clerk_page, live_server, cooperative["clerk"].email, PASSWORD)
    clerk_page.goto(live_server.url + reverse("members:member-detail", args=[mani.pk]))
    record = clerk_page.locator(".record")
    expect(record).to_contain_text("متوفى")
    expect(record).to_contain_text("تاريخ انتهاء العضوية")
    visit(clerk_page, "register-deceased")
    assert (fatimah.status, fatimah.shares) == (Member.Status.ACTIVE, 30)
    assert Member.objects.get(pk=mani.pk).shares == 0
