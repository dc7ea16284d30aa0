"""The outbox: queueing (validation first, consent, idempotency), sending (claim, retry, fail), the sweep."""

import json
import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.query import QuerySet
from django.utils import timezone

from members import channels, outbox, tasks
from members import outbox_sending as sending
from members.models import Channel, Notification
from members_portal import enqueue
from tests.concurrency import at_once, needs_postgresql
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    return settings.SMS_FILE_PATH


def sms_lines(path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def queue_test_message(member, key="k1", **extra):
    return outbox.queue_notification(
        member=member, event="test_message", key=key, link="/members/inbox/", context=extra or None
    )


def test_a_member_gets_inbox_and_sms_but_no_email_without_an_address():
    member = MemberFactory(email="", email_consent=True, sms_consent=True)

    rows = queue_test_message(member)

    assert sorted(row.channel for row in rows) == [Channel.INBOX, Channel.SMS]


def test_email_needs_both_an_address_and_consent():
    consenting = MemberFactory(email="a@example.org", email_consent=True, sms_consent=False)
    refusing = MemberFactory(email="b@example.org", email_consent=False, sms_consent=False)

    assert {row.channel for row in queue_test_message(consenting, key="a")} == {Channel.INBOX, Channel.EMAIL}
    assert {row.channel for row in queue_test_message(refusing, key="b")} == {Channel.INBOX}


def test_the_inbox_copy_is_written_as_sent_and_the_others_wait_for_the_worker():
    member = MemberFactory(sms_consent=True)

    rows = {row.channel: row for row in queue_test_message(member)}

    assert rows[Channel.INBOX].status == Status.SENT
    assert rows[Channel.SMS].status == Status.PENDING


def test_texts_are_rendered_in_the_members_language():
    arabic = MemberFactory(language="ar", full_name_ar="سعيد آل مريح")
    english = MemberFactory(language="en", full_name_ar="سالم", full_name_en="Salem Al Yami")

    ar_inbox = next(r for r in queue_test_message(arabic, key="ar") if r.channel == Channel.INBOX)
    en_inbox = next(r for r in queue_test_message(english, key="en") if r.channel == Channel.INBOX)

    assert "سعيد" in ar_inbox.body
    assert any("\u0600" <= char <= "\u06ff" for char in ar_inbox.subject)
    assert en_inbox.subject == "Test message from the members portal"
    assert "Salem Al Yami" in en_inbox.body


def test_the_same_key_queues_nothing_the_second_time():
    member = MemberFactory()

    first = queue_test_message(member, key="same")
    second = queue_test_message(member, key="same")

    assert first and second == []
    assert Notification.objects.filter(member=member).count() == len(first)


def test_an_event_without_templates_is_refused_before_anything_is_written():
    member = MemberFactory()

    with pytest.raises(outbox.NotificationTemplateError) as error:
        outbox.queue_notification(member=member, event="no_such_event", key="x")

    assert error.value.code == "template_missing"
    assert not Notification.objects.exists()


def test_a_template_missing_a_variable_is_a_clear_error_naming_it(settings, tmp_path):
    folder = tmp_path / "members" / "notifications" / "needs_reference"
    folder.mkdir(parents=True)
    for channel in ("inbox", "email"):
        (folder / f"{channel}.txt").write_text("Subject\nYour request {{ reference_no }} moved.", encoding="utf-8")
    (folder / "sms.txt").write_text("Request {{ reference_no }}: {{ short_link }}", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    outbox._engine.cache_clear()
    member = MemberFactory()
    try:
        with pytest.raises(outbox.NotificationTemplateError) as error:
            outbox.queue_notification(member=member, event="needs_reference", key="x", context={})
        queued = outbox.queue_notification(
            member=member, event="needs_reference", key="y", context={"reference_no": "NJC-2026-000001"}
        )
    finally:
        outbox._engine.cache_clear()

    assert error.value.code == "template_variable_missing"
    assert "reference_no" in error.value.messages[0]
    assert {row.key for row in queued} == {f"y:{row.channel}" for row in queued}
    assert not Notification.objects.filter(key__startswith="x:").exists()


def test_a_context_that_is_not_json_is_refused():
    member = MemberFactory()

    with pytest.raises(ValidationError):
        queue_test_message(member, when=timezone.now())

    assert not Notification.objects.exists()


def test_the_send_task_is_enqueued_only_after_commit(django_capture_on_commit_callbacks, sms_file):
    member = MemberFactory(sms_consent=True)

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        queue_test_message(member)
    sms = Notification.objects.get(channel=Channel.SMS)
    assert sms.status == Status.PENDING and sms_lines(sms_file) == []

    for callback in callbacks:
        callback()

    sms.refresh_from_db()
    assert sms.status == Status.SENT and sms.attempts == 1 and sms.sent_at is not None
    assert [line["to"] for line in sms_lines(sms_file)] == [str(member.mobile)]


def test_a_rolled_back_event_leaves_no_message_and_sends_nothing(django_capture_on_commit_callbacks, sms_file):
    member = MemberFactory(sms_consent=True)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue_test_message(member)
        raise RuntimeError("the event failed")

    assert not Notification.objects.exists()
    assert sms_lines(sms_file) == []


def test_the_sms_carries_a_short_link_that_fits_two_segments(django_capture_on_commit_callbacks, sms_file):
    member = MemberFactory(sms_consent=True, full_name_ar="عبدالرحمن بن محمد بن سعيد آل مريح")

    with django_capture_on_commit_callbacks(execute=True):
        rows = queue_test_message(member)

    text = sms_lines(sms_file)[0]["text"]
    token = rows[0].token
    assert text.endswith(f"/n/{token}/")
    assert outbox.sms_length(text).segments <= 2


def test_a_batch_sends_each_row_once_and_skips_the_rest(sms_file):
    rows = [
        next(r for r in queue_test_message(MemberFactory(sms_consent=True), key=k) if r.channel == Channel.SMS)
        for k in ("a", "b", "c")
    ]
    sending.deliver_notification(rows[0].pk)

    outcomes = sending.deliver_batch([row.pk for row in rows])

    assert outcomes == {"skipped": 1, "sent": 2}
    assert len(sms_lines(sms_file)) == 3


def test_a_row_is_sent_once_however_often_its_task_runs(sms_file):
    member = MemberFactory(sms_consent=True)
    sms = next(row for row in queue_test_message(member) if row.channel == Channel.SMS)

    outcomes = [sending.deliver_notification(sms.pk) for _ in range(3)]

    assert outcomes == ["sent", "skipped", "skipped"]
    assert len(sms_lines(sms_file)) == 1


def test_a_row_claimed_by_a_live_worker_is_not_claimed_again(settings):
    settings.OUTBOX_SENDING_TIMEOUT_S = 300
    member = MemberFactory(sms_consent=True)
    sms = next(row for row in queue_test_message(member) if row.channel == Channel.SMS)

    first_token, first = sending.claim([sms.pk])
    second_token, second = sending.claim([sms.pk])

    assert [row.pk for row in first] == [sms.pk] and second == []
    assert Notification.objects.get(pk=sms.pk).claim_token == first_token != second_token


def test_a_row_stuck_sending_past_the_timeout_can_be_claimed_again(settings):
    settings.OUTBOX_SENDING_TIMEOUT_S = 300
    member = MemberFactory(sms_consent=True)
    sms = next(row for row in queue_test_message(member) if row.channel == Channel.SMS)
    sending.claim([sms.pk])
    Notification.objects.filter(pk=sms.pk).update(claimed_at=timezone.now() - timedelta(seconds=301))

    _token, rows = sending.claim([sms.pk])

    assert [row.pk for row in rows] == [sms.pk]
    assert Notification.objects.get(pk=sms.pk).attempts == 2


def test_a_worker_whose_claim_was_taken_over_does_not_send_or_mark_the_row(settings, sms_file):
    settings.OUTBOX_SENDING_TIMEOUT_S = 30
    member = MemberFactory(sms_consent=True)
    sms = next(row for row in queue_test_message(member) if row.channel == Channel.SMS)
    slow_token, slow_rows = sending.claim([sms.pk])
    Notification.objects.filter(pk=sms.pk).update(claimed_at=timezone.now() - timedelta(seconds=31))
    fast_token, _rows = sending.claim([sms.pk])

    outcome = sending._send_claimed(slow_rows[0], slow_token)

    row = Notification.objects.get(pk=sms.pk)
    assert outcome == "skipped" and sms_lines(sms_file) == []
    assert row.status == Status.SENDING and row.claim_token == fast_token


def test_a_failing_channel_retries_with_backoff_then_fails_with_the_reason(settings, monkeypatch):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BACKOFF_S = 30
    delays = []
    monkeypatch.setattr(sending, "_enqueue_quietly", lambda ids, countdown=None: delays.append(countdown))

    def refuse(to, text, reference="", backend=""):
        raise channels.SmsError("SMS gateway answered HTTP 503: busy")

    monkeypatch.setattr(channels, "send_sms", refuse)
    member = MemberFactory(sms_consent=True)
    sms = next(row for row in queue_test_message(member) if row.channel == Channel.SMS)

    outcomes = [sending.deliver_notification(sms.pk) for _ in range(4)]

    sms.refresh_from_db()
    assert outcomes == ["retry", "retry", "failed", "skipped"]
    assert delays == [30, 60]
    assert sms.status == Status.FAILED and sms.attempts == 3
    assert sms.last_error == "SMS gateway answered HTTP 503: busy"


def test_a_member_who_withdrew_consent_before_sending_is_not_texted(settings, sms_file):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    member = MemberFactory(sms_consent=True)
    sms = next(row for row in queue_test_message(member) if row.channel == Channel.SMS)
    member.sms_consent = False
    member.save(update_fields=["sms_consent"])

    assert sending.deliver_notification(sms.pk) == "failed"
    assert sms_lines(sms_file) == []
    assert "consent" in Notification.objects.get(pk=sms.pk).last_error


def test_email_goes_through_django_mail_with_the_subject_line(mailoutbox, settings):
    member = MemberFactory(email="member@example.org", email_consent=True, sms_consent=False, language="ar")
    email = next(row for row in queue_test_message(member) if row.channel == Channel.EMAIL)

    sending.deliver_notification(email.pk)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["member@example.org"]
    assert mailoutbox[0].subject == email.subject and email.subject
    assert settings.SITE_URL + "/members/inbox/" in mailoutbox[0].body


def test_the_sweep_reenqueues_pending_rows_past_the_grace_and_stale_sending_rows(settings, monkeypatch):
    settings.OUTBOX_PENDING_GRACE_S = 60
    settings.OUTBOX_SENDING_TIMEOUT_S = 300
    enqueued = []
    monkeypatch.setattr(sending, "_enqueue_quietly", lambda ids, countdown=None: enqueued.extend(ids))
    old = timezone.now() - timedelta(minutes=2)
    fresh, due, stale, live = (
        next(r for r in queue_test_message(MemberFactory(sms_consent=True), key=k) if r.channel == Channel.SMS)
        for k in ("fresh", "due", "stale", "live")
    )
    Notification.objects.filter(pk=due.pk).update(next_attempt_at=old)
    Notification.objects.filter(pk=stale.pk).update(
        status=Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=6)
    )
    Notification.objects.filter(pk=live.pk).update(status=Status.SENDING, claimed_at=timezone.now())

    count = sending.requeue_due()

    assert count == 2 and sorted(enqueued) == sorted([due.pk, stale.pk])
    assert fresh.pk not in enqueued
    # Re-enqueued now: the next sweep leaves it for another grace period.
    assert sending.requeue_due() == 1  # only the stale "sending" one is still waiting for a worker


def test_the_sweep_task_delivers_what_the_broker_lost(settings, sms_file):
    settings.OUTBOX_PENDING_GRACE_S = 0
    member = MemberFactory(sms_consent=True)
    queue_test_message(member)  # no on_commit callback runs here: the "lost" enqueue

    tasks.sweep_outbox()
    tasks.sweep_outbox()

    assert Notification.objects.get(channel=Channel.SMS).status == Status.SENT
    assert len(sms_lines(sms_file)) == 1


def test_retry_puts_a_failed_row_back_and_sends_it(django_capture_on_commit_callbacks, sms_file):
    admin = UserFactory()
    member = MemberFactory(sms_consent=True)
    sms = next(row for row in queue_test_message(member) if row.channel == Channel.SMS)
    Notification.objects.filter(pk=sms.pk).update(status=Status.FAILED, attempts=5, last_error="HTTP 500")

    with django_capture_on_commit_callbacks(execute=True):
        sending.retry_notification(notification=sms, by=admin)

    sms.refresh_from_db()
    assert sms.status == Status.SENT and sms.attempts == 1
    assert len(sms_lines(sms_file)) == 1


def test_only_a_failed_row_can_be_retried():
    member = MemberFactory(sms_consent=True)
    sms = next(row for row in queue_test_message(member) if row.channel == Channel.SMS)

    with pytest.raises(ValidationError):
        sending.retry_notification(notification=sms, by=UserFactory())


def test_what_beat_schedules_for_the_outbox_delivers_a_message_whose_task_was_lost(settings, sms_file):
    from members_portal.celery import app

    settings.OUTBOX_PENDING_GRACE_S = 0
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    member = MemberFactory(sms_consent=True)
    queue_test_message(member)  # its on_commit publish never runs here: the lost task

    app.tasks[entry["task"]].apply()  # the task beat sends, looked up by the name in the schedule

    assert Notification.objects.get(channel=Channel.SMS).status == Status.SENT
    assert entry["schedule"] <= 60  # with claims expiring after 30 s, a dead worker's messages go within 90 s


def test_the_sweep_finishes_an_announcement_whose_fan_out_was_lost(settings):
    from members import announcements
    from members.models import Announcement

    settings.OUTBOX_PENDING_GRACE_S = 60
    MemberFactory.create_batch(2)
    supervisor = UserFactory(roles=["supervisor"])
    announcement = announcements.send_announcement(
        by=supervisor, title_ar="عنوان", title_en="Title", body_ar="نص", body_en="Text", segment="all"
    )  # its on_commit fan-out never runs here: the lost task
    Announcement.objects.filter(pk=announcement.pk).update(created_at=timezone.now() - timedelta(minutes=2))

    tasks.sweep_outbox()

    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.QUEUED and announcement.recipients == 2
    assert announcement.notifications.filter(channel=Channel.INBOX).count() == 2


@pytest.mark.django_db(transaction=True)
@needs_postgresql
def test_a_duplicate_task_whose_claim_is_slow_does_not_send_again_what_the_other_has_sent(sms_file, monkeypatch):
    """Two tasks for one message read it claimable at the same moment; one claims and sends it while the other's
    claim is held up (a loaded database) until the message is out. The late claim must take nothing: with the
    claim's row lock and its conditional UPDATE both gone it took the row under its own token and sent it again
    (the three-process test in tests/workers did not see it: its claims were all taken before any message went)."""
    monkeypatch.setattr(enqueue, "_send", lambda task, args: None)  # only the two tasks below
    sms = next(row for row in queue_test_message(MemberFactory(sms_consent=True)) if row.channel == Channel.SMS)
    real_update, arrived = QuerySet.update, []

    def update(self, **values):
        if self.model is Notification and values.get("status") == Status.SENDING:  # the claim taking its rows
            arrived.append(threading.get_ident())
            if len(arrived) == 1:
                time.sleep(0.5)  # the other task's claim, if it read the row as claimable too, arrives meanwhile
            else:
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and not sending_done():
                    time.sleep(0.02)
        return real_update(self, **values)

    def sending_done() -> bool:
        return Notification.objects.filter(pk=sms.pk, status=Status.SENT).exists()

    monkeypatch.setattr(QuerySet, "update", update)

    outcomes = at_once(lambda: sending.deliver_notification(sms.pk), lambda: sending.deliver_notification(sms.pk))

    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(sms_lines(sms_file)) == 1
