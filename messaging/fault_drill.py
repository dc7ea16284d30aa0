"""The critical-notice drill: critical notices (a request returned for completion) to many members while the SMS
providers' and WhatsApp's fakes answer a mix of faults, with time simulated through the outbox's own retry schedule.
Used by the fault drill test (tests/messaging/test_critical_drill.py) and `make bench` (bench/critical_delivery.py).

How time is simulated: `django.utils.timezone.now` is replaced by a clock that starts now and moves in steps of the
beat's sweep (30 s). Every step does what the broker and the sweep do in production at that moment: it delivers the
rows whose `next_attempt_at` has come (so a refusal waits OUTBOX_RETRY_BACKOFF_S, doubled each try, as it would),
then the providers report on what they took during the step (twice each, as providers do, and once more with a wrong
secret or signature, which must change nothing), then the sweep runs (`requeue_due`: rows to check, and the
critical notices whose answer never came and no report followed within OUTBOX_UNCERTAIN_FALLBACK_S). Tasks are not
published: the next step picks up what is due. The providers' answers themselves take real time (a "slow" answer is
a real timeout).

What counts as reaching the member is read at the fakes, not in the portal's rows: an SMS a fake provider took and
did not report undelivered, a WhatsApp message the fake took and reported delivered, an e-mail handed to the mail
backend. Members: 2 in 10 opted in to WhatsApp, 1 in 10 has no e-mail address on record, the rest text messages with
an e-mail address on record (1 in 10 of all consented to e-mail as well). The phones: 1 in 20 SMS and 1 in 10
WhatsApp messages taken are reported undelivered (a phone off), on top of the providers' faults.
"""

import base64
import itertools
import json
import secrets
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from unittest import mock

from django.core import mail
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members import outbox
from members import outbox_sending as sending
from members.models import Channel, Governorate, Member, Notification
from members_portal import enqueue
from messaging import delivery_reports, fake_whatsapp

Status = Notification.Status
STEP = timedelta(seconds=30)  # the beat's sweep
WITHIN = timedelta(minutes=15)
FIRST_SMS_FAULTS = ["ok", "server_error", "ok", "refuse_in_body", "slow", "ok", "server_error", "ok", "ok"]
SECOND_SMS_FAULTS = ["ok", "ok", "server_error", "ok", "refuse_http", "ok"]
WHATSAPP_FAULTS = ["ok", "refuse", "ok", "server_error", "slow", "ok", "ok"]
WORDS = {"unifonic": ("Delivered", "Undelivered"), "taqnyat": ("delivered", "failed"), "msegat": ("DELIVRD", "UNDELIV")}
PREFIX = "DRILL"


SECOND_PROVIDER = {"unifonic": "taqnyat", "taqnyat": "msegat", "msegat": "unifonic"}
URL_SETTINGS = {"unifonic": "UNIFONIC_URL", "taqnyat": "TAQNYAT_URL", "msegat": "MSEGAT_URL"}


def configure_fakes(settings, one, two, whatsapp) -> None:
    """Point the portal's settings at two SMS providers' fakes (`one` first, `two` its fallback) and WhatsApp's
    fake, with short timeouts; `settings` is Django's, or pytest-django's fixture (which restores it). The drill's
    reports read the callback secret back from the settings."""
    from messaging.fake_providers import CREDENTIALS

    settings.SMS_BACKEND, settings.SMS_FALLBACK_BACKEND = one.provider, two.provider
    settings.SMS_PROVIDER_TIMEOUT_S = settings.WHATSAPP_TIMEOUT_S = 0.4
    settings.UNIFONIC_APP_SID, settings.TAQNYAT_TOKEN = CREDENTIALS["unifonic"], CREDENTIALS["taqnyat"]
    settings.MSEGAT_USERNAME, settings.MSEGAT_API_KEY = "najran", CREDENTIALS["msegat"]
    setattr(settings, URL_SETTINGS[one.provider], one.url)
    setattr(settings, URL_SETTINGS[two.provider], two.url)
    callback_secret = secrets.token_urlsafe(16)
    settings.UNIFONIC_CALLBACK_SECRET = settings.TAQNYAT_CALLBACK_SECRET = settings.MSEGAT_CALLBACK_SECRET = (
        callback_secret
    )
    settings.WHATSAPP_BACKEND, settings.WHATSAPP_API_URL = "cloud", whatsapp.url
    settings.WHATSAPP_PHONE_NUMBER_ID = fake_whatsapp.PHONE_NUMBER_ID
    settings.WHATSAPP_ACCESS_TOKEN = fake_whatsapp.ACCESS_TOKEN
    settings.WHATSAPP_APP_SECRET = fake_whatsapp.APP_SECRET


def _digits(number: str) -> str:
    return str(number).lstrip("+").removeprefix("00")


def make_members(count: int) -> list[Member]:
    members = [
        Member(
            membership_no=f"{PREFIX}{n:06d}",
            national_id=f"19{n:08d}",
            full_name_ar=f"عضو التمرين {n}",
            mobile=f"+96659{n:07d}",
            email="" if n % 10 == 2 else f"drill{n}@example.org",
            email_consent=n % 10 == 3,
            sms_consent=True,
            whatsapp_consent=n % 10 in (0, 1),
            language="en" if n % 5 == 4 else "ar",
            governorate=Governorate.NAJRAN,
        )
        for n in range(count)
    ]
    return Member.objects.bulk_create(members)


class _Clock:
    def __init__(self, start: datetime):
        self.at = start

    def __call__(self) -> datetime:
        return self.at


def post_sms_report(client: Client, fake, taken, word: str, secret: str) -> int:
    """The provider's delivery report of one message, as its servers post it (HTTP Basic with `secret`)."""
    credentials = base64.b64encode(f"{fake.provider}:{secret}".encode()).decode()
    return client.post(
        reverse("messaging:delivery-report", args=[fake.provider]),
        data=json.dumps(fake.report_payload(taken.message_id, word, reference=taken.reference)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    ).status_code


def _whatsapp_status(client: Client, taken, word: str, secret: str) -> int:
    body = json.dumps(fake_whatsapp.status_payload(taken.message_id, word, reference=taken.reference)).encode()
    return client.post(
        reverse("messaging:whatsapp-webhook"),
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=fake_whatsapp.signature(body, secret),
    ).status_code


def run(*, count: int, sms_fakes: list, whatsapp, whatsapp_secret: str) -> dict:
    """Send `count` critical notices through the faults; returns the figures. The settings must point at the fakes
    (SMS_BACKEND the first of `sms_fakes`, SMS_FALLBACK_BACKEND the second, WhatsApp's cloud client at `whatsapp`)
    and the mail backend must keep messages in `django.core.mail.outbox` (the test environment)."""
    _script_faults(sms_fakes, whatsapp)
    client = Client()
    clock = _Clock(timezone.now())
    start = clock.at
    reached: dict[str, list[tuple[datetime, str]]] = defaultdict(list)  # member's mobile digits → (when, channel)
    seen = {id(fake): 0 for fake in [*sms_fakes, whatsapp]}
    mails_seen = 0
    reports: Counter = Counter()
    with (
        mock.patch.object(timezone, "now", clock),
        mock.patch.object(enqueue, "after_commit", lambda *args, **kwargs: None),
        mock.patch.object(sending, "_enqueue_quietly", lambda ids, countdown=None: None),
    ):
        mail.outbox = []
        members = make_members(count)
        by_email = {member.email: _digits(member.mobile) for member in members if member.email}
        _queue_notices(members)
        rows = Notification.objects.filter(member__in=members, key__startswith="drill:")
        while clock.at - start <= WITHIN + 5 * STEP:
            _deliver_due(rows, at=clock.at)
            for fake in sms_fakes:
                _report_sms(client, fake, seen=seen, reached=reached, reports=reports, at=clock.at)
            _report_whatsapp(
                client, whatsapp, whatsapp_secret, seen=seen, reached=reached, reports=reports, at=clock.at
            )
            for message in mail.outbox[mails_seen:]:
                reached[by_email.get(message.to[0], message.to[0])].append((clock.at, "email"))
            mails_seen = len(mail.outbox)
            sending.requeue_due()
            clock.at += STEP
        return _figures(count, members, rows, sms_fakes, whatsapp, reached, reports, start)


def _script_faults(sms_fakes: list, whatsapp) -> None:
    """The fakes answer their faults in a cycle: the first SMS provider's, the fallback's, WhatsApp's."""
    sms_fakes[0].script = itertools.cycle(FIRST_SMS_FAULTS)
    if len(sms_fakes) > 1:
        sms_fakes[1].script = itertools.cycle(SECOND_SMS_FAULTS)
    whatsapp.script = itertools.cycle(WHATSAPP_FAULTS)


def _queue_notices(members: list[Member]) -> None:
    """One critical notice (a request returned for completion) per member, each queued in its own transaction."""
    for member in members:
        with transaction.atomic():
            outbox.queue_notification(
                member=member,
                event="request_returned_to_member",
                key=f"drill:{member.pk}",
                link="/requests/1/",
                context={"reference_no": f"NJC-2026-{member.pk:06d}", "service": "Seedlings", "note": "The deed"},
            )


def _deliver_due(rows, *, at: datetime) -> None:
    """What the broker does: deliver, in the outbox's batches, the rows whose next attempt has come."""
    due = list(
        rows.filter(status=Status.PENDING, next_attempt_at__lte=at)
        .exclude(channel=Channel.INBOX)
        .values_list("pk", flat=True)
    )
    for chunk in range(0, len(due), sending.BATCH_SIZE):
        sending.deliver_batch(due[chunk : chunk + sending.BATCH_SIZE])


def _report_sms(client: Client, fake, *, seen: dict, reached: dict, reports: Counter, at: datetime) -> None:
    """The SMS provider reports on each message it took since the last step: twice, and once more with a wrong
    secret. One in 20 phones is off (reported undelivered); the others count as reached."""
    delivered_word, failed_word = WORDS[fake.provider]
    secret = delivery_reports.callback_secret(fake.provider)
    for index in range(seen[id(fake)], len(fake.taken)):
        taken = fake.taken[index]
        phone_off = index % 20 == 19
        word = failed_word if phone_off else delivered_word
        if not phone_off:
            reached[_digits(taken.to)].append((at, fake.provider))
        for code in [post_sms_report(client, fake, taken, word, secret) for _ in range(2)]:
            reports[f"sms_{code}"] += 1
        reports["forged_accepted"] += post_sms_report(client, fake, taken, delivered_word, "guess") != 403
    seen[id(fake)] = len(fake.taken)


def _report_whatsapp(
    client: Client, whatsapp, secret: str, *, seen: dict, reached: dict, reports: Counter, at: datetime
) -> None:
    """WhatsApp reports the status of each message it took since the last step: twice, and once more with a wrong
    signature. One in 10 phones is off (reported failed); the others count as reached."""
    for index in range(seen[id(whatsapp)], len(whatsapp.taken)):
        taken = whatsapp.taken[index]
        phone_off = index % 10 == 9
        if not phone_off:
            reached[_digits(taken.to)].append((at, "whatsapp"))
        for _ in range(2):
            code = _whatsapp_status(client, taken, "failed" if phone_off else "delivered", secret)
            reports[f"whatsapp_{code}"] += 1
        reports["forged_accepted"] += _whatsapp_status(client, taken, "delivered", "guess") != 403
    seen[id(whatsapp)] = len(whatsapp.taken)


def _figures(count, members, rows, sms_fakes, whatsapp, reached, reports, start) -> dict:
    sms_taken = Counter((_digits(t.to), t.text) for fake in sms_fakes for t in fake.taken)
    sms_ids = {(fake.provider, t.message_id) for fake in sms_fakes for t in fake.taken}
    sms_texts = set(sms_taken)
    whatsapp_refs = {t.reference for t in whatsapp.taken}
    mails = Counter((message.to[0], message.subject) for message in mail.outbox)
    marked = rows.filter(Q(status=Status.SENT) | Q(delivery_state="delivered")).exclude(channel=Channel.INBOX)
    marked = marked.select_related("member")
    refused_marked: list[int] = []
    for row in marked:
        if row.channel == Channel.SMS:
            known = (row.provider, row.provider_message_id) in sms_ids or (
                (_digits(row.member.mobile), row.body) in sms_texts
            )
        elif row.channel == Channel.WHATSAPP:
            known = row.key in whatsapp_refs
        else:
            known = (row.member.email, row.subject) in mails
        if not known:
            refused_marked.append(row.pk)
    in_time = sum(
        1 for member in members if any(when - start <= WITHIN for when, _c in reached.get(_digits(member.mobile), []))
    )
    two_channels = sum(1 for hits in reached.values() if len({channel == "email" for _w, channel in hits}) > 1)
    return {
        "critical_notices": count,
        "critical_delivered_15min_pct": round(100 * in_time / count, 2),
        "marked_sent_or_delivered_but_refused": len(refused_marked),
        "sent_twice_sms": sum(1 for n in sms_taken.values() if n > 1),
        "sent_twice_whatsapp": len(whatsapp.taken_more_than_once()),
        "sent_twice_email": sum(1 for n in mails.values() if n > 1),
        "reached_by_sms_and_email": two_channels,
        "sms_requests": {fake.provider: fake.requests for fake in sms_fakes},
        "whatsapp_requests": whatsapp.requests,
        "emails": len(mail.outbox),
        "to_check": rows.filter(status=Status.UNKNOWN).count(),
        "failed": rows.filter(status=Status.FAILED).count(),
        "reports": dict(sorted(reports.items())),
    }


def clean_up() -> None:
    Member.objects.filter(membership_no__startswith=PREFIX).delete()
