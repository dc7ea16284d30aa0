"""Service-level state: on time, due today, late; paused while the request waits on the member."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from requests_app import calendar, services, sla
from requests_app.models import Holiday, ServiceRequest
from tests.requests_app.factories import PDF_BYTES
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import Status, make_request

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime.date(2026, 11, 25)
THURSDAY = datetime.date(2026, 11, 26)
SUNDAY = datetime.date(2026, 11, 29)
MONDAY = datetime.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        (Status.UNDER_REVIEW, WEDNESDAY - datetime.timedelta(days=1), sla.SlaState.LATE),
        (Status.UNDER_REVIEW, WEDNESDAY, sla.SlaState.DUE_TODAY),
        (Status.SUBMITTED, THURSDAY, sla.SlaState.ON_TIME),
        (Status.RETURNED_TO_MEMBER, WEDNESDAY - datetime.timedelta(days=9), sla.SlaState.PAUSED),
        (Status.COMPLETED, WEDNESDAY - datetime.timedelta(days=9), sla.SlaState.CLOSED),
        (Status.PENDING_BOARD_DECISION, WEDNESDAY - datetime.timedelta(days=9), sla.SlaState.WITH_BOARD),
    ],
)
def test_state_of_a_request(status, due, expected):
    service_request = ServiceRequest(status=status, due_date=due)

    assert sla.state_of(service_request, on=WEDNESDAY) == expected


def test_the_filter_for_each_state_agrees_with_the_badge(seedlings):
    today = sla.today()
    for offset in (-3, -1, 0, 1, 4):
        for status in (
            Status.SUBMITTED,
            Status.IN_PROGRESS,
            Status.RETURNED_TO_MEMBER,
            Status.PENDING_BOARD_DECISION,
            Status.REJECTED,
        ):
            make_request(seedlings, status=status, due_date=today + datetime.timedelta(days=offset))

    for state in sla.SlaState:
        matched = ServiceRequest.objects.filter(sla.condition(state))
        assert matched.exists()
        assert all(sla.state_of(row) == state for row in matched)
    assert sum(ServiceRequest.objects.filter(sla.condition(state)).count() for state in sla.SlaState) == 25


def test_a_request_waiting_for_the_board_is_never_the_departments_lateness(seedlings):
    make_request(seedlings, status=Status.PENDING_BOARD_DECISION, due_date=sla.today() - datetime.timedelta(days=30))

    assert not ServiceRequest.objects.filter(sla.condition(sla.SlaState.LATE)).exists()


def test_the_board_runs_a_clock_of_its_own_from_the_referral():
    waiting = ServiceRequest(
        status=Status.PENDING_BOARD_DECISION,
        due_date=WEDNESDAY - datetime.timedelta(days=30),
        board_due_date=MONDAY,
    )

    assert sla.state_of(waiting, on=WEDNESDAY) == sla.SlaState.WITH_BOARD
    assert sla.board_state(waiting, on=WEDNESDAY) == sla.SlaState.ON_TIME
    assert sla.board_state(waiting, on=MONDAY) == sla.SlaState.DUE_TODAY
    assert sla.board_state(waiting, on=MONDAY + datetime.timedelta(days=1)) == sla.SlaState.LATE
    assert sla.board_due_date(MONDAY) == calendar.add_working_days(MONDAY, sla.BOARD_WORKING_DAYS)


def test_days_late_count_working_days_only():
    service_request = ServiceRequest(status=Status.IN_PROGRESS, due_date=THURSDAY)

    assert sla.days_late(service_request, on=MONDAY) == 2  # Sunday and Monday; Friday and Saturday are the weekend


def test_previous_working_day_skips_the_weekend_and_holidays():
    Holiday.objects.create(date=THURSDAY, name_ar="إجازة")

    assert sla.previous_working_day(SUNDAY) == WEDNESDAY
    assert sla.next_working_day(WEDNESDAY) == SUNDAY


def test_unassigned_cutoff_is_the_start_of_the_previous_working_day():
    cutoff = sla.unassigned_cutoff(SUNDAY)

    assert timezone.localtime(cutoff) == timezone.make_aware(datetime.datetime(2026, 11, 26, 0, 0))


def test_the_clock_stops_while_the_request_waits_on_the_member(clerk, seedlings):
    """Returned two weeks ago, resubmitted today: the working days it waited are added to its due date."""
    today = timezone.localdate()
    returned_on = today - datetime.timedelta(days=14)
    due = today + datetime.timedelta(days=3)
    service_request = make_request(seedlings, status=Status.UNDER_REVIEW, due_date=due)
    services.return_to_member(service_request=service_request, by=clerk, missing="صورة الصك")
    returned_at = timezone.make_aware(datetime.datetime.combine(returned_on, datetime.time(10, 0)))
    ServiceRequest.objects.filter(pk=service_request.pk).update(paused_at=returned_at)
    service_request.refresh_from_db()
    assert sla.state_of(service_request, on=today + datetime.timedelta(days=30)) == sla.SlaState.PAUSED

    services.resubmit(
        service_request=service_request,
        by=service_request.member.user,
        note="أرفقت الصك",
        files=[(None, SimpleUploadedFile("deed.pdf", PDF_BYTES))],
    )

    service_request.refresh_from_db()
    waited = calendar.working_days_between(returned_on, today)
    assert waited >= 8  # two weeks hold at least eight working days even with a holiday in them
    assert service_request.paused_working_days == waited
    assert service_request.due_date == calendar.add_working_days(due, waited)
    assert service_request.paused_at is None
    assert sla.state_of(service_request, on=today) == sla.SlaState.ON_TIME


def test_the_queue_and_the_indexes_agree_on_what_is_open():
    from requests_app.models.requests import OPEN_STATUSES

    assert set(sla.OPEN_STATUSES) == set(OPEN_STATUSES) == set(Status.values) - set(ServiceRequest.CLOSED_STATUSES)
