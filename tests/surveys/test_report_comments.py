"""Comments in the reports: never beside their rating, only for ended periods, only in groups of at least 5.

The policy: a rating is for improvement, never for punishment. A supervisor who could read "rating 2:
'the clerk was rude'" as it arrives could tell who wrote it from the requests of the day.
"""

import datetime

import pytest
from django.urls import reverse

from members.roles import Role
from requests_app.models import DepartmentMembership
from surveys.reports import dashboard, satisfaction
from surveys.reports.periods import Period
from surveys.reports.satisfaction import Scope
from tests.surveys.report_factories import answers, service

pytestmark = pytest.mark.django_db
APRIL = datetime.date(2025, 4, 1)


@pytest.fixture
def seedlings():
    return service(name_ar="طلب شتلات بن")


@pytest.fixture
def supervisor_client(client, make_user, seedlings):
    supervisor = make_user("supervisor@example.org", Role.SUPERVISOR)
    DepartmentMembership.objects.create(department=seedlings.department, user=supervisor, is_supervisor=True)
    client.force_login(supervisor)
    return client


def test_the_department_report_never_shows_a_comment_beside_its_rating(supervisor_client, seedlings):
    answers(6, request_type=seedlings, month=APRIL, overall=2, comment="الموظف لم يرد على اتصالي")
    answers(6, request_type=seedlings, month=APRIL, overall=5, comment="شكرًا على سرعة الإنجاز")

    page = supervisor_client.get(reverse("surveys:department-report"), {"period": "2025-Q2", "rating": "2"})

    content = page.content.decode()
    assert page.status_code == 200
    assert "الموظف لم يرد على اتصالي" in content
    assert "شكرًا على سرعة الإنجاز" in content  # the rating in the query string narrows nothing
    assert "التقييم: 2 من 5" not in content and "التقييم: 5 من 5" not in content
    assert 'name="rating"' not in content


def test_the_board_report_and_its_pdf_show_comments_without_their_rating(client, make_user, seedlings):
    answers(6, request_type=seedlings, month=APRIL, overall=1, comment="تأخر الرد كثيرًا")
    client.force_login(make_user("board@example.org", Role.BOARD))

    page = client.get(reverse("surveys:board-dashboard"), {"period": "2025-Q2", "rating": "1"})
    report = dashboard.build(period=Period.quarter(2025, 2), scope=Scope())

    assert "تأخر الرد كثيرًا" in page.content.decode()
    assert "التقييم: 1 من 5" not in page.content.decode()
    assert all(set(comment) == {"comment"} for comment in report.comments)


def test_comments_of_a_period_that_has_not_ended_are_not_shown(seedlings):
    today = datetime.date(2025, 5, 20)
    answers(8, request_type=seedlings, month=datetime.date(2025, 5, 1), comment="تعليق من هذا الشهر")

    report = dashboard.build(
        period=Period.quarter(2025, 2), scope=Scope(), now=datetime.datetime(2025, 5, 20, 12, tzinfo=datetime.UTC)
    )

    assert report.comments is None
    assert not Period.quarter(2025, 2).is_complete(today)


def test_fewer_than_five_comments_are_not_shown_even_with_enough_answers(seedlings):
    answers(20, request_type=seedlings, month=APRIL)
    answers(4, request_type=seedlings, month=APRIL, comment="تعليق قليل")

    comments = satisfaction.latest_comments(Scope(), Period.quarter(2025, 2))

    assert comments == []


def test_five_comments_are_shown_masked_as_stored(seedlings):
    answers(5, request_type=seedlings, month=APRIL, comment="اتصلوا على [•••]")

    comments = satisfaction.latest_comments(Scope(), Period.quarter(2025, 2))

    assert [comment["comment"] for comment in comments] == ["اتصلوا على [•••]"] * 5
