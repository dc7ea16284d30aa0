"""The notice reaches every eligible member by their channels, the board sees who was not reached, and the
reminders go 3 days and 1 day before, once each however often the beat runs."""

import datetime

import pytest
from django.utils import timezone

from assembly import notices, services, tasks
from members.models import Notification
from members_portal.hijri import to_hijri
from tests.assembly.conftest import draft_meeting
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def publish(meeting, secretary, capture):
    with capture(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)


def test_the_notice_gives_the_date_in_both_calendars_the_place_and_the_agenda(
    secretary, django_capture_on_commit_callbacks
):
    member = MemberFactory(shares=3, language="ar")
    meeting = draft_meeting(secretary, days=20)

    publish(meeting, secretary, django_capture_on_commit_callbacks)

    inbox = Notification.objects.get(member=member, event="assembly_notice", channel="inbox")
    hijri = to_hijri(meeting.starts_at)
    assert str(hijri.year) in inbox.body and hijri.month_name("ar") in inbox.body
    assert str(timezone.localtime(meeting.starts_at).year) in inbox.body
    assert meeting.place_ar in inbox.body
    assert "البند 1: تقرير مجلس الإدارة" in inbox.body and "البند 2" in inbox.body
    assert inbox.link == f"/assembly/{meeting.pk}/"


def test_the_notice_follows_each_members_channels_and_consent(secretary, django_capture_on_commit_callbacks):
    sms_only = MemberFactory(shares=3)
    with_email = MemberFactory(shares=3, email="farmer@example.org", email_consent=True)
    no_consent = MemberFactory(shares=3, sms_consent=False)
    meeting = draft_meeting(secretary)

    publish(meeting, secretary, django_capture_on_commit_callbacks)

    def channels(member):
        return set(
            Notification.objects.filter(member=member, event="assembly_notice").values_list("channel", flat=True)
        )

    assert channels(sms_only) == {"inbox", "sms"}
    assert channels(with_email) == {"inbox", "sms", "email"}
    assert channels(no_consent) == {"inbox"}


def test_the_notice_sent_twice_is_queued_once(secretary, django_capture_on_commit_callbacks):
    MemberFactory.create_batch(3, shares=2)
    meeting = draft_meeting(secretary)
    publish(meeting, secretary, django_capture_on_commit_callbacks)
    rows = Notification.objects.filter(event="assembly_notice").count()

    assert tasks.send_meeting_notice(meeting.pk) == 0

    assert Notification.objects.filter(event="assembly_notice").count() == rows == 6


def test_the_board_sees_the_members_neither_a_text_message_nor_an_e_mail_reached(
    secretary, django_capture_on_commit_callbacks
):
    reached = MemberFactory(shares=3)
    no_channel = MemberFactory(shares=3, sms_consent=False)
    failed = MemberFactory(shares=3)
    meeting = draft_meeting(secretary)
    publish(meeting, secretary, django_capture_on_commit_callbacks)
    Notification.objects.filter(member=failed, channel="sms").update(status=Notification.Status.FAILED)

    rows = notices.deliveries(meeting)

    assert {row.eligible.member_id for row in rows if not row.reached} == {no_channel.pk, failed.pk}
    assert {row.eligible.member_id for row in rows if row.reached} == {reached.pk}


@pytest.mark.parametrize("days", [3, 1])
def test_reminders_go_3_days_and_1_day_before_once_however_often_the_beat_runs(
    secretary, django_capture_on_commit_callbacks, days
):
    member = MemberFactory(shares=3)
    meeting = draft_meeting(secretary, days=20)
    publish(meeting, secretary, django_capture_on_commit_callbacks)
    meeting_day = timezone.localtime(meeting.starts_at).date()
    today = meeting_day - datetime.timedelta(days=days)

    first = notices.send_reminders(today=today)
    second = notices.send_reminders(today=today)

    reminders = Notification.objects.filter(member=member, event="assembly_reminder")
    assert (first, second) == (2, 0)
    assert set(reminders.values_list("channel", flat=True)) == {"inbox", "sms"}
    assert meeting.place_ar in reminders.get(channel="inbox").body


def test_no_reminder_on_other_days_nor_for_a_draft(secretary, django_capture_on_commit_callbacks):
    MemberFactory(shares=3)
    published = draft_meeting(secretary, days=20)
    publish(published, secretary, django_capture_on_commit_callbacks)
    draft = draft_meeting(secretary, days=21)
    draft_day = timezone.localtime(draft.starts_at).date()

    assert notices.send_reminders(today=draft_day - datetime.timedelta(days=3)) == 0
    assert notices.send_reminders(today=draft_day - datetime.timedelta(days=10)) == 0
    assert not Notification.objects.filter(event="assembly_reminder").exists()


def test_the_beat_task_runs_twice_and_reminds_once(secretary, django_capture_on_commit_callbacks, monkeypatch):
    MemberFactory.create_batch(2, shares=3)
    meeting = draft_meeting(secretary, days=20)
    publish(meeting, secretary, django_capture_on_commit_callbacks)
    reminder_day = timezone.localtime(meeting.starts_at).date() - datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: reminder_day)

    tasks.send_meeting_reminders()
    tasks.send_meeting_reminders()

    assert Notification.objects.filter(event="assembly_reminder", channel="inbox").count() == 2


def test_the_portable_writer_writes_the_same_rows_as_the_postgresql_one(secretary):
    from django.db import connection

    from assembly import fan_out
    from members import bulk_outbox

    if connection.vendor != "postgresql":
        pytest.skip("compares with the PostgreSQL writer")
    members = [
        MemberFactory(shares=1, language="en", email="a@example.org", email_consent=True),
        MemberFactory(shares=1, sms_consent=False),
        MemberFactory(shares=1),
    ]
    ids = [member.pk for member in members]
    meeting = draft_meeting(secretary)
    texts = fan_out.render(event="assembly_notice", contexts=notices._context(meeting), link="/x/")

    def rows(prefix):
        return sorted(
            (row.member_id, row.channel, row.language, row.subject, row.body, row.status, row.key.removeprefix(prefix))
            for row in Notification.objects.filter(key__startswith=prefix)
        )

    bulk_outbox._insert_sql(ids, "assembly_notice", "sql:", texts, {"a": 1}, "/x/", None)
    bulk_outbox._insert_orm(ids, "assembly_notice", "orm:", texts, {"a": 1}, "/x/", None)

    assert rows("sql:") == rows("orm:") and len(rows("sql:")) == 6  # 3 + inbox only + 2


def test_a_member_reading_the_portal_in_english_reads_the_notice_in_english(
    secretary, django_capture_on_commit_callbacks
):
    from members.notification_texts import in_reader_language

    member = MemberFactory(shares=3, language="ar")
    meeting = draft_meeting(secretary)
    publish(meeting, secretary, django_capture_on_commit_callbacks)
    inbox = Notification.objects.get(member=member, event="assembly_notice", channel="inbox")

    subject, body = in_reader_language(inbox, member=member, language="en")

    assert "Ordinary General Assembly" in subject
    assert meeting.place_en in body and "Item 1: the board's report" in body
    assert to_hijri(meeting.starts_at).month_name("en") in body
