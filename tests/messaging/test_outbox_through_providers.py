"""The outbox through each provider's fake API: what the provider says decides what the row says."""

import pytest

from members import outbox
from members import outbox_sending as sending
from members.models import Channel, Notification
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status


def an_sms(key="timeline:7", mobile="+966501234567") -> Notification:
    member = MemberFactory(sms_consent=True, mobile=mobile)
    rows = outbox.queue_notification(member=member, event="test_message", key=key, link="/members/inbox/")
    return next(row for row in rows if row.channel == Channel.SMS)


def test_a_taken_message_is_sent_with_the_provider_and_its_message_id(provider):
    sms = an_sms()

    outcome = sending.deliver_notification(sms.pk)

    sms.refresh_from_db()
    assert outcome == "sent" and sms.status == Status.SENT
    assert (sms.provider, sms.provider_message_id) == (provider.provider, provider.taken[0].message_id)


def test_a_refusal_inside_a_2xx_answer_is_never_marked_sent(provider, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    provider.mode = "refuse_in_body"
    sms = an_sms()

    outcome = sending.deliver_notification(sms.pk)

    sms.refresh_from_db()
    assert outcome == "failed" and sms.status == Status.FAILED and sms.sent_at is None
    assert "refused" in sms.last_error
    assert provider.taken == []


def test_a_server_error_goes_back_to_pending_for_a_later_try(provider, monkeypatch):
    monkeypatch.setattr(sending, "_enqueue_quietly", lambda ids, countdown=None: None)  # the retry waits its backoff
    provider.mode = "server_error"
    sms = an_sms()

    outcome = sending.deliver_notification(sms.pk)

    sms.refresh_from_db()
    assert outcome == "retry" and sms.status == Status.PENDING and "503" in sms.last_error


def test_an_answer_that_never_came_is_marked_to_check_and_not_sent_again(provider):
    provider.mode = "slow"
    sms = an_sms()

    outcome = sending.deliver_notification(sms.pk)
    provider.mode = "ok"
    again = sending.deliver_notification(sms.pk)  # a redelivered task, or the sweep
    sending.requeue_due()

    sms.refresh_from_db()
    assert (outcome, again) == ("unknown", "skipped")
    assert sms.status == Status.UNKNOWN and "check the provider" in sms.last_error
    assert len(provider.taken) == 1 and provider.taken_more_than_once() == {}


@pytest.mark.django_db(transaction=True)
def test_a_batch_sent_side_by_side_reaches_the_provider_once_per_message(provider, settings, monkeypatch):
    from members_portal import enqueue

    monkeypatch.setattr(enqueue, "after_commit", lambda task, *args: None)  # the batch below is the only sender
    settings.OUTBOX_SEND_PARALLEL = 4
    provider.latency_s = 0.05
    ids = [an_sms(key=f"parallel:{number}", mobile=f"+96650123{number:04d}").pk for number in range(10)]

    outcomes = sending.deliver_batch(ids)
    again = sending.deliver_batch(ids)  # a redelivered task finds nothing to send

    assert outcomes == {"sent": 10} and again == {"skipped": 10}
    assert len(provider.taken) == 10 and provider.taken_more_than_once() == {}
    sent = Notification.objects.filter(pk__in=ids, status=Status.SENT).exclude(provider_message_id="")
    assert sent.count() == 10
