"""The provider fault drill: each provider's fake answers a mix of faults (5xx, no answer in time, refusals inside
a 200 answer) while the outbox sends and retries, then reports delivery twice over and once with a wrong secret.
Prints one JSON line of figures per provider (`pytest -s` shows them) and holds the issue's goals: no message the
provider refused is marked sent or delivered, none reaches a phone twice, and a repeated or forged report changes
nothing. A message whose answer never came stays "to check" unless the provider carries our key back (Unifonic)."""

import itertools
import json

import pytest

from members import outbox
from members import outbox_sending as sending
from members.models import Channel, Notification
from messaging import fault_drill
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status
MESSAGES = 40
FAULTS = ["ok", "server_error", "ok", "refuse_in_body", "slow", "ok", "server_error", "ok", "ok"]
WORDS = {"unifonic": ("Delivered", "Undelivered"), "taqnyat": ("delivered", "failed"), "msegat": ("DELIVRD", "UNDELIV")}


def state(rows) -> list[tuple]:
    return list(rows.order_by("pk").values_list("pk", "status", "delivery_state", "delivered_at", "delivery_error"))


def test_under_provider_faults_nothing_refused_is_marked_sent_and_nothing_reaches_a_phone_twice(
    provider, settings, client, monkeypatch
):
    settings.OUTBOX_RETRY_BACKOFF_S = 0
    settings.OUTBOX_MAX_ATTEMPTS = 5
    settings.UNIFONIC_CALLBACK_SECRET = settings.TAQNYAT_CALLBACK_SECRET = settings.MSEGAT_CALLBACK_SECRET = "s3cret"
    monkeypatch.setattr(sending, "_enqueue_quietly", lambda ids, countdown=None: None)  # the rounds below resend
    settings.SMS_PROVIDER_TIMEOUT_S = 0.4
    provider.slow_s = 0.8
    provider.script = itertools.cycle(FAULTS)
    for number in range(MESSAGES):
        member = MemberFactory(sms_consent=True, mobile=f"+96650500{number:04d}", email="")
        outbox.queue_notification(member=member, event="test_message", key=f"drill:{number}", link="/members/inbox/")
    rows = Notification.objects.filter(channel=Channel.SMS, key__startswith="drill:")

    for _round in range(8):  # the sweep's rounds: whatever is pending again goes again
        due = list(rows.filter(status=Status.PENDING).values_list("pk", flat=True))
        if not due:
            break
        sending.deliver_batch(due)
    delivered_word, failed_word = WORDS[provider.provider]
    for index, taken in enumerate(provider.taken):
        fault_drill.post_sms_report(
            client, provider, taken, failed_word if index % 10 == 9 else delivered_word, "s3cret"
        )
    after_first = state(rows)
    repeats = [
        fault_drill.post_sms_report(client, provider, taken, delivered_word, "s3cret") for taken in provider.taken
    ]
    forged = [fault_drill.post_sms_report(client, provider, taken, failed_word, "guess") for taken in provider.taken]

    taken_texts = {(taken.to, taken.text) for taken in provider.taken}
    sent = rows.filter(status=Status.SENT)
    sent_not_taken = [
        row.pk for row in sent.select_related("member") if (str(row.member.mobile)[1:], row.body) not in taken_texts
    ]
    delivered_not_taken = [
        row.pk
        for row in rows.filter(delivery_state="delivered").select_related("member")
        if (str(row.member.mobile)[1:], row.body) not in taken_texts
    ]
    figures = {
        "drill": "sms_provider_faults",
        "provider": provider.provider,
        "messages": MESSAGES,
        "requests": provider.requests,
        "taken": len(provider.taken),
        "taken_twice": len(provider.taken_more_than_once()),
        "sent": sent.count(),
        "sent_not_taken": len(sent_not_taken),
        "delivered": rows.filter(delivery_state="delivered").count(),
        "delivered_not_taken": len(delivered_not_taken),
        "not_delivered": rows.filter(delivery_state="failed").count(),
        "failed": rows.filter(status=Status.FAILED).count(),
        "to_check": rows.filter(status=Status.UNKNOWN).count(),
        "repeated_reports_changed": int(state(rows) != after_first),
        # Taken, but the answer never came: no provider id on our row, and only Unifonic carries our key back.
        "reports_unmatched": repeats.count(404),
        "forged_reports_accepted": sum(code != 403 for code in forged),
    }
    print(json.dumps(figures))

    assert figures["taken_twice"] == figures["sent_not_taken"] == figures["delivered_not_taken"] == 0
    assert state(rows) == after_first and set(forged) == {403}
    assert set(repeats) <= {200, 404} and repeats.count(404) == figures["to_check"]
    assert figures["sent"] + figures["failed"] + figures["to_check"] == MESSAGES
