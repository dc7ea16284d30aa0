"""The reminder: once, three days after the invitation, only to those who have not answered and did not opt out."""

import datetime

import pytest
from django.db import OperationalError
from django.db.models.query import QuerySet
from django.utils import timezone

from members import outbox
from members.models import Notification
from surveys import services, tasks
from surveys.models import Invitation
from tests.concurrency import at_once, needs_postgresql
from tests.surveys.factories import MemberFactory, age, closed_request, default_questionnaire, invitation_for

pytestmark = pytest.mark.django_db


def _reminders() -> int:
    return Notification.objects.filter(event="survey_reminder", channel="inbox").count()


def test_what_beat_schedules_reminds_the_members_who_have_not_answered(settings):
    """Nothing else sends the reminder: the schedule must name the reminders' task, and the task it names reminds."""
    from members_portal.celery import app

    invitation = age(invitation_for(closed_request()), days=4)
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "surveys.tasks.send_survey_reminders"
    ]

    assert len(entries) == 1, "beat must run the survey reminders"
    app.loader.import_default_modules()
    app.tasks[entries[0]["task"]].apply()  # the task beat sends, looked up by the name in the schedule

    invitation.refresh_from_db()
    assert invitation.reminded_at is not None and _reminders() == 1


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


def test_no_reminder_to_a_member_who_answers_after_the_run_read_its_list(monkeypatch):
    """The member answers while the hourly run is working through the invitations it read: their invitation is not
    reminded, and the reminder time answering emptied stays empty (written now, it would date the answer)."""
    invitation = age(invitation_for(closed_request()), days=4)
    real_values_list, answered = QuerySet.values_list, []

    def read_then_answered(self, *fields, **kwargs):
        rows = real_values_list(self, *fields, **kwargs)
        if self.model is not Invitation or answered:
            return rows
        due = list(rows)  # the run has read its list
        answered.append(invitation)
        services.submit_response(invitation=invitation, answer=services.Answer(overall=4))
        return due

    monkeypatch.setattr(QuerySet, "values_list", read_then_answered)
    reminded = services.send_reminders()

    invitation.refresh_from_db()
    assert reminded == 0 and _reminders() == 0
    assert invitation.answered and invitation.reminded_at is None


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


def test_a_reminder_whose_message_could_not_be_written_goes_on_the_next_run(monkeypatch):
    """The claim (reminded_at) and the message are written together: a run that fails on the message (the database
    went away) leaves the invitation unreminded, and the next hour's run reminds the member. Claimed alone, the
    invitation would count as reminded and the reminder would never go."""
    age(invitation_for(closed_request()), days=4)

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patched:
        patched.setattr(outbox, "queue_notification", database_gone)
        with pytest.raises(OperationalError):
            tasks.send_survey_reminders()
    reminded = tasks.send_survey_reminders()

    assert reminded == 1
    assert _reminders() == 1


def test_an_invitation_whose_reminder_fails_holds_up_none_after_it(monkeypatch):
    """The run goes on past an invitation whose message cannot be written (and says it failed); that invitation is
    tried again on the next run. Stopping at it, the hourly run would fail on it first every time, and no member
    invited after it would ever be reminded."""
    stuck = age(invitation_for(closed_request()), days=5)
    later = age(invitation_for(closed_request()), days=4)
    queue_notification = outbox.queue_notification

    def refusing_the_first(**kwargs):
        if kwargs["key"] == f"survey-reminder:{stuck.pk}":
            raise ValueError("a template that cannot be rendered")
        return queue_notification(**kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(outbox, "queue_notification", refusing_the_first)
        with pytest.raises(ValueError):
            tasks.send_survey_reminders()
    stuck.refresh_from_db()
    later.refresh_from_db()
    assert later.reminded_at is not None and stuck.reminded_at is None

    assert tasks.send_survey_reminders() == 1
    assert _reminders() == 2


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_reminders_run_by_three_beats_at_once_remind_each_member_once():
    default_questionnaire()
    invitations = [age(invitation_for(closed_request()), days=4) for _ in range(5)]

    results = at_once(services.send_reminders, services.send_reminders, services.send_reminders)

    assert sum(results) == len(invitations)
    assert _reminders() == len(invitations)
