"""The critical-notice drill (messaging/fault_drill.py) with each SMS provider first and another as the fallback, and
WhatsApp's fake, all answering a mix of faults, time simulated through the outbox's retry schedule. Prints one JSON
line of figures per run (`pytest -s` shows them) and holds the issue's goals: nothing the providers refused is marked
sent or delivered, nothing reaches a phone or a mailbox twice on one channel, at least 98 % of the critical notices
reach the member within 15 minutes, and forged reports change nothing."""

import json

import pytest

from messaging import fake_whatsapp, fault_drill
from messaging.fake_providers import CREDENTIALS, FakeProvider

pytestmark = pytest.mark.django_db
NOTICES = 200
SECOND = {"unifonic": "taqnyat", "taqnyat": "msegat", "msegat": "unifonic"}
URLS = {"unifonic": "UNIFONIC_URL", "taqnyat": "TAQNYAT_URL", "msegat": "MSEGAT_URL"}


@pytest.mark.parametrize("first", ["unifonic", "taqnyat", "msegat"])
def test_critical_notices_reach_members_through_the_fallbacks_under_provider_faults(first, settings):
    second = SECOND[first]
    with (
        FakeProvider(first, slow_s=0.8) as one,
        FakeProvider(second, slow_s=0.8) as two,
        fake_whatsapp.FakeWhatsApp(slow_s=0.8) as whatsapp,
    ):
        settings.SMS_BACKEND, settings.SMS_FALLBACK_BACKEND = first, second
        settings.SMS_PROVIDER_TIMEOUT_S = settings.WHATSAPP_TIMEOUT_S = 0.4
        settings.SMS_SENDER_NAME = "NajranCoffee"
        settings.UNIFONIC_APP_SID, settings.TAQNYAT_TOKEN = CREDENTIALS["unifonic"], CREDENTIALS["taqnyat"]
        settings.MSEGAT_USERNAME, settings.MSEGAT_API_KEY = "najran", CREDENTIALS["msegat"]
        setattr(settings, URLS[first], one.url)
        setattr(settings, URLS[second], two.url)
        settings.UNIFONIC_CALLBACK_SECRET = settings.TAQNYAT_CALLBACK_SECRET = settings.MSEGAT_CALLBACK_SECRET = "s3"
        settings.WHATSAPP_BACKEND, settings.WHATSAPP_API_URL = "cloud", whatsapp.url
        settings.WHATSAPP_PHONE_NUMBER_ID = fake_whatsapp.PHONE_NUMBER_ID
        settings.WHATSAPP_ACCESS_TOKEN = fake_whatsapp.ACCESS_TOKEN
        settings.WHATSAPP_APP_SECRET = fake_whatsapp.APP_SECRET

        figures = fault_drill.run(
            count=NOTICES, sms_fakes=[one, two], whatsapp=whatsapp, whatsapp_secret=fake_whatsapp.APP_SECRET
        )
    print(json.dumps({"drill": "critical_notices", "sms_first": first, "sms_second": second, **figures}))

    assert figures["marked_sent_or_delivered_but_refused"] == 0
    assert figures["sent_twice_sms"] == figures["sent_twice_whatsapp"] == figures["sent_twice_email"] == 0
    assert figures["critical_delivered_15min_pct"] >= 98
    assert figures["reports"]["forged_accepted"] == 0
