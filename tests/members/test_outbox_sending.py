"""Sending under faults, in one process: the provider's reference, a database blip after the hand-over, a claim
kept alive by its heartbeat, what a dead worker leaves behind, and the task retrying a database error."""

import json
import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.db.models.query import QuerySet
from django.utils import timezone

from members import channels, outbox, tasks
from members import outbox_sending as sending
from members.models import Channel, Notification
from members_portal import db_retry
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    return settings.SMS_FILE_PATH


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    """The write retries' back-off, without the wait."""
    monkeypatch.setattr(db_retry, "WRITE_RETRY_DELAYS_S", (0.0,) * len(db_retry.WRITE_RETRY_DELAYS_S))


def sms_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def an_sms(key="k1") -> Notification:
    member = MemberFactory(sms_consent=True)
    rows = outbox.queue_notification(member=member, event="test_message", key=key, link="/members/inbox/")
    return next(row for row in rows if row.channel == Channel.SMS)


def failing_updates(monkeypatch, when, times: int | None = None) -> list[dict]:
    """Make QuerySet.update raise OperationalError (a dropped connection) for updates `when(values)` picks,
    `times` times or always. Returns the values of the updates that failed."""
    real_update, failed = QuerySet.update, []

    def update(self, **values):
        if self.model is Notification and when(values) and (times is None or len(failed) < times):
            failed.append(values)
            raise OperationalError("server closed the connection unexpectedly")
        return real_update(self, **values)

    monkeypatch.setattr(QuerySet, "update", update)
    return failed


def marking_sent(values: dict) -> bool:
    return values.get("status") == Status.SENT


def test_the_outbox_key_goes_to_the_provider_as_the_reference(sms_file):
    sms = an_sms(key="timeline:41")

    sending.deliver_notification(sms.pk)

    assert [line["reference"] for line in sms_lines(sms_file)] == ["timeline:41:sms"] == [sms.key]


def test_a_database_blip_after_the_hand_over_is_ridden_out_and_the_message_recorded_sent(monkeypatch, sms_file):
    sms = an_sms()
    failed = failing_updates(monkeypatch, marking_sent, times=3)

    outcome = sending.deliver_notification(sms.pk)

    sms.refresh_from_db()
    assert len(failed) == 3 and outcome == "sent"
    assert sms.status == Status.SENT and sms.handed_over_at is None
    assert len(sms_lines(sms_file)) == 1


def test_a_sent_message_whose_record_is_lost_is_marked_for_checking_and_never_sent_again(
    settings, monkeypatch, sms_file
):
    settings.OUTBOX_SENDING_TIMEOUT_S = 30
    sms = an_sms()
    failing_updates(monkeypatch, marking_sent)  # the database stays away longer than the retries

    with pytest.raises(OperationalError):
        sending.deliver_notification(sms.pk)
    monkeypatch.undo()
    Notification.objects.filter(pk=sms.pk).update(claimed_at=timezone.now() - timedelta(seconds=31))
    sending.requeue_due()
    outcomes = [sending.deliver_notification(sms.pk) for _ in range(2)]

    sms.refresh_from_db()
    assert sms.status == Status.UNKNOWN and "provider" in sms.last_error
    assert outcomes == ["skipped", "skipped"]
    assert len(sms_lines(sms_file)) == 1


def test_a_message_handed_over_by_a_worker_that_stopped_is_not_sent_again_by_a_task_that_comes_before_the_sweep(
    settings, monkeypatch, sms_file
):
    """The worker handed the message over and stopped before recording the outcome; its claim expires. The message
    may have gone out, so a redelivered task (acks late) that reaches it before the sweep has marked it to check must
    not claim it: the sweep then marks it to check, and it went out once."""
    settings.OUTBOX_SENDING_TIMEOUT_S = 30
    sms = an_sms()
    with monkeypatch.context() as patched:
        failing_updates(patched, marking_sent)  # the outcome is never recorded
        with pytest.raises(OperationalError):
            sending.deliver_notification(sms.pk)
    Notification.objects.filter(pk=sms.pk).update(claimed_at=timezone.now() - timedelta(seconds=31))

    redelivered = sending.deliver_notification(sms.pk)
    sending.requeue_due()

    sms.refresh_from_db()
    assert redelivered == "skipped"
    assert sms.status == Status.UNKNOWN
    assert len(sms_lines(sms_file)) == 1


def test_a_message_claimed_by_a_dead_worker_before_the_hand_over_is_sent_once_when_the_claim_expires(
    settings, sms_file
):
    settings.OUTBOX_SENDING_TIMEOUT_S = 30
    sms = an_sms()
    sending.claim([sms.pk])  # the worker died right after claiming
    assert sending.deliver_notification(sms.pk) == "skipped"  # its claim is still alive

    Notification.objects.filter(pk=sms.pk).update(claimed_at=timezone.now() - timedelta(seconds=31))

    assert sending.deliver_notification(sms.pk) == "sent"
    assert len(sms_lines(sms_file)) == 1


def test_a_message_marked_to_check_while_the_provider_was_answering_is_recorded_sent_when_the_answer_comes(
    settings, monkeypatch, sms_file
):
    """The provider's answer took longer than the claim timeout (the worker stalled mid-send), so the sweep marked the
    message to check. When the answer comes, the worker's own claim records it sent: staff are not asked to check,
    and cannot send again, a message that went out."""
    settings.OUTBOX_SENDING_TIMEOUT_S = 30
    sms = an_sms()

    def stalled(to, text, reference):
        Notification.objects.filter(pk=sms.pk).update(claimed_at=timezone.now() - timedelta(seconds=31))
        sending.requeue_due()  # the sweep, while the provider has not answered yet
        assert Notification.objects.get(pk=sms.pk).status == Status.UNKNOWN
        channels.SMS_BACKENDS["file"](to, text, reference)

    monkeypatch.setitem(channels.SMS_BACKENDS, "stalled", stalled)
    settings.SMS_BACKEND = "stalled"

    outcome = sending.deliver_notification(sms.pk)

    sms.refresh_from_db()
    assert outcome == "sent" and sms.status == Status.SENT
    assert len(sms_lines(sms_file)) == 1


def test_a_live_worker_keeps_its_claim_however_long_its_batch_takes(settings, monkeypatch, sms_file):
    settings.OUTBOX_SENDING_TIMEOUT_S = 0.6  # a heartbeat every 0.1 s; eight messages take 1.2 s
    rows = [an_sms(key=f"beat{n}") for n in range(8)]
    ids = [row.pk for row in rows]
    taken_over = []

    def slow(to, text, reference):
        time.sleep(0.15)
        _token, stolen = sending.claim(ids)  # another worker looking for dead claims
        taken_over.extend(row.pk for row in stolen)
        channels.SMS_BACKENDS["file"](to, text, reference)

    monkeypatch.setitem(channels.SMS_BACKENDS, "slow", slow)
    settings.SMS_BACKEND = "slow"

    outcomes = sending.deliver_batch(ids)

    assert taken_over == [] and outcomes == {"sent": 8}
    assert len(sms_lines(sms_file)) == 8


def test_a_batch_out_of_time_hands_the_rest_to_a_new_task_and_each_message_goes_once(settings, monkeypatch, sms_file):
    """Near the task's time limit a batch gives back the messages it has not reached and enqueues them: the new task
    can claim them at once (they are not left claimed by the old task until its claim expires) and sends each."""
    rows = [an_sms(key=f"late{n}") for n in range(4)]
    monkeypatch.setattr(sending, "BATCH_BUDGET_S", 0.3)

    def slow(to, text, reference):
        time.sleep(0.2)
        channels.SMS_BACKENDS["file"](to, text, reference)

    monkeypatch.setitem(channels.SMS_BACKENDS, "slow", slow)
    settings.SMS_BACKEND = "slow"

    outcomes = sending.deliver_batch([row.pk for row in rows])  # the new task runs at once (eager, as in tests)

    assert 0 < outcomes["sent"] < len(rows)  # 0.2 s a message: the third is past the budget
    assert set(Notification.objects.filter(pk__in=[row.pk for row in rows]).values_list("status", flat=True)) == {
        Status.SENT
    }
    assert sorted(line["reference"] for line in sms_lines(sms_file)) == sorted(row.key for row in rows)


def test_a_database_error_mid_batch_gives_back_the_messages_not_yet_handed_over(monkeypatch, sms_file):
    rows = [an_sms(key=f"mid{n}") for n in range(3)]
    hand_overs = []

    def second_hand_over(values: dict) -> bool:  # the first message goes out, the second meets the blip
        if list(values) == ["handed_over_at"]:
            hand_overs.append(values)
            return len(hand_overs) == 2
        return False

    failing_updates(monkeypatch, second_hand_over, times=1)

    with pytest.raises(OperationalError):
        sending.deliver_batch([row.pk for row in rows])

    states = dict(Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("pk", "status"))
    assert [states[row.pk] for row in rows] == [Status.SENT, Status.PENDING, Status.PENDING]
    assert Notification.objects.get(pk=rows[1].pk).attempts == 0
    assert len(sms_lines(sms_file)) == 1


def test_a_delivery_task_that_meets_a_database_error_is_retried_and_sends_once(monkeypatch, sms_file):
    sms = an_sms()
    real_claim, calls = sending.claim, []

    def claim_after_a_blip(ids):
        calls.append(ids)
        if len(calls) == 1:
            raise OperationalError("the database system is starting up")
        return real_claim(ids)

    monkeypatch.setattr(sending, "claim", claim_after_a_blip)

    result = tasks.send_notification.apply(args=(sms.pk,), throw=False)  # as a worker runs it: the retry is run too

    assert result.get() == "sent" and len(calls) == 2
    assert len(sms_lines(sms_file)) == 1


def test_staff_send_a_message_to_check_again_with_the_same_reference(django_capture_on_commit_callbacks, sms_file):
    sms = an_sms(key="timeline:9")
    Notification.objects.filter(pk=sms.pk).update(status=Status.UNKNOWN, handed_over_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        sending.retry_notification(notification=sms, by=UserFactory())

    sms.refresh_from_db()
    assert sms.status == Status.SENT
    assert [line["reference"] for line in sms_lines(sms_file)] == ["timeline:9:sms"]


def test_staff_confirm_a_message_to_check_as_sent_and_nothing_is_sent(sms_file):
    sms = an_sms()
    Notification.objects.filter(pk=sms.pk).update(status=Status.UNKNOWN)

    sending.confirm_sent(notification=sms, by=UserFactory())

    assert Notification.objects.get(pk=sms.pk).status == Status.SENT
    assert sms_lines(sms_file) == []


def test_an_uncertain_sms_goes_again_under_its_own_reference_when_the_gateway_drops_repeats(settings, monkeypatch):
    settings.OUTBOX_SENDING_TIMEOUT_S = 30
    settings.SMS_BACKEND = "gateway"
    settings.SMS_GATEWAY_DROPS_REPEATS = True
    taken = []
    monkeypatch.setitem(channels.SMS_BACKENDS, "gateway", lambda to, text, reference: taken.append(reference))
    sms = an_sms()
    # A worker recorded the hand-over and stopped: whether the gateway got it is not known.
    Notification.objects.filter(pk=sms.pk).update(
        status=Status.SENDING,
        claim_token="dead",
        handed_over_at=timezone.now(),
        claimed_at=timezone.now() - timedelta(seconds=31),
    )

    sending.requeue_due()
    outcome = sending.deliver_notification(sms.pk)

    sms.refresh_from_db()
    assert outcome == "sent" and sms.status == Status.SENT
    assert taken == [sms.key]  # the provider sees the same reference again, and drops it if it had it


def test_an_uncertain_sms_waits_for_a_check_when_the_gateway_does_not_say_it_drops_repeats(settings, monkeypatch):
    settings.OUTBOX_SENDING_TIMEOUT_S = 30
    settings.SMS_BACKEND = "gateway"
    settings.SMS_GATEWAY_DROPS_REPEATS = False
    taken = []
    monkeypatch.setitem(channels.SMS_BACKENDS, "gateway", lambda to, text, reference: taken.append(reference))
    sms = an_sms()
    Notification.objects.filter(pk=sms.pk).update(
        status=Status.SENDING,
        claim_token="dead",
        handed_over_at=timezone.now(),
        claimed_at=timezone.now() - timedelta(seconds=31),
    )

    sending.requeue_due()
    sending.deliver_notification(sms.pk)

    sms.refresh_from_db()
    assert sms.status == Status.UNKNOWN and taken == []


def a_dead_workers_hand_over(row: Notification) -> None:
    """A worker recorded the hand-over and stopped: whether the channel got the message is not known."""
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENDING,
        claim_token="dead",
        handed_over_at=timezone.now(),
        claimed_at=timezone.now() - timedelta(seconds=31),
    )


@pytest.mark.parametrize("resend", [True, False])
def test_an_uncertain_email_goes_again_with_its_own_message_id_unless_set_to_wait_for_a_check(
    settings, mailoutbox, resend
):
    settings.OUTBOX_SENDING_TIMEOUT_S = 30
    settings.OUTBOX_RESEND_UNCERTAIN_EMAIL = resend
    member = MemberFactory(email="salem@example.com", email_consent=True)
    rows = outbox.queue_notification(member=member, event="test_message", key="k-mail", link="/members/inbox/")
    mail = next(row for row in rows if row.channel == Channel.EMAIL)
    a_dead_workers_hand_over(mail)

    sending.requeue_due()
    sending.deliver_notification(mail.pk)

    mail.refresh_from_db()
    if resend:
        assert mail.status == Status.SENT and len(mailoutbox) == 1
        assert mailoutbox[0].message()["Message-ID"] == channels.message_id(mail.key)  # as at the first hand-over
    else:
        assert mail.status == Status.UNKNOWN and mailoutbox == []
