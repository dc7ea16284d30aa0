"""The board report pages: who may see them, the downloads, bad input."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from members.roles import Role
from requests_app.models import DepartmentMembership
from surveys.reports import csv_export
from surveys.reports.periods import Period
from tests.surveys.report_factories import answers, request_in, service

pytestmark = pytest.mark.django_db
APRIL = datetime.date(2025, 4, 1)


@pytest.fixture
def board_client(client, make_user):
    client.force_login(make_user("board@example.org", Role.BOARD, Role.MEMBER))
    return client


@pytest.mark.parametrize(
    "name", ["surveys:board-dashboard", "surveys:board-pdf", "surveys:board-csv", "surveys:quarterly-reports"]
)
def test_a_member_gets_403_on_board_pages(member_client, name):
    assert member_client.get(reverse(name)).status_code == 403


def test_a_board_member_gets_403_on_the_staff_drill_down(board_client):
    assert board_client.get(reverse("surveys:department-report")).status_code == 403


def test_a_board_member_gets_403_on_the_staff_queue(board_client):
    assert board_client.get(reverse("requests_app:queue")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("surveys:board-dashboard"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_board_dashboard_shows_the_period_in_both_calendars(board_client):
    seedlings = service(name_ar="طلب شتلات بن")
    answers(8, request_type=seedlings, month=APRIL, overall=5, comment="شكرًا على سرعة الإنجاز")

    response = board_client.get(reverse("surveys:board-dashboard"), {"period": "2025-Q2"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "الربع الثاني 2025" in content
    assert "1446" in content  # April to June 2025 fall in Shawwal to Dhu al-Hijjah 1446
    assert "طلب شتلات بن" in content
    assert "شكرًا على سرعة الإنجاز" in content
    assert "<svg" in content


def test_bad_input_answers_400_with_the_reason(board_client):
    response = board_client.get(reverse("surveys:board-dashboard"), {"period": "2031-Q1"})

    assert response.status_code == 400
    assert "لم تبدأ بعد" in response.content.decode()


def test_an_unknown_service_answers_400(board_client):
    response = board_client.get(reverse("surveys:board-csv"), {"period": "2025-Q2", "service": "424242"})

    assert response.status_code == 400


def test_the_csv_starts_with_a_bom_and_is_read_back_with_the_figures(board_client):
    seedlings = service(name_ar="طلب شتلات بن")
    request_in(request_type=seedlings, submitted=datetime.date(2025, 4, 6))

    response = board_client.get(reverse("surveys:board-csv"), {"period": "2025-Q2"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["الخدمة", "الطلبات الواردة", "1", "0"] in rows
    assert any(row[1:2] == ["طلب شتلات بن"] for row in rows if len(row) > 1)


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(dangerous):
    assert csv_export.safe_cell(dangerous) == "'" + dangerous
    assert csv_export.safe_cell("طلب") == "طلب"
    assert csv_export.safe_cell(-12.5) == -12.5  # a number stays a number


def test_a_service_named_like_a_formula_is_escaped_in_the_download(board_client):
    sneaky = service(name_ar="=cmd|' /C calc'!A0")
    request_in(request_type=sneaky, submitted=datetime.date(2025, 4, 6))

    response = board_client.get(reverse("surveys:board-csv"), {"period": "2025-Q2"})

    text = response.content.decode("utf-8-sig")
    assert "'=cmd" in text
    assert "\n=cmd" not in text and ",=cmd" not in text


def test_the_pdf_download_is_a_pdf(board_client):
    seedlings = service()
    answers(6, request_type=seedlings, month=APRIL)

    response = board_client.get(reverse("surveys:board-pdf"), {"period": "2025-Q2"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "board-report-2025-Q2.pdf" in response["Content-Disposition"]


def test_a_supervisor_sees_only_their_department(client, make_user):
    mine, theirs = service(name_ar="خدمة إدارتي"), service(name_ar="خدمة إدارة أخرى")
    request_in(request_type=mine, submitted=datetime.date(2025, 4, 6))
    request_in(request_type=theirs, submitted=datetime.date(2025, 4, 6))
    supervisor = make_user("supervisor@example.org", Role.SUPERVISOR)
    DepartmentMembership.objects.create(department=mine.department, user=supervisor, is_supervisor=True)
    client.force_login(supervisor)

    page = client.get(reverse("surveys:department-report"), {"period": "2025-Q2"})
    other = client.get(reverse("surveys:department-report"), {"period": "2025-Q2", "department": theirs.department_id})

    assert page.status_code == 200
    assert "خدمة إدارتي" in page.content.decode()
    assert "خدمة إدارة أخرى" not in page.content.decode()
    assert other.status_code == 400
    assert client.get(reverse("surveys:board-dashboard")).status_code == 403


def test_a_supervisor_of_no_department_gets_403(client, make_user):
    client.force_login(make_user("lonely@example.org", Role.SUPERVISOR))

    assert client.get(reverse("surveys:department-report")).status_code == 403


@pytest.mark.parametrize("name", ["surveys:department-report", "surveys:department-pdf", "surveys:department-csv"])
def test_a_supervisor_whose_role_was_taken_away_gets_403_on_their_old_departments_report(client, make_user, name):
    former = make_user("former@example.org", Role.MEMBER)  # left the staff; still a member of the cooperative
    DepartmentMembership.objects.create(department=service().department, user=former, is_supervisor=True)
    client.force_login(former)

    assert client.get(reverse(name), {"period": "2025-Q2"}).status_code == 403


def test_the_dashboard_query_count_does_not_grow_with_the_data(board_client, django_assert_max_num_queries):
    seedlings, visit = service(), service()
    for day in range(1, 20):
        request_in(request_type=seedlings if day % 2 else visit, submitted=datetime.date(2025, 4, day))
    answers(30, request_type=seedlings, month=APRIL)
    board_client.get(reverse("surveys:board-dashboard"), {"period": "2025-Q2"})  # summaries written once

    with django_assert_max_num_queries(40):
        response = board_client.get(reverse("surveys:board-dashboard"), {"period": "2025-Q2"})

    assert response.status_code == 200


def test_an_empty_query_shows_the_current_quarter(board_client):
    response = board_client.get(reverse("surveys:board-dashboard"))

    today = datetime.date.today()
    assert response.status_code == 200
    assert Period.current("quarter", today).gregorian_label() in response.content.decode()
