"""The outbox under faults, with a real Celery worker and Redis: a broker outage, a worker killed mid-send,
a gateway that refuses, and duplicate tasks racing. Each message must arrive exactly once (or fail with its reason).
"""

import json
import os
import re
import signal
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from members import outbox, tasks
from members.models import Channel, Notification
from tests.members.factories import MemberFactory
from tests.workers.conftest import DEAD_BROKER_URL, sms_lines, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
Status = Notification.Status


def event_for(member, key: str = "fault") -> Notification:
    """A member's event, in its own transaction as a view would run it; returns the SMS row."""
    with transaction.atomic():
        rows = outbox.queue_notification(member=member, event="test_message", key=key, link="/members/inbox/")
    return next(row for row in rows if row.channel == Channel.SMS)


def status_of(row: Notification) -> str:
    return Notification.objects.values_list("status", flat=True).get(pk=row.pk)


def test_with_the_broker_down_the_event_succeeds_and_the_sweep_delivers_it_once(
    producer, start_worker, worker_env, tmp_path
):
    sms_file = tmp_path / "sms.log"
    member = MemberFactory(sms_consent=True)
    producer(DEAD_BROKER_URL)

    started = time.monotonic()
    sms = event_for(member)
    took = time.monotonic() - started

    assert took < 3, f"the member's action waited {took:.1f} s on a broker that is down"
    assert status_of(sms) == Status.PENDING

    producer(worker_env["CELERY_BROKER_URL"])  # the broker is back
    start_worker(OUTBOX_PENDING_GRACE_S="0.5")
    time.sleep(0.6)
    tasks.sweep_outbox.delay()  # what beat does every minute

    wait_for(lambda: status_of(sms) == Status.SENT, message="the sweep should deliver the pending message")
    tasks.sweep_outbox.delay()
    time.sleep(1.5)
    assert [line["to"] for line in sms_lines(sms_file)] == [str(member.mobile)]


def test_a_worker_killed_mid_send_sends_the_message_exactly_once_after_restart(producer, start_worker, tmp_path):
    sms_file, marker = tmp_path / "sms.log", tmp_path / "mid-send"
    env = {
        "SMS_BACKEND": "slow_file",
        "SLOW_SMS_MARKER": str(marker),
        "SLOW_SMS_SECONDS": "60",
        "OUTBOX_SENDING_TIMEOUT_S": "3",
        "OUTBOX_PENDING_GRACE_S": "0.5",
    }
    first = start_worker(**env)
    member = MemberFactory(sms_consent=True)

    sms = event_for(member)
    wait_for(marker.exists, message="the worker should start sending")
    assert status_of(sms) == Status.SENDING
    first.kill()  # SIGKILL, worker and pool together, while the message is being handed over

    assert sms_lines(sms_file) == []
    start_worker(**env)
    time.sleep(3.2)  # the claim of the dead worker expires
    tasks.sweep_outbox.delay()

    wait_for(lambda: status_of(sms) == Status.SENT, message="the restarted worker should send it")
    tasks.sweep_outbox.delay()
    time.sleep(1.5)
    assert [line["to"] for line in sms_lines(sms_file)] == [str(member.mobile)]
    assert Notification.objects.get(pk=sms.pk).attempts == 2


def test_a_pool_process_killed_mid_send_is_redelivered_but_not_sent_twice(producer, start_worker, tmp_path):
    """acks_late + reject_on_worker_lost: the task comes back at once, finds the row still claimed, and
    leaves it; only after the claim expires does the sweep send it, once."""
    sms_file, marker = tmp_path / "sms.log", tmp_path / "mid-send"
    worker = start_worker(
        SMS_BACKEND="slow_file",
        SLOW_SMS_MARKER=str(marker),
        SLOW_SMS_SECONDS="60",
        OUTBOX_SENDING_TIMEOUT_S="30",
        OUTBOX_PENDING_GRACE_S="0.5",
    )
    member = MemberFactory(sms_consent=True)

    sms = event_for(member)
    wait_for(marker.exists, message="the worker should start sending")
    os.kill(int(marker.read_text()), signal.SIGKILL)  # only the pool process; the worker stays up

    wait_for(
        lambda: re.search(r"send_notification\[[^\]]+\] succeeded in [0-9.e-]+s: 'skipped'", worker.output()),
        message="the task of the lost process should come back and find the row still claimed",
    )
    received = re.findall(r"send_notification\[([^\]]+)\] received", worker.output())
    assert len(received) == 2 and received[0] == received[1]  # the same task, redelivered
    assert status_of(sms) == Status.SENDING and sms_lines(sms_file) == []
    # As if the 30 s claim timeout had passed (sleeping that long would only slow the suite).
    Notification.objects.filter(pk=sms.pk).update(claimed_at=timezone.now() - timedelta(seconds=31))
    tasks.sweep_outbox.delay()

    wait_for(lambda: status_of(sms) == Status.SENT, message="the sweep should send it after the claim expired")
    time.sleep(1)
    assert len(sms_lines(sms_file)) == 1


class RefusingGateway(BaseHTTPRequestHandler):
    calls: list[dict] = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        RefusingGateway.calls.append(json.loads(self.rfile.read(length)))
        body = b'{"error": "insufficient credit"}'
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_gateway_that_refuses_leaves_a_failed_row_with_the_reason_after_bounded_tries(producer, start_worker):
    RefusingGateway.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), RefusingGateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        start_worker(
            SMS_BACKEND="gateway",
            SMS_GATEWAY_URL=f"http://127.0.0.1:{server.server_port}/send",
            OUTBOX_MAX_ATTEMPTS="3",
            OUTBOX_RETRY_BACKOFF_S="0.3",
        )
        member = MemberFactory(sms_consent=True)

        sms = event_for(member)

        wait_for(lambda: status_of(sms) == Status.FAILED, message="the row should end failed")
        time.sleep(1)  # no further try arrives
    finally:
        server.shutdown()
    row = Notification.objects.get(pk=sms.pk)
    assert row.attempts == 3 and len(RefusingGateway.calls) == 3
    assert "HTTP 500" in row.last_error and "insufficient credit" in row.last_error


def test_duplicate_tasks_on_two_processes_send_each_message_once(producer, start_worker, tmp_path):
    sms_file = tmp_path / "sms.log"
    start_worker(concurrency=2)
    members = MemberFactory.create_batch(20, sms_consent=True)
    with transaction.atomic():
        rows = [
            next(
                row
                for row in outbox.queue_notification(member=member, event="test_message", key=f"dup{member.pk}")
                if row.channel == Channel.SMS
            )
            for member in members
        ]
    ids = [row.pk for row in rows]
    for _ in range(3):  # the same work published again and again: retries, redeliveries, sweeps
        tasks.send_notification_batch.delay(ids)

    wait_for(
        lambda: Notification.objects.filter(pk__in=ids, status=Status.SENT).count() == len(ids),
        message="all should be sent",
    )
    time.sleep(1)
    sent_to = sorted(line["to"] for line in sms_lines(sms_file))
    assert sent_to == sorted(str(member.mobile) for member in members)
