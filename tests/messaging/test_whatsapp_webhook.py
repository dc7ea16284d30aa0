"""WhatsApp's webhook: only calls signed with the app secret change anything; statuses are recorded once."""

import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Channel, Notification
from messaging import fake_whatsapp
from tests.members.factories import MemberFactory
from tests.messaging.test_whatsapp_fallback import post_signed

pytestmark = pytest.mark.django_db
DeliveryState = Notification.DeliveryState


@pytest.fixture
def sent(settings):
    """A WhatsApp message WhatsApp took (wamid.SENT1)."""
    settings.WHATSAPP_APP_SECRET = fake_whatsapp.APP_SECRET
    member = MemberFactory(whatsapp_consent=True)
    return Notification.objects.create(
        member=member,
        channel=Channel.WHATSAPP,
        event="request_status_changed",
        language="ar",
        subject="request_status_changed",
        body="x",
        key="timeline:9:whatsapp",
        status=Notification.Status.SENT,
        provider="whatsapp",
        provider_message_id="wamid.SENT1",
    )


def test_a_delivered_then_read_status_records_both(client, sent):
    post_signed(client, fake_whatsapp.status_payload("wamid.SENT1", "delivered"))
    response = post_signed(client, fake_whatsapp.status_payload("wamid.SENT1", "read"))

    sent.refresh_from_db()
    assert response.json() == {"outcomes": {"read": 1}}
    assert sent.delivery_state == DeliveryState.DELIVERED and sent.delivered_at and sent.read_at


def test_a_status_without_a_timestamp_is_recorded_at_the_time_it_comes(client, sent):
    payload = fake_whatsapp.status_payload("wamid.SENT1", "delivered")
    del payload["entry"][0]["changes"][0]["value"]["statuses"][0]["timestamp"]
    before = timezone.now()

    post_signed(client, payload)

    sent.refresh_from_db()
    assert sent.delivery_state == DeliveryState.DELIVERED and sent.delivered_at >= before


def test_a_repeated_status_changes_nothing(client, sent):
    post_signed(client, fake_whatsapp.status_payload("wamid.SENT1", "delivered"))
    sent.refresh_from_db()
    first = sent.delivered_at

    response = post_signed(client, fake_whatsapp.status_payload("wamid.SENT1", "delivered"))

    sent.refresh_from_db()
    assert response.json() == {"outcomes": {"duplicate": 1}} and sent.delivered_at == first


def test_a_status_found_by_the_outbox_key_settles_a_message_marked_to_check(client, sent):
    Notification.objects.filter(pk=sent.pk).update(status=Notification.Status.UNKNOWN, provider_message_id="")

    post_signed(client, fake_whatsapp.status_payload("wamid.LATE", "delivered", reference=sent.key))

    sent.refresh_from_db()
    assert sent.status == Notification.Status.SENT and sent.provider_message_id == "wamid.LATE"
    assert sent.delivery_state == DeliveryState.DELIVERED


def test_a_bad_signature_changes_nothing_and_says_so_in_the_log(client, sent, caplog):
    with caplog.at_level(logging.WARNING):
        response = post_signed(client, fake_whatsapp.status_payload("wamid.SENT1", "failed"), secret="not-the-secret")

    sent.refresh_from_db()
    assert response.status_code == 403 and sent.delivery_state == DeliveryState.NOT_REPORTED
    assert "X-Hub-Signature-256" in caplog.text
    assert not Notification.objects.filter(channel=Channel.SMS).exists()


def test_a_call_without_a_signature_is_refused(client, sent):
    response = client.post(reverse("messaging:whatsapp-webhook"), data=b"{}", content_type="application/json")

    assert response.status_code == 403


def test_without_an_app_secret_every_call_is_refused(client, sent, settings):
    settings.WHATSAPP_APP_SECRET = ""

    response = post_signed(client, fake_whatsapp.status_payload("wamid.SENT1", "delivered"), secret="")

    assert response.status_code == 403


def test_a_status_for_an_unknown_message_changes_nothing_and_says_so_in_the_log(client, sent, caplog):
    with caplog.at_level(logging.WARNING):
        response = post_signed(client, fake_whatsapp.status_payload("wamid.NOT-OURS", "failed"))

    sent.refresh_from_db()
    assert response.json() == {"outcomes": {"unknown_message": 1}}
    assert "unknown message" in caplog.text and sent.delivery_state == DeliveryState.NOT_REPORTED
    assert not Notification.objects.filter(channel=Channel.SMS).exists()


def test_the_subscription_check_answers_the_challenge_only_with_our_verify_token(client, settings):
    settings.WHATSAPP_VERIFY_TOKEN = "our-token"
    url = reverse("messaging:whatsapp-webhook")

    good = client.get(url, {"hub.mode": "subscribe", "hub.verify_token": "our-token", "hub.challenge": "1158201444"})
    bad = client.get(url, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"})

    assert (good.status_code, good.content) == (200, b"1158201444")
    assert bad.status_code == 403
