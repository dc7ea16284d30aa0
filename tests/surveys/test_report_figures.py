"""Service figures of the board report: counts, working days, service level, from the monthly summaries."""

import datetime

import pytest
from django.db import connection
from django.db.models import Sum

from requests_app.models import RequestType, ServiceRequest
from surveys.reports import calendar_index, dashboard, service_performance, summary
from surveys.reports.models import RequestSummary, SatisfactionSummary, SummarisedMonth
from surveys.reports.periods import Period
from surveys.reports.satisfaction import Scope
from tests.concurrency import at_once, needs_postgresql, raised
from tests.surveys.report_factories import answers, request_in, service

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status
MARCH = Period.month(2025, 3)


@pytest.fixture(autouse=True)
def working_days():
    calendar_index.rebuild(first=datetime.date(2024, 1, 1), last=datetime.date(2027, 12, 31))


def test_the_percentile_of_a_histogram_interpolates_like_percentile_cont():
    histogram = {2: 1, 3: 2, 10: 1}  # values 2, 3, 3, 10

    assert service_performance.percentile_from_histogram(histogram, 0.5) == 3
    assert service_performance.percentile_from_histogram(histogram, 0.9) == pytest.approx(7.9)
    assert service_performance.percentile_from_histogram({}, 0.5) is None


def test_received_completed_rejected_and_open_follow_their_months():
    seedlings = service()
    # Sunday 2 March 2025 to Thursday 6 March: 4 working days.
    request_in(
        request_type=seedlings,
        submitted=datetime.date(2025, 3, 2),
        status=Status.COMPLETED,
        closed=datetime.date(2025, 3, 6),
        due=datetime.date(2025, 3, 9),
    )
    request_in(
        request_type=seedlings,
        submitted=datetime.date(2025, 3, 3),
        status=Status.REJECTED,
        closed=datetime.date(2025, 4, 2),
    )
    request_in(request_type=seedlings, submitted=datetime.date(2025, 2, 20), status=Status.IN_PROGRESS)

    figures = service_performance.cube_for(MARCH).figures(Scope(), MARCH)

    assert figures.received == 2
    assert figures.completed == 1
    assert figures.rejected == 0  # rejected in April
    assert figures.open == 2  # the February one still in work, the rejected one not closed by 1 April
    assert figures.median_days == 4
    assert figures.completed_on_time == 1


def test_waiting_on_the_member_does_not_count_against_the_time_to_complete():
    seedlings = service()
    request_in(
        request_type=seedlings,
        submitted=datetime.date(2025, 3, 2),
        status=Status.COMPLETED,
        closed=datetime.date(2025, 3, 13),
        paused_working_days=3,
    )

    figures = service_performance.cube_for(MARCH).figures(Scope(), MARCH)

    assert figures.median_days == 9 - 3  # 2 → 13 March is 9 working days, 3 of them with the member


def test_completed_after_the_due_date_is_not_within_target():
    seedlings = service()
    request_in(
        request_type=seedlings,
        submitted=datetime.date(2025, 3, 2),
        status=Status.COMPLETED,
        closed=datetime.date(2025, 3, 20),
        due=datetime.date(2025, 3, 10),
    )

    figures = service_performance.cube_for(MARCH).figures(Scope(), MARCH)

    assert figures.completed == 1
    assert figures.on_time_share == 0


def test_complaints_and_suggestions_are_counted_received_and_answered():
    complaint = service(kind=RequestType.Kind.COMPLAINT)
    suggestion = service(kind=RequestType.Kind.SUGGESTION)
    request_in(
        request_type=complaint,
        submitted=datetime.date(2025, 3, 2),
        status=Status.COMPLETED,
        closed=datetime.date(2025, 3, 4),
    )
    request_in(request_type=complaint, submitted=datetime.date(2025, 3, 5))
    request_in(request_type=suggestion, submitted=datetime.date(2025, 3, 5))

    figures = service_performance.cube_for(MARCH).figures(Scope(), MARCH)

    assert (figures.complaints, figures.complaints_answered) == (2, 1)
    assert (figures.suggestions, figures.suggestions_answered) == (1, 0)


def test_a_request_late_today_is_counted_late_now():
    seedlings = service()
    today = datetime.date.today()
    request_in(
        request_type=seedlings,
        submitted=today - datetime.timedelta(days=30),
        status=Status.IN_PROGRESS,
        due=today - datetime.timedelta(days=2),
    )
    request_in(
        request_type=seedlings,
        submitted=today - datetime.timedelta(days=30),
        status=Status.RETURNED_TO_MEMBER,
        due=today - datetime.timedelta(days=2),
    )

    period = Period.month(today.year, today.month)
    figures = service_performance.cube_for(period).figures(Scope(), period)

    assert figures.late_now == 1  # the one waiting on the member is paused, not late


def test_a_breakdown_by_service_adds_up_to_the_total():
    seedlings, visit = service(), service()
    for day in (2, 3, 4):
        request_in(request_type=seedlings, submitted=datetime.date(2025, 3, day))
    request_in(request_type=visit, submitted=datetime.date(2025, 3, 5))

    figures = service_performance.cube_for(MARCH)
    by_service = figures.breakdown(Scope(), MARCH, "service")

    assert by_service[seedlings.pk].received == 3
    assert by_service[visit.pk].received == 1
    assert sum(row.received for row in by_service.values()) == figures.figures(Scope(), MARCH).received


def test_refreshing_a_month_twice_writes_the_same_summary():
    seedlings = service()
    request_in(request_type=seedlings, submitted=datetime.date(2025, 3, 2))

    summary.refresh([datetime.date(2025, 3, 1)])
    first = list(RequestSummary.objects.values_list("month", "request_type_id", "received"))
    summary.refresh([datetime.date(2025, 3, 1)])

    assert list(RequestSummary.objects.values_list("month", "request_type_id", "received")) == first
    assert SummarisedMonth.objects.filter(month=datetime.date(2025, 3, 1)).exists()


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_refreshes_of_a_month_running_at_once_count_each_request_and_answer_once():
    """Two beats, or the beat and a board page summarising the month on the spot, at the same moment."""
    seedlings = service()
    for day in range(2, 10):
        request_in(request_type=seedlings, submitted=datetime.date(2025, 3, day))
    answers(7, request_type=seedlings, month=datetime.date(2025, 3, 1))
    march = datetime.date(2025, 3, 1)

    results = at_once(*[lambda: summary.refresh([march])] * 4)

    assert raised(results) == []
    assert RequestSummary.objects.filter(month=march).aggregate(received=Sum("received"))["received"] == 8
    assert SatisfactionSummary.objects.filter(month=march).aggregate(n=Sum("n"))["n"] == 7
    assert RequestSummary.objects.filter(month=march).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_the_summary_percentiles_equal_percentile_cont_over_the_rows():
    seedlings = service()
    for day, closed in ((2, 4), (3, 13), (4, 6), (5, 27), (9, 11)):
        request_in(
            request_type=seedlings,
            submitted=datetime.date(2025, 3, day),
            status=Status.COMPLETED,
            closed=datetime.date(2025, 3, closed),
        )

    from_summary = service_performance.cube_for(MARCH).figures(Scope(), MARCH)
    median, p90 = service_performance.percentiles_from_rows(Scope(), MARCH)

    assert from_summary.median_days == pytest.approx(median)
    assert from_summary.p90_days == pytest.approx(p90)


def test_the_response_rate_is_the_share_of_the_periods_invitations_that_were_answered():
    from surveys import services
    from tests.surveys.factories import closed_request, invitation_for

    seedlings = service()
    invitations = [invitation_for(closed_request(request_type=seedlings)) for _ in range(10)]
    for invitation in invitations[:4]:
        services.submit_response(invitation=invitation, answer=services.Answer(overall=4))
    answers(30, request_type=seedlings, month=datetime.date.today().replace(day=1))  # answers without invitation
    today = datetime.date.today()

    report = dashboard.build(period=Period.month(today.year, today.month), scope=Scope())

    assert (report.satisfaction.invitations, report.satisfaction.invitations_answered) == (10, 4)
    assert report.satisfaction.response_rate == 40
