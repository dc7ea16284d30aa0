"""The SMS fallback rule (members.channel_table.Sms, members.outbox_fallback) against two providers' fakes: a refusal
goes to the second provider on the next try, an answer that never came goes to neither, a critical notice SMS could
not deliver goes by e-mail to the address on record, once; codes try the second provider at once."""

import base64
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members import channels, outbox, outbox_fallback
from members import outbox_sending as sending
from members.models import Channel, Notification
from messaging.fake_providers import CREDENTIALS, FakeProvider
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status
SECRET = "s3cret"


@pytest.fixture
def fakes(settings, monkeypatch):
    """Unifonic first, Taqnyat the fallback provider; tries are run by the tests (no broker)."""
    with FakeProvider("unifonic", slow_s=1.0) as first, FakeProvider("taqnyat", slow_s=1.0) as second:
        settings.SMS_BACKEND, settings.SMS_FALLBACK_BACKEND = "unifonic", "taqnyat"
        settings.SMS_PROVIDER_TIMEOUT_S = 0.5
        settings.SMS_SENDER_NAME = "NajranCoffee"
        settings.UNIFONIC_URL, settings.UNIFONIC_APP_SID = first.url, CREDENTIALS["unifonic"]
        settings.TAQNYAT_URL, settings.TAQNYAT_TOKEN = second.url, CREDENTIALS["taqnyat"]
        settings.TAQNYAT_CALLBACK_SECRET = SECRET
        settings.OUTBOX_RETRY_BACKOFF_S = 0
        settings.OUTBOX_MAX_ATTEMPTS = 3
        monkeypatch.setattr(sending, "_enqueue_quietly", lambda ids, countdown=None: None)
        yield first, second


def notice(member, number=1, event="request_returned_to_member") -> Notification:
    rows = outbox.queue_notification(
        member=member,
        event=event,
        key=f"timeline:{number}",
        link="/requests/1/",
        context={"reference_no": f"NJC-2026-{number:06d}", "service": "Seedlings", "note": "The deed is missing."},
    )
    return next(row for row in rows if row.channel == Channel.SMS)


def texts_member(**fields):
    return MemberFactory(sms_consent=True, email_consent=False, email="member@example.org", **fields)


def test_a_refused_try_goes_to_the_fallback_provider_once(fakes):
    first, second = fakes
    first.mode = "refuse_in_body"
    sms = notice(texts_member())

    outcomes = [sending.deliver_notification(sms.pk) for _ in range(3)]

    sms.refresh_from_db()
    assert outcomes == ["retry", "sent", "skipped"]
    assert (first.taken, len(second.taken)) == ([], 1)
    assert sms.status == Status.SENT and sms.provider == "taqnyat"
    assert sms.provider_message_id == second.taken[0].message_id


def test_an_answer_that_never_came_is_not_sent_to_the_other_provider(fakes):
    first, second = fakes
    first.mode = "slow"
    sms = notice(texts_member())

    assert sending.deliver_notification(sms.pk) == "unknown"
    assert sending.deliver_notification(sms.pk) == "skipped"
    sending.requeue_due()

    sms.refresh_from_db()
    assert sms.status == Status.UNKNOWN
    assert (len(first.taken), second.requests) == (1, 0)
    assert not Notification.objects.filter(channel=Channel.EMAIL).exists()  # not yet: the report may still come


def test_a_critical_notice_both_providers_refused_goes_by_email_to_the_address_on_record(fakes, mailoutbox):
    first, second = fakes
    first.mode = second.mode = "server_error"
    sms = notice(texts_member())

    outcomes = [sending.deliver_notification(sms.pk) for _ in range(3)]
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert sending.deliver_notification(email.pk) == "sent"

    sms.refresh_from_db()
    assert outcomes == ["retry", "retry", "fell_back"] and sms.status == Status.FAILED
    assert (first.requests, second.requests) == (2, 1)  # the tries alternate
    assert email.key == "timeline:1:email" and email.event == "request_returned_to_member"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["member@example.org"]
    assert "NJC-2026-000001" in mailoutbox[0].subject


def test_an_everyday_notice_both_providers_refused_ends_failed_without_email(fakes):
    first, second = fakes
    first.mode = second.mode = "refuse_in_body"
    sms = notice(texts_member(), event="test_message")

    outcomes = [sending.deliver_notification(sms.pk) for _ in range(3)]

    assert outcomes == ["retry", "retry", "failed"]
    assert not Notification.objects.filter(channel=Channel.EMAIL).exists()


def report(client, message_id, word, secret=SECRET):
    credentials = base64.b64encode(f"taqnyat:{secret}".encode()).decode()
    return client.post(
        reverse("messaging:delivery-report", args=["taqnyat"]),
        data=json.dumps({"messageId": message_id, "status": word}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    ).status_code


def test_a_critical_notice_reported_undelivered_goes_by_email_once_however_often_reported(fakes, client):
    first, second = fakes
    first.mode = "refuse_http"
    sms = notice(texts_member())
    sending.deliver_notification(sms.pk)
    sending.deliver_notification(sms.pk)
    message_id = second.taken[0].message_id

    assert report(client, message_id, "failed", secret="guess") == 403
    assert not Notification.objects.filter(channel=Channel.EMAIL).exists()
    assert [report(client, message_id, "failed") for _ in range(3)] == [200, 200, 200]

    sms.refresh_from_db()
    assert sms.status == Status.SENT and sms.delivery_state == "failed"
    assert Notification.objects.filter(channel=Channel.EMAIL, key="timeline:1:email").count() == 1


def test_an_uncertain_critical_notice_goes_by_email_when_no_report_came_in_time(fakes, settings, mailoutbox):
    first, _second = fakes
    first.mode = "slow"
    settings.OUTBOX_UNCERTAIN_FALLBACK_S = 300
    sms = notice(texts_member())
    sending.deliver_notification(sms.pk)
    assert outbox_fallback.fall_back_uncertain() == 0  # within the wait: the report may settle it

    Notification.objects.filter(pk=sms.pk).update(claimed_at=timezone.now() - timedelta(days=2))
    assert outbox_fallback.fall_back_uncertain() == 0  # older than a day: left to staff
    Notification.objects.filter(pk=sms.pk).update(claimed_at=timezone.now() - timedelta(seconds=301))
    assert outbox_fallback.fall_back_uncertain() == 1
    assert outbox_fallback.fall_back_uncertain() == 0  # a second sweep adds nothing
    assert Notification.objects.filter(channel=Channel.EMAIL).count() == 1
    assert len(first.taken) == 1


def test_a_member_with_no_email_on_record_gets_no_email_fallback(fakes):
    first, second = fakes
    first.mode = second.mode = "server_error"
    sms = notice(MemberFactory(sms_consent=True, email=""))

    assert [sending.deliver_notification(sms.pk) for _ in range(3)] == ["retry", "retry", "failed"]
    assert not Notification.objects.filter(channel=Channel.EMAIL).exists()


def test_a_code_refused_by_the_first_provider_goes_through_the_second_at_once(fakes):
    first, second = fakes
    first.mode = "refuse_in_body"

    message_id = channels.send_code_sms("0501234567", "code 123456")

    assert message_id == second.taken[0].message_id and first.taken == []


def test_a_code_whose_answer_never_came_is_not_sent_through_the_second(fakes):
    first, second = fakes
    first.mode = "slow"

    with pytest.raises(channels.SmsOutcomeUnknown):
        channels.send_code_sms("0501234567", "code 123456")
    assert (len(first.taken), second.requests) == (1, 0)


def test_a_code_both_providers_refused_raises_and_a_foreign_number_reaches_neither(fakes):
    first, second = fakes
    first.mode = second.mode = "server_error"
    with pytest.raises(channels.SmsError):
        channels.send_code_sms("0501234567", "code 123456")
    first.mode = second.mode = "ok"
    with pytest.raises(channels.SmsError, match="not a valid phone number"):
        channels.send_code_sms("+1 202 555 01", "code 123456")
    assert (first.taken, second.taken) == ([], [])
