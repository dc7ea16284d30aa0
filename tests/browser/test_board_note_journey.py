"""What staff write for the board stays with the board, told on 360 px phones in Arabic: a member asks to transfer
shares; the clerk reads, beside every free-text field of the request page, who will read it; she replies to the
member, keeps an internal note, and refers the request with a «ملاحظة لمجلس الإدارة». A board member reads that
note on the request; the member, signed in on his phone, reads the reply and that the request waits for the board,
and never the board note or the internal note: not on the timeline, not in his inbox, not by SMS. axe on every page.
(The three board journeys that end in the register are in test_board_journeys.py.)"""

import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from members.roles import Role
from requests_app.models import RequestField, ServiceRequest
from tests.browser.helpers import login
from tests.browser.story import phone, visit
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

REPLY = "استلمنا طلبك وسنعرضه على مجلس الإدارة في اجتماعه القادم."
INTERNAL_NOTE = "اتصل العضو هاتفيًا يستعجل الطلب"
BOARD_NOTE = "ملاحظة للمجلس: المتنازَل له قريب العضو من الدرجة الأولى"
# What the help text under a staff field says of its readers (members_portal/readers.py, in Arabic).
MEMBER_READS, MEMBER_NEVER_SEES = "يقرأ العضو", "لا يراه العضو"


@pytest.fixture(autouse=True)
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    return settings.SMS_FILE_PATH


@pytest.fixture
def share_transfer(db):
    department = DepartmentFactory(code="jn-member-services", name_ar="شؤون الأعضاء والمساهمين")
    request_type = RequestTypeFactory(
        code="JN-03", name_ar="التنازل عن الأسهم", department=department, needs_board_decision=True, sla_days=15
    )
    RequestFieldFactory(
        request_type=request_type, key="shares", label_ar="عدد الأسهم", field_type=RequestField.FieldType.WHOLE_NUMBER
    )
    return {
        "service": request_type,
        "clerk": staff_in(department, first_name="أمل", last_name="آل سالم"),
        "board": UserFactory(roles=[Role.BOARD], first_name="علي", last_name="آل حارث"),
    }


def every_free_text_field_says_who_reads_it(page: Page) -> int:
    """Each text box a clerk may type into on the request page is described by a help text naming its readers,
    and the description a screen reader gives is the one printed under that very box. Returns how many."""
    boxes = page.locator("main form textarea:visible, main form input[type=text]:visible")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        printed = box.locator("xpath=following-sibling::div[contains(@class, 'form-text')][1]").inner_text()
        assert MEMBER_READS in printed or MEMBER_NEVER_SEES in printed, f"box {index}: {printed!r}"
        expect(box).to_have_accessible_description(printed)
    return boxes.count()


def test_the_board_note_reaches_the_board_and_never_the_member(new_context, live_server, share_transfer, sms_file):
    saad = MemberFactory(full_name_ar="سعد بن محمد آل مريح", shares=40, mobile="+966551110009")
    member_page = phone(new_context)
    login(member_page, live_server, saad.user.email, PASSWORD)
    member_page.goto(live_server.url + reverse("requests_app:request-submit", args=["JN-03"]))
    member_page.get_by_label("عدد الأسهم").fill("١٠")
    member_page.get_by_role("button", name="قدّم الطلب").click()
    transfer = ServiceRequest.objects.get(request_type__code="JN-03")
    expect(member_page.get_by_role("main")).to_contain_text(transfer.reference_no)

    # The clerk opens the request: every box she may type into says who will read it.
    page = phone(new_context)
    login(page, live_server, share_transfer["clerk"].email, PASSWORD)
    page.goto(live_server.url + reverse("requests_app:staff-request", args=[transfer.reference_no]))
    visit(page, "note-staff-submitted")
    assert every_free_text_field_says_who_reads_it(page) >= 2  # the reply and the internal note
    page.get_by_role("textbox", name="الرد على العضو").fill(REPLY)
    page.get_by_role("button", name="إرسال الرد").click()
    page.get_by_role("textbox", name="ملاحظة داخلية").fill(INTERNAL_NOTE)
    page.get_by_role("button", name="إضافة الملاحظة").click()
    page.get_by_role("button", name="بدء المراجعة").click()
    assert every_free_text_field_says_who_reads_it(page) >= 3  # and what is missing, the rejection's reason
    page.get_by_role("button", name="بدء التنفيذ").click()
    assert every_free_text_field_says_who_reads_it(page) >= 3  # and the note for the board
    page.get_by_label("ملاحظة لمجلس الإدارة (اختيارية)").fill(BOARD_NOTE)
    page.get_by_role("button", name="رفع الطلب لمجلس الإدارة").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("بانتظار")
    for text in (REPLY, INTERNAL_NOTE, BOARD_NOTE):
        expect(main).to_contain_text(text)
    visit(page, "note-staff-referred")

    # A board member finds the request on the board's list and reads the note written for the board.
    board_page = phone(new_context)
    login(board_page, live_server, share_transfer["board"].email, PASSWORD)
    board_page.goto(live_server.url + reverse("requests_app:board-decisions"))
    board_page.get_by_role("link", name=re.compile(f"تسجيل القرار.*{transfer.reference_no}")).click()
    expect(board_page.get_by_role("main")).to_contain_text(BOARD_NOTE)
    expect(board_page.get_by_role("main")).not_to_contain_text(INTERNAL_NOTE)
    visit(board_page, "note-board-reads")

    # Saad, on his phone: the reply and the wait for the board; neither note, on the request or in the inbox.
    member_page.goto(live_server.url + transfer.get_absolute_url())
    main = member_page.get_by_role("main")
    expect(main).to_contain_text(REPLY)
    expect(main).to_contain_text("بانتظار")
    expect(main).not_to_contain_text(BOARD_NOTE)
    expect(main).not_to_contain_text(INTERNAL_NOTE)
    visit(member_page, "note-member-request")
    member_page.goto(live_server.url + reverse("members:inbox"))
    main = member_page.get_by_role("main")
    expect(main).to_contain_text(transfer.reference_no)
    expect(main).not_to_contain_text(BOARD_NOTE)
    expect(main).not_to_contain_text(INTERNAL_NOTE)
    visit(member_page, "note-member-inbox")
    texts = [json.loads(line)["text"] for line in sms_file.read_text(encoding="utf-8").splitlines()]
    assert texts and not any(BOARD_NOTE in text or INTERNAL_NOTE in text for text in texts)
