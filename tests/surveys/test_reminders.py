"""The reminder: once, three days after the invitation, only to those who have not answered and did not opt out."""

import datetime

import pytest
from django.utils import timezone

from members.models import Notification
from surveys import services, tasks
from tests.concurrency import at_once, needs_postgresql
from tests.surveys.factories import MemberFactory, age, closed_request, default_questionnaire, invitation_for

pytestmark = pytest.mark.django_db


def _reminders() -> int:
    return Notification.objects.filter(event="survey_reminder", channel="inbox").count()


def test_no_reminder_before_three_days():
    age(invitation_for(closed_request()), days=2.9)

    services.send_reminders()

    assert _reminders() == 0


def test_a_reminder_goes_after_three_days_with_the_same_link():
    invitation = age(invitation_for(closed_request()), days=3.1)

    reminded = services.send_reminders()

    assert reminded == 1
    sms = Notification.objects.get(event="survey_reminder", channel="sms")
    assert sms.body.endswith(services.survey_path(invitation))
    invitation.refresh_from_db()
    assert invitation.reminded_at is not None


def test_the_reminder_goes_once_however_often_the_task_runs():
    age(invitation_for(closed_request()), days=4)

    tasks.send_survey_reminders()
    tasks.send_survey_reminders()
    services.send_reminders(now=timezone.now() + datetime.timedelta(days=5))

    assert _reminders() == 1


def test_no_reminder_once_answered():
    invitation = age(invitation_for(closed_request()), days=4)
    services.submit_response(invitation=invitation, answer=services.Answer(overall=4))

    services.send_reminders()

    assert _reminders() == 0


def test_no_reminder_for_an_expired_invitation():
    age(invitation_for(closed_request()), days=31)

    services.send_reminders()

    assert _reminders() == 0


def test_no_reminder_to_a_member_who_opted_out_since():
    member = MemberFactory()
    age(invitation_for(closed_request(member=member)), days=4)
    member.surveys_opt_out = True
    member.save()

    services.send_reminders()

    assert _reminders() == 0


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_reminders_run_by_three_beats_at_once_remind_each_member_once():
    default_questionnaire()
    invitations = [age(invitation_for(closed_request()), days=4) for _ in range(5)]

    results = at_once(services.send_reminders, services.send_reminders, services.send_reminders)

    assert sum(results) == len(invitations)
    assert _reminders() == len(invitations)
