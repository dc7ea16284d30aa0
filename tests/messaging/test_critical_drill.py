"""The critical-notice drill (messaging/fault_drill.py) with each SMS provider first and another as the fallback, and
WhatsApp's fake, all answering a mix of faults, time simulated through the outbox's retry schedule. Prints one JSON
line of figures per run (`pytest -s` shows them) and holds the issue's goals: nothing the providers refused is marked
sent or delivered, nothing reaches a phone or a mailbox twice on one channel, at least 98 % of the critical notices
reach the member within 15 minutes, and forged reports change nothing."""

import json

import pytest

from messaging import fake_whatsapp, fault_drill
from messaging.fake_providers import FakeProvider

pytestmark = pytest.mark.django_db
NOTICES = 200


@pytest.mark.parametrize("first", ["unifonic", "taqnyat", "msegat"])
def test_critical_notices_reach_members_through_the_fallbacks_under_provider_faults(first, settings):
    second = fault_drill.SECOND_PROVIDER[first]
    with (
        FakeProvider(first, slow_s=0.8) as one,
        FakeProvider(second, slow_s=0.8) as two,
        fake_whatsapp.FakeWhatsApp(slow_s=0.8) as whatsapp,
    ):
        fault_drill.configure_fakes(settings, one, two, whatsapp)
        settings.SMS_SENDER_NAME = "NajranCoffee"

        figures = fault_drill.run(
            count=NOTICES, sms_fakes=[one, two], whatsapp=whatsapp, whatsapp_secret=fake_whatsapp.APP_SECRET
        )
    print(json.dumps({"drill": "critical_notices", "sms_first": first, "sms_second": second, **figures}))

    assert figures["marked_sent_or_delivered_but_refused"] == 0
    assert figures["sent_twice_sms"] == figures["sent_twice_whatsapp"] == figures["sent_twice_email"] == 0
    assert figures["critical_delivered_15min_pct"] >= 98
    assert figures["reports"]["forged_accepted"] == 0
