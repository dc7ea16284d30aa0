"""Delivery reports from each provider: recorded once, and only when the provider's secret is right and the message
is one the portal sent through it. Anything else: a log line, a 4xx, nothing changed."""

import base64
import json
import logging

import pytest
from django.urls import reverse

from members.models import Channel, Notification
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status
SECRET = "callback-secret"
DELIVERED_WORD = {"unifonic": "Delivered", "taqnyat": "delivered", "msegat": "DELIVRD"}
FAILED_WORD = {"unifonic": "Undelivered", "taqnyat": "undelivered", "msegat": "UNDELIV"}
PENDING_WORD = {"unifonic": "Sent", "taqnyat": "sent", "msegat": "SENT"}


@pytest.fixture(autouse=True)
def secrets_set(settings):
    settings.UNIFONIC_CALLBACK_SECRET = settings.TAQNYAT_CALLBACK_SECRET = settings.MSEGAT_CALLBACK_SECRET = SECRET


def a_sent_sms(provider: str, message_id: str = "5000001", status=Status.SENT, key="timeline:9:sms") -> Notification:
    return Notification.objects.create(
        member=MemberFactory(sms_consent=True),
        channel=Channel.SMS,
        event="test_message",
        language="ar",
        body="hello",
        key=key,
        status=status,
        provider=provider if message_id else "",
        provider_message_id=message_id,
    )


def post_report(client, fake, message_id, word, *, secret=SECRET, reference=""):
    credentials = base64.b64encode(f"{fake.provider}:{secret}".encode()).decode()
    return client.post(
        reverse("messaging:delivery-report", args=[fake.provider]),
        data=json.dumps(fake.report_payload(message_id, word, reference=reference)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )


def snapshot(row: Notification) -> tuple:
    row.refresh_from_db()
    return (row.status, row.delivery_state, row.delivered_at, row.delivery_error, row.sent_at)


def test_a_delivered_report_marks_the_message_delivered_with_the_time(client, provider):
    sms = a_sent_sms(provider.provider)

    response = post_report(client, provider, "5000001", DELIVERED_WORD[provider.provider])

    sms.refresh_from_db()
    assert response.status_code == 200
    assert sms.delivery_state == Notification.DeliveryState.DELIVERED and sms.delivered_at is not None


def test_a_failed_report_marks_the_message_not_delivered_with_the_reason(client, provider):
    sms = a_sent_sms(provider.provider)

    response = post_report(client, provider, "5000001", FAILED_WORD[provider.provider])

    sms.refresh_from_db()
    assert response.status_code == 200
    assert sms.delivery_state == Notification.DeliveryState.FAILED and sms.delivered_at is None
    assert sms.delivery_error


def test_a_report_on_the_way_changes_nothing(client, provider):
    sms = a_sent_sms(provider.provider)
    before = snapshot(sms)

    response = post_report(client, provider, "5000001", PENDING_WORD[provider.provider])

    assert response.status_code == 200 and snapshot(sms) == before


def test_a_repeated_report_changes_nothing(client, provider):
    sms = a_sent_sms(provider.provider)
    post_report(client, provider, "5000001", DELIVERED_WORD[provider.provider])
    first = snapshot(sms)

    again = post_report(client, provider, "5000001", DELIVERED_WORD[provider.provider])
    contradicting = post_report(client, provider, "5000001", FAILED_WORD[provider.provider])

    assert again.status_code == contradicting.status_code == 200
    assert again.json() == contradicting.json() == {"outcome": "duplicate"}
    assert snapshot(sms) == first


def test_a_report_with_a_wrong_secret_is_refused_logged_and_changes_nothing(client, provider, caplog):
    sms = a_sent_sms(provider.provider)
    before = snapshot(sms)

    with caplog.at_level(logging.WARNING, logger="messaging.views"):
        response = post_report(client, provider, "5000001", DELIVERED_WORD[provider.provider], secret="guess")

    assert response.status_code == 403 and snapshot(sms) == before
    assert f"wrong or missing {provider.provider} callback secret" in caplog.text


def test_without_a_secret_configured_every_report_is_refused(client, provider, settings):
    settings.UNIFONIC_CALLBACK_SECRET = settings.TAQNYAT_CALLBACK_SECRET = settings.MSEGAT_CALLBACK_SECRET = ""
    sms = a_sent_sms(provider.provider)
    before = snapshot(sms)

    response = post_report(client, provider, "5000001", DELIVERED_WORD[provider.provider], secret="")

    assert response.status_code == 403 and snapshot(sms) == before


def test_a_report_for_an_unknown_message_is_logged_and_changes_nothing(client, provider, caplog):
    sms = a_sent_sms(provider.provider)
    before = snapshot(sms)

    with caplog.at_level(logging.WARNING, logger="messaging.views"):
        response = post_report(client, provider, "9999999", DELIVERED_WORD[provider.provider])

    assert response.status_code == 404 and snapshot(sms) == before
    assert "unknown message" in caplog.text


def test_a_report_through_another_provider_does_not_touch_the_message(client, provider):
    other = "msegat" if provider.provider != "msegat" else "taqnyat"
    sms = a_sent_sms(other)
    before = snapshot(sms)

    response = post_report(client, provider, "5000001", DELIVERED_WORD[provider.provider])

    assert response.status_code == 404 and snapshot(sms) == before


def test_a_body_that_is_not_a_report_is_refused(client, provider):
    credentials = base64.b64encode(f"x:{SECRET}".encode()).decode()

    response = client.post(
        reverse("messaging:delivery-report", args=[provider.provider]),
        data="[1, 2",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )

    assert response.status_code == 400


def test_a_unifonic_report_settles_a_message_whose_answer_never_came(client, settings):
    from messaging.fake_providers import FakeProvider

    fake = FakeProvider("unifonic")  # not started: only its report shape is used
    sms = a_sent_sms("unifonic", message_id="", status=Status.UNKNOWN, key="timeline:77:sms")

    response = post_report(client, fake, "5000042", "Delivered", reference="timeline:77:sms")

    sms.refresh_from_db()
    assert response.status_code == 200
    assert sms.status == Status.SENT and sms.delivery_state == Notification.DeliveryState.DELIVERED
    assert (sms.provider, sms.provider_message_id) == ("unifonic", "5000042")
    fake.stop()


def test_an_unknown_provider_is_not_found(client):
    response = client.post("/messaging/reports/nobody/", data={}, HTTP_AUTHORIZATION="Basic eDp5")

    assert response.status_code == 404


def test_a_report_is_only_taken_by_post(client, provider):
    response = client.get(reverse("messaging:delivery-report", args=[provider.provider]))

    assert response.status_code == 405


@pytest.mark.django_db(transaction=True)
def test_end_to_end_the_provider_takes_the_message_and_its_reports_reach_the_row_once(provider, live_server):
    from members import outbox
    from members import outbox_sending as sending

    member = MemberFactory(sms_consent=True, mobile="+966501234567")
    rows = outbox.queue_notification(member=member, event="test_message", key="timeline:5", link="/members/inbox/")
    sms = next(row for row in rows if row.channel == Channel.SMS)
    sending.deliver_notification(sms.pk)
    message_id = provider.taken[0].message_id
    url = f"{live_server.url}{reverse('messaging:delivery-report', args=[provider.provider])}"

    statuses = [
        provider.report(url, message_id, DELIVERED_WORD[provider.provider], secret="wrong"),
        provider.report(url, message_id, DELIVERED_WORD[provider.provider], secret=SECRET),
        provider.report(url, message_id, DELIVERED_WORD[provider.provider], secret=SECRET),
        provider.report(url, "404404", DELIVERED_WORD[provider.provider], secret=SECRET),
    ]

    sms.refresh_from_db()
    assert statuses == [403, 200, 200, 404]
    assert sms.status == Status.SENT and sms.delivery_state == Notification.DeliveryState.DELIVERED
    assert len(provider.taken) == 1
