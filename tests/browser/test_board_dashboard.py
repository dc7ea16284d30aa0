"""The board member's path: the dashboard, a filter, the PDF and CSV downloads, on a desktop and a phone."""

import datetime

import pytest
from playwright.sync_api import expect

from members.models import Governorate
from members.roles import Role
from surveys.reports.periods import Period
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.conftest import PASSWORD
from tests.surveys.report_factories import answers, request_in, service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report_data():
    """Two services of one department, answers in two governorates, requests over a past quarter."""
    quarter = Period.last_complete_quarter()
    seedlings = service(name_ar="طلب شتلات بن", code="TST-B01")
    visit = service(name_ar="طلب زيارة إرشادية", code="TST-B03", department=seedlings.department)
    for index, month in enumerate(quarter.months):
        answers(9 + index, request_type=seedlings, month=month, overall=5, comment="شكرًا على سرعة الإنجاز")
        answers(6, request_type=visit, month=month, overall=3, recommend=5, governorate=Governorate.THAR)
        for day in (3, 10, 17):
            submitted = month + datetime.timedelta(days=day)
            request_in(
                request_type=seedlings,
                submitted=submitted,
                status="completed",
                closed=submitted + datetime.timedelta(days=4),
            )
        request_in(request_type=visit, submitted=month + datetime.timedelta(days=5))
    return quarter


def test_a_board_member_reads_filters_and_downloads_the_report(live_server, page, make_user, report_data):
    make_user("board@example.org", Role.BOARD, Role.MEMBER, first_name="علي", last_name="آل حارث")
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "board@example.org", PASSWORD)

    page.get_by_role("link", name="تقارير مجلس الإدارة").first.click()
    page.get_by_label("الفترة", exact=True).select_option(report_data.key)
    page.get_by_role("button", name="عرض التقرير").click()

    main = page.get_by_role("main")
    expect(main).to_contain_text(report_data.gregorian_label())
    expect(main).to_contain_text("رضا الأعضاء")
    expect(main).to_contain_text("طلب شتلات بن")
    expect(main.locator("svg").first).to_be_visible()
    axe_check(page)
    save_screenshot(page, "board-dashboard-desktop")

    page.get_by_label("الخدمة", exact=True).select_option(label="طلب زيارة إرشادية (TST-B03)")
    page.get_by_role("button", name="عرض التقرير").click()
    expect(main).to_contain_text("الخدمة: طلب زيارة إرشادية")
    axe_check(page)

    with page.expect_download() as pdf:
        page.get_by_role("link", name="تنزيل PDF").click()
    assert pdf.value.suggested_filename == f"board-report-{report_data.key}.pdf"
    with page.expect_download() as table:
        page.get_by_role("link", name="تنزيل CSV").click()
    assert table.value.suggested_filename == f"board-report-{report_data.key}.csv"
    with open(table.value.path(), "rb") as downloaded:
        assert downloaded.read(3) == b"\xef\xbb\xbf"


def test_the_dashboard_reads_on_a_phone(live_server, phone_page, make_user, report_data):
    make_user("board@example.org", Role.BOARD)
    login(phone_page, live_server, "board@example.org", PASSWORD)

    phone_page.goto(f"{live_server.url}/surveys/board/?period={report_data.key}")

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("تقارير مجلس الإدارة")
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width} px)"
    axe_check(phone_page)
    save_screenshot(phone_page, "board-dashboard-phone")


def test_a_member_is_refused_the_board_reports(live_server, page, make_user):
    make_user("member@example.org", Role.MEMBER)
    login(page, live_server, "member@example.org", PASSWORD)

    response = page.goto(f"{live_server.url}/surveys/board/")

    assert response.status == 403


def test_a_negative_figure_reads_with_its_minus_before_the_digits_on_an_arabic_page(page):
    """A net promoter score of -31 on the Arabic dashboard: the minus must be drawn to the left of the digits, as
    the number is written, not carried to the right by the right-to-left paragraph («31-»)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("ar"):
        card = render_to_string("surveys/board/_kpi.html", {"label": "مؤشر التوصية", "value": -31})
    page.set_content(f'<html lang="ar" dir="rtl"><body><div class="row">{card}</div></body></html>')
    box_of = """(character) => {
        const node = document.querySelector('.board-kpi .value').firstChild;
        const at = node.textContent.indexOf(character);
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        return range.getBoundingClientRect().left;
    }"""
    assert page.evaluate(box_of, "-") < page.evaluate(box_of, "3") < page.evaluate(box_of, "1")
