"""Bad input the channels meet (the rest is beside each part: wrong secrets and unknown messages in
test_delivery_reports and test_whatsapp_webhook, files in test_whatsapp_replies): a clear log line, nothing sent."""

import pytest

from members import channel_table, channels, outbox
from members import outbox_sending as sending
from members.models import Channel, Notification
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
CONTEXT = {"reference_no": "NJC-2026-000042", "service": "Seedlings", "note": "The deed is missing."}


def test_an_sms_to_a_mobile_that_is_not_saudi_reaches_no_provider_and_says_why(provider, settings, monkeypatch, caplog):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    monkeypatch.setattr(sending, "_enqueue_quietly", lambda ids, countdown=None: None)
    member = MemberFactory(sms_consent=True, mobile="+447911123456", email="")
    [sms] = [
        row
        for row in outbox.queue_notification(member=member, event="test_message", key="bad:1", link="/members/inbox/")
        if row.channel == Channel.SMS
    ]

    assert sending.deliver_notification(sms.pk) == "failed"

    sms.refresh_from_db()
    assert provider.requests == 0 and sms.status == Notification.Status.FAILED
    assert "not a Saudi mobile number" in sms.last_error and "not a Saudi mobile number" in caplog.text


def test_a_code_to_a_mobile_that_is_not_saudi_is_refused(provider):
    with pytest.raises(channels.SmsError, match="not a Saudi mobile number"):
        channels.send_code_sms("+447911123456", "code 123456")
    assert provider.requests == 0


def test_a_whatsapp_template_missing_in_the_members_language_goes_by_sms_and_says_so(monkeypatch, caplog):
    def arabic_only(self, folder, event, language):
        return (f"{folder}/{event}/whatsapp.{language if language == 'ar' else 'missing'}.txt",)

    monkeypatch.setattr(channel_table.WhatsApp, "template_names", arabic_only)
    english = MemberFactory(language="en", whatsapp_consent=True, sms_consent=True, email="")
    arabic = MemberFactory(language="ar", whatsapp_consent=True, sms_consent=True, email="")

    def channels_of(member, number):
        rows = outbox.queue_notification(
            member=member, event="request_returned_to_member", key=f"t:{number}", link="/r/", context=CONTEXT
        )
        return {row.channel for row in rows}

    assert channels_of(english, 1) == {Channel.INBOX, Channel.SMS}
    assert "has no whatsapp template in 'en'" in caplog.text
    assert channels_of(arabic, 2) == {Channel.INBOX, Channel.WHATSAPP}
