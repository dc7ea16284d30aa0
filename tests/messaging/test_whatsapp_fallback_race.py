"""Two workers falling back on the same refused WhatsApp message at once (a refusal and a failed status arriving
together): one SMS is queued and sent, on PostgreSQL's concurrent writers."""

import pytest

from members import outbox_fallback
from members.models import Channel, Notification
from tests.concurrency import at_once, needs_postgresql
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


def test_two_fallbacks_of_one_message_at_once_queue_one_text_message(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    member = MemberFactory(whatsapp_consent=True, sms_consent=True)
    refused = Notification.objects.create(
        member=member,
        channel=Channel.WHATSAPP,
        event="request_status_changed",
        language="ar",
        subject="request_status_changed",
        body="x",
        fallback_body="Coffee cooperative: your request NJC-2026-000042 is now: under review.",
        key="timeline:42:whatsapp",
        status=Notification.Status.FAILED,
    )

    def fall_back():
        return outbox_fallback.fall_back(notification_id=refused.pk, reason="refused")

    results = at_once(*[fall_back] * 4)

    assert not any(isinstance(result, BaseException) for result in results), results
    assert sum(result is not None for result in results) == 1
    assert Notification.objects.filter(channel=Channel.SMS, member=member).count() == 1
    assert len(settings.SMS_FILE_PATH.read_text(encoding="utf-8").splitlines()) == 1


def test_two_fallbacks_of_one_critical_text_message_at_once_queue_one_email(mailoutbox):
    member = MemberFactory(sms_consent=True, email_consent=False, email="member@example.org")
    refused = Notification.objects.create(
        member=member,
        channel=Channel.SMS,
        event="request_returned_to_member",
        language="ar",
        body="x",
        context={"reference_no": "NJC-2026-000042", "service": "Seedlings", "note": "The deed is missing."},
        link="/requests/42/",
        key="timeline:42:sms",
        status=Notification.Status.FAILED,
    )

    results = at_once(*[lambda: outbox_fallback.fall_back(notification_id=refused.pk, reason="refused")] * 4)

    assert not any(isinstance(result, BaseException) for result in results), results
    assert sum(result is not None for result in results) == 1
    assert Notification.objects.filter(channel=Channel.EMAIL, member=member).count() == 1
    assert len(mailoutbox) == 1
