"""The daily escalation: reminders a working day before due, late and long-unassigned requests to supervisors."""

import datetime
import time

import pytest
from django.utils import timezone

from requests_app.desk import escalation
from requests_app.models import StaffNotice
from tests.concurrency import at_once, needs_postgresql, raised
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import Status, make_request

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime.date(2026, 11, 25)
THURSDAY = datetime.date(2026, 11, 26)
FRIDAY = datetime.date(2026, 11, 27)
SUNDAY = datetime.date(2026, 11, 29)
Kind = StaffNotice.Kind


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def notices(kind=None):
    rows = StaffNotice.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted((notice.recipient_id, notice.service_request_id, notice.kind) for notice in rows)


def test_the_assignee_is_reminded_a_working_day_before_the_due_date(clerk, seedlings):
    due_thursday = make_request(seedlings, assignee=clerk, due_date=THURSDAY, submitted_at=at(WEDNESDAY))
    make_request(seedlings, assignee=clerk, due_date=SUNDAY, submitted_at=at(WEDNESDAY))
    make_request(seedlings, assignee=clerk, due_date=THURSDAY, status=Status.RETURNED_TO_MEMBER)

    escalation.escalate(on=WEDNESDAY)

    assert notices() == [(clerk.pk, due_thursday.pk, Kind.DUE_SOON)]


def test_the_reminder_before_a_sunday_due_date_comes_on_thursday(clerk, seedlings):
    due_sunday = make_request(seedlings, assignee=clerk, due_date=SUNDAY, submitted_at=at(THURSDAY))

    escalation.escalate(on=THURSDAY)

    assert notices(Kind.DUE_SOON) == [(clerk.pk, due_sunday.pk, Kind.DUE_SOON)]


def test_a_late_request_is_told_to_every_supervisor_and_its_assignee(clerk, supervisor, coffee, seedlings):
    from tests.requests_app.staff_fixtures import staff_in

    second_supervisor = staff_in(coffee, supervisor=True)
    late = make_request(seedlings, assignee=clerk, due_date=WEDNESDAY - datetime.timedelta(days=1))
    make_request(seedlings, assignee=clerk, due_date=WEDNESDAY - datetime.timedelta(days=1), status=Status.COMPLETED)

    escalation.escalate(on=WEDNESDAY)

    assert notices(Kind.LATE) == sorted(
        [
            (clerk.pk, late.pk, Kind.LATE),
            (supervisor.pk, late.pk, Kind.LATE),
            (second_supervisor.pk, late.pk, Kind.LATE),
        ]
    )


def test_a_request_unassigned_for_more_than_a_working_day_is_flagged_to_supervisors(supervisor, clerk, seedlings):
    old = make_request(seedlings, submitted_at=at(datetime.date(2026, 11, 23)), due_date=SUNDAY)  # Monday
    make_request(seedlings, submitted_at=at(datetime.date(2026, 11, 24)), due_date=SUNDAY)  # Tuesday: not yet
    make_request(seedlings, submitted_at=at(datetime.date(2026, 11, 20)), due_date=SUNDAY, assignee=clerk)

    escalation.escalate(on=WEDNESDAY)

    assert notices(Kind.UNASSIGNED) == [(supervisor.pk, old.pk, Kind.UNASSIGNED)]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_escalated_by_two_beats_at_once_each_notice_is_written_and_counted_once(clerk, supervisor, seedlings):
    make_request(seedlings, assignee=clerk, due_date=THURSDAY)
    make_request(
        seedlings, due_date=WEDNESDAY - datetime.timedelta(days=2), submitted_at=at(datetime.date(2026, 11, 1))
    )

    results = at_once(*[lambda: escalation.escalate(on=WEDNESDAY)] * 3)

    assert raised(results) == []
    assert sum(sum(counts.values()) for counts in results) == StaffNotice.objects.count() == 3


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_e_mailed_by_two_beats_at_once_each_person_gets_one_e_mail_with_all_their_notices(
    clerk, supervisor, seedlings, mailoutbox, monkeypatch
):
    for days in range(1, 31):
        make_request(seedlings, assignee=clerk, due_date=WEDNESDAY - datetime.timedelta(days=days))
    with monkeypatch.context() as patch:
        patch.setattr(escalation, "after_commit", lambda task: None)  # the e-mail task runs below, three times at once
        escalation.escalate(on=WEDNESDAY)
    claim = escalation._claim
    monkeypatch.setattr(escalation, "_claim", lambda pk: time.sleep(0.005) or claim(pk))  # a busy database

    results = at_once(escalation.email_notices, escalation.email_notices, escalation.email_notices)

    assert raised(results) == []
    assert sorted(message.to[0] for message in mailoutbox) == sorted([clerk.email, supervisor.email])
    assert all(message.body.count("/requests/staff/requests/") == 30 for message in mailoutbox)


def test_the_next_day_reminds_again(clerk, seedlings):
    make_request(seedlings, assignee=clerk, due_date=WEDNESDAY - datetime.timedelta(days=1))

    escalation.escalate(on=WEDNESDAY)
    escalation.escalate(on=THURSDAY)

    assert StaffNotice.objects.filter(kind=Kind.LATE).count() == 2


def test_nothing_is_escalated_on_the_weekend(clerk, seedlings):
    make_request(seedlings, assignee=clerk, due_date=WEDNESDAY)

    assert sum(escalation.escalate(on=FRIDAY).values()) == 0
    assert not StaffNotice.objects.exists()


def test_each_person_gets_one_email_once(clerk, supervisor, seedlings, mailoutbox, django_capture_on_commit_callbacks):
    make_request(seedlings, assignee=clerk, due_date=WEDNESDAY - datetime.timedelta(days=1))
    make_request(seedlings, assignee=clerk, due_date=THURSDAY)

    with django_capture_on_commit_callbacks(execute=True):
        escalation.escalate(on=WEDNESDAY)
    escalation.email_notices()

    assert sorted(message.to[0] for message in mailoutbox) == sorted([clerk.email, supervisor.email])
    clerk_mail = next(message for message in mailoutbox if message.to == [clerk.email])
    assert clerk_mail.body.count("/requests/staff/requests/") == 2
    assert not StaffNotice.objects.filter(emailed_at__isnull=True).exists()


def test_the_escalation_task_runs_the_escalation(clerk, seedlings):
    from requests_app import tasks

    make_request(seedlings, assignee=clerk, due_date=timezone.localdate() - datetime.timedelta(days=3))

    result = tasks.escalate_requests.apply().get()

    from requests_app import calendar

    expected = 1 if calendar.is_working_day(timezone.localdate()) else 0
    assert result[Kind.LATE] == expected


def test_staff_home_lists_unread_notices_and_marks_them_read(clerk_client, clerk, seedlings):
    from django.urls import reverse

    late = make_request(seedlings, assignee=clerk, due_date=WEDNESDAY - datetime.timedelta(days=1))
    escalation.escalate(on=WEDNESDAY)

    assert late.reference_no in clerk_client.get(reverse("requests_app:staff-home")).content.decode()
    clerk_client.post(reverse("requests_app:staff-notices-read"))

    assert not StaffNotice.objects.filter(read_at__isnull=True).exists()
