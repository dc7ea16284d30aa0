"""The board report kept in the cache: what comes from the summaries is reused until a month it reads is summarised
again; the requests late now, the names, the kinds of service and the comments are never taken stale from it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from requests_app.models import RequestType, ServiceRequest
from surveys.reports import dashboard, satisfaction, summary
from surveys.reports.periods import Period, add_months
from surveys.reports.satisfaction import Scope
from tests.surveys.report_factories import answers, request_in, service

pytestmark = pytest.mark.django_db
SUMMARY_TABLES = ("surveys_satisfactionsummary", "surveys_requestsummary", "surveys_completiondays")


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _ended_month() -> Period:
    month = add_months(timezone.localdate(), -2)
    return Period.month(month.year, month.month)


def test_a_second_report_reads_no_summary_and_a_refreshed_month_starts_it_afresh():
    period = _ended_month()
    seedlings = service()
    answers(10, request_type=seedlings, month=period.start, overall=4)
    assert dashboard.build(period=period, scope=Scope()).satisfaction.answers == 10

    with CaptureQueriesContext(connection) as queries:
        again = dashboard.build(period=period, scope=Scope())
    assert again.satisfaction.answers == 10
    assert not [query for query in queries if any(table in query["sql"] for table in SUMMARY_TABLES)]

    answers(5, request_type=seedlings, month=period.start, overall=1)
    summary.refresh([period.start])
    report = dashboard.build(period=period, scope=Scope())
    assert report.satisfaction.answers == 15
    assert [row.satisfaction.answers for row in report.breakdowns["service"]] == [15]


def test_requests_late_now_are_counted_in_a_report_from_the_cache():
    period = _ended_month()
    seedlings = service()
    request_in(
        request_type=seedlings, submitted=period.start, status=ServiceRequest.Status.COMPLETED, closed=period.start
    )
    before = dashboard.build(period=period, scope=Scope())
    assert before.service.late_now == 0

    today = timezone.localdate()
    request_in(
        request_type=seedlings,
        submitted=period.start,
        status=ServiceRequest.Status.IN_PROGRESS,
        due=today - datetime.timedelta(days=2),
    )
    report = dashboard.build(period=period, scope=Scope())
    assert report.service.late_now == 1
    assert report.previous_service.late_now == 1  # late now, whatever the period
    assert [row.service.late_now for row in report.breakdowns["service"]] == [1]
    assert [row.service.late_now for row in report.breakdowns["department"]] == [1]


def test_a_renamed_service_shows_its_new_name_at_once():
    period = _ended_month()
    seedlings = service(name_ar="طلب شتلات بن")
    request_in(request_type=seedlings, submitted=period.start)
    before = dashboard.build(period=period, scope=Scope())
    assert [row.label for row in before.breakdowns["service"]] == ["طلب شتلات بن"]

    RequestType.objects.filter(pk=seedlings.pk).update(name_ar="طلب شتلات")
    report = dashboard.build(period=period, scope=Scope())
    assert [row.label for row in report.breakdowns["service"]] == ["طلب شتلات"]


def test_a_service_made_a_complaint_counts_as_one_at_once():
    period = _ended_month()
    seedlings = service()
    request_in(request_type=seedlings, submitted=period.start)
    assert dashboard.build(period=period, scope=Scope()).service.complaints == 0

    RequestType.objects.filter(pk=seedlings.pk).update(kind=RequestType.Kind.COMPLAINT)
    assert dashboard.build(period=period, scope=Scope()).service.complaints == 1


def test_comments_are_read_on_every_report():
    period = _ended_month()
    seedlings = service()
    written = answers(10, request_type=seedlings, month=period.start, comment="خدمة جيدة")
    assert len(dashboard.build(period=period, scope=Scope()).comments) == 10

    for answer in written[:6]:
        answer.delete()
    assert dashboard.build(period=period, scope=Scope()).comments == []  # 4 left: fewer than 5 are never shown


def test_a_report_built_afresh_reads_the_refresh_times_once_for_its_key_and_the_cube_s():
    period = _ended_month()
    answers(10, request_type=service(), month=period.start)
    dashboard.build(period=period, scope=Scope())  # the summaries written
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        dashboard.build(period=period, scope=Scope())

    read = [query for query in queries if "surveys_summarisedmonth" in query["sql"]]
    assert len(read) == 2  # the report's and the cube's keys, then the request figures' own check (cube_for)


def test_nothing_decided_under_an_earlier_anonymity_rule_is_read(monkeypatch):
    """A release that hides other cells for the same answers (anonymity.RULE_VERSION) decides afresh: neither the
    report nor the cube of hidden cells is taken from the cache an earlier release filled."""
    from surveys.reports import anonymity

    period = _ended_month()
    answers(10, request_type=service(), month=period.start, overall=4)
    dashboard.build(period=period, scope=Scope())

    cubes_loaded = []
    load_cube = satisfaction.load_cube
    monkeypatch.setattr(satisfaction, "load_cube", lambda years: cubes_loaded.append(years) or load_cube(years))
    monkeypatch.setattr(anonymity, "RULE_VERSION", anonymity.RULE_VERSION + 1)
    with CaptureQueriesContext(connection) as queries:
        assert dashboard.build(period=period, scope=Scope()).satisfaction.answers == 10
    assert cubes_loaded  # the cube's hidden cells, decided again
    assert "surveys_requestsummary" in " ".join(query["sql"] for query in queries)  # the report, worked out again
