"""Two downloads a minute apart must not give away one member's rating.

Below the whole cooperative (a department, a service, a governorate, a breakdown row), survey figures are
published for ended periods only; the whole cooperative's figures of a period still running change at most
once a day. k >= 5 and complementary suppression apply as before (test_report_anonymity.py).
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from members.models import Governorate
from members.roles import Role
from requests_app.models import DepartmentMembership
from surveys.reports import dashboard, summary
from surveys.reports.periods import Period
from surveys.reports.satisfaction import Scope
from tests.surveys.report_factories import answers, service

pytestmark = pytest.mark.django_db


def _this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def _csv(client, name: str, query: dict) -> list[list[str]]:
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_department_csv_downloaded_before_and_after_one_rating_is_the_same(client, make_user):
    seedlings = service(name_ar="طلب شتلات بن")
    supervisor = make_user("supervisor@example.org", Role.SUPERVISOR)
    DepartmentMembership.objects.create(department=seedlings.department, user=supervisor, is_supervisor=True)
    client.force_login(supervisor)
    answers(49, request_type=seedlings, month=_this_month(), overall=4, governorate=Governorate.THAR)
    query = {"period": f"{_this_month():%Y-%m}"}
    before = _csv(client, "surveys:department-csv", query)

    answers(1, request_type=seedlings, month=_this_month(), overall=1, governorate=Governorate.THAR)
    summary.ensure_fresh([_this_month()], max_age_s=0)
    after = _csv(client, "surveys:department-csv", query)

    with translation.override("ar"):
        issued = translation.gettext("Issued")
    assert [row for row in before if row[:1] != [issued]] == [row for row in after if row[:1] != [issued]]
    assert not any("49" in row or "50" in row for row in after)


def test_breakdowns_of_a_running_period_are_not_published():
    seedlings = service()
    answers(30, request_type=seedlings, month=_this_month())

    report = dashboard.build(period=Period.month(_this_month().year, _this_month().month), scope=Scope())

    assert report.satisfaction.published  # the whole cooperative: yes
    for rows in report.breakdowns.values():
        assert all(not row.satisfaction.published for row in rows)
    department = dashboard.build(
        period=Period.month(_this_month().year, _this_month().month), scope=Scope(department_id=seedlings.department_id)
    )
    assert not department.satisfaction.published


def test_breakdowns_of_an_ended_period_are_published_with_enough_answers():
    seedlings = service()
    last_month = (_this_month() - datetime.timedelta(days=1)).replace(day=1)
    answers(30, request_type=seedlings, month=last_month)

    report = dashboard.build(period=Period.month(last_month.year, last_month.month), scope=Scope())

    assert [row.satisfaction.published for row in report.breakdowns["service"]] == [True]


def test_the_whole_cooperatives_running_figures_change_at_most_once_a_day():
    seedlings = service()
    answers(30, request_type=seedlings, month=_this_month(), overall=4)
    period = Period.month(_this_month().year, _this_month().month)
    before = dashboard.build(period=period, scope=Scope()).satisfaction

    answers(1, request_type=seedlings, month=_this_month(), overall=1)
    summary.ensure_fresh([_this_month()], max_age_s=0)
    after = dashboard.build(period=period, scope=Scope()).satisfaction

    assert (after.answers, after.average) == (before.answers, before.average)
