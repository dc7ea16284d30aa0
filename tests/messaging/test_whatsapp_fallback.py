"""WhatsApp as a channel of the outbox, end to end through the fake API: only with the member's opt-in, SMS when
WhatsApp refuses or fails or there is no opt-in, and every message reaching the phone once."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members import outbox, outbox_fallback
from members import outbox_sending as sending
from members.models import Channel, Notification
from messaging import fake_whatsapp
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status
CONTEXT = {
    "reference_no": "NJC-2026-000042",
    "status": "under_review",
    "status_label": "قيد المراجعة",
    "service": "نقل أسهم",
    "note": "",
    "due_date": "2026/12/20",
}


def a_status_change(*, whatsapp_consent=True, sms_consent=True, key="timeline:42", mobile="+966501234567"):
    """The member's notice of a status change, queued and sent as the request's service would (tasks are eager)."""
    member = MemberFactory(whatsapp_consent=whatsapp_consent, sms_consent=sms_consent, mobile=mobile)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sending, "_enqueue_quietly", lambda ids, countdown=None: None)
        rows = outbox.queue_notification(
            member=member, event="request_status_changed", key=key, link="/requests/42/", context=CONTEXT
        )
    return member, {row.channel: row for row in rows}


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Send one row as its task would, running what it queues after commit (the fallback's SMS)."""

    def send(row: Notification) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return sending.deliver_notification(row.pk)

    return send


def test_with_opt_in_the_event_goes_by_whatsapp_and_not_by_text_message(whatsapp, texts_sent, deliver):
    _member, rows = a_status_change()

    assert set(rows) == {Channel.INBOX, Channel.WHATSAPP}
    assert deliver(rows[Channel.WHATSAPP]) == "sent"

    row = Notification.objects.get(pk=rows[Channel.WHATSAPP].pk)
    [taken] = whatsapp.taken
    assert (row.status, row.provider, row.provider_message_id) == (Status.SENT, "whatsapp", taken.message_id)
    assert taken.template == "request_status_changed" and "NJC-2026-000042" in taken.params
    assert taken.reference == row.key
    assert texts_sent() == []


def test_without_opt_in_the_event_goes_by_text_message(whatsapp, texts_sent, deliver):
    _member, rows = a_status_change(whatsapp_consent=False)

    assert set(rows) == {Channel.INBOX, Channel.SMS}
    deliver(rows[Channel.SMS])

    assert whatsapp.taken == [] and len(texts_sent()) == 1


def test_an_event_without_an_approved_template_goes_by_text_message_even_with_opt_in(whatsapp):
    member = MemberFactory(whatsapp_consent=True, sms_consent=True)

    rows = outbox.queue_notification(member=member, event="test_message", key="t:1", context={"sent_by": "x"})

    assert {row.channel for row in rows} == {Channel.INBOX, Channel.SMS}


@pytest.mark.parametrize("mode", ["refuse", "server_error"])
def test_a_message_whatsapp_refuses_or_fails_goes_by_text_message_at_once(whatsapp, texts_sent, mode, deliver):
    whatsapp.mode = mode
    _member, rows = a_status_change()

    outcome = deliver(rows[Channel.WHATSAPP])

    row = Notification.objects.get(pk=rows[Channel.WHATSAPP].pk)
    sms = Notification.objects.get(key="timeline:42:sms")
    assert outcome == "fell_back" and row.status == Status.FAILED and row.sent_at is None
    assert sms.status == Status.SENT and sms.body == row.fallback_body and "NJC-2026-000042" in sms.body
    assert [message["to"] for message in texts_sent()] == ["+966501234567"]


def test_no_fallback_for_a_member_who_refused_text_messages(whatsapp, texts_sent, deliver):
    whatsapp.mode = "refuse"
    _member, rows = a_status_change(sms_consent=False)

    deliver(rows[Channel.WHATSAPP])

    assert not Notification.objects.filter(channel=Channel.SMS).exists() and texts_sent() == []


def test_an_answer_that_never_came_is_marked_to_check_and_not_fallen_back_on_a_guess(whatsapp, texts_sent, deliver):
    whatsapp.mode = "slow"
    _member, rows = a_status_change()

    outcome = deliver(rows[Channel.WHATSAPP])
    again = deliver(rows[Channel.WHATSAPP])

    assert (outcome, again) == ("unknown", "skipped")
    assert Notification.objects.get(pk=rows[Channel.WHATSAPP].pk).status == Status.UNKNOWN
    assert len(whatsapp.taken) == 1 and texts_sent() == []


def test_nor_does_the_sweep_fall_back_on_a_guess_for_a_notice_that_is_not_critical(
    whatsapp, texts_sent, deliver, settings
):
    """Only a critical notice goes by its fallback when no report came in time: this status change, whose WhatsApp
    answer never came, is not texted as well once the wait is over (the member could get it twice)."""
    whatsapp.mode = "slow"
    settings.OUTBOX_UNCERTAIN_FALLBACK_S = 300
    _member, rows = a_status_change()
    assert rows[Channel.WHATSAPP].event not in settings.OUTBOX_CRITICAL_EVENTS
    deliver(rows[Channel.WHATSAPP])
    waited = timezone.now() - timedelta(seconds=301)
    Notification.objects.filter(pk=rows[Channel.WHATSAPP].pk).update(claimed_at=waited)

    queued = outbox_fallback.fall_back_uncertain()

    assert queued == 0
    assert not Notification.objects.filter(channel=Channel.SMS).exists() and texts_sent() == []


def test_a_failed_status_sends_the_text_message_once_however_often_it_is_reported(
    whatsapp, texts_sent, deliver, client, django_capture_on_commit_callbacks
):
    member, rows = a_status_change()
    deliver(rows[Channel.WHATSAPP])
    row = Notification.objects.get(pk=rows[Channel.WHATSAPP].pk)

    payload = fake_whatsapp.status_payload(row.provider_message_id, "failed", reference=row.key)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [post_signed(client, payload).status_code for _ in range(3)]

    row.refresh_from_db()
    assert statuses == [200, 200, 200]
    assert row.delivery_state == Notification.DeliveryState.FAILED and "131026" in row.delivery_error
    assert Notification.objects.filter(channel=Channel.SMS, member=member).count() == 1
    assert len(texts_sent()) == 1


def post_signed(client, payload: dict, *, secret: str = fake_whatsapp.APP_SECRET):
    """POST a webhook call to the portal as Meta does, signed with the app secret."""
    body = json.dumps(payload).encode()
    return client.post(
        reverse("messaging:whatsapp-webhook"),
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": fake_whatsapp.signature(body, secret)},
    )


def test_a_message_queued_again_after_the_member_changed_channels_is_not_sent_twice(whatsapp):
    member, _rows = a_status_change(whatsapp_consent=False)
    member.whatsapp_consent = True
    member.save()

    again = outbox.queue_notification(
        member=member, event="request_status_changed", key="timeline:42", link="/requests/42/", context=CONTEXT
    )

    assert again == []


def test_a_refusal_then_a_failed_status_for_the_same_message_send_one_text_message(
    whatsapp, texts_sent, deliver, client, django_capture_on_commit_callbacks
):
    whatsapp.mode = "refuse"
    member, rows = a_status_change()
    deliver(rows[Channel.WHATSAPP])  # refused: the SMS goes at once

    payload = fake_whatsapp.status_payload("wamid.NEVER-RECORDED", "failed", reference=rows[Channel.WHATSAPP].key)
    with django_capture_on_commit_callbacks(execute=True):
        post_signed(client, payload)

    assert Notification.objects.filter(channel=Channel.SMS, member=member).count() == 1
    assert len(texts_sent()) == 1
