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
from django.db import connection, transaction
from django.utils import timezone

from members import outbox, tasks
from members.models import Channel, Notification
from members_portal import enqueue
from tests.members.factories import MemberFactory
from tests.workers.conftest import sms_lines, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
Status = Notification.Status


def event_for(member, key: str = "fault") -> Notification:
    """A member's event, in its own transaction as a view would run it; returns the SMS row."""
    with transaction.atomic():
        rows = outbox.queue_notification(member=member, event="test_message", key=key, link="/members/inbox/")
    return next(row for row in rows if row.channel == Channel.SMS)


def status_of(row: Notification) -> str:
    return Notification.objects.values_list("status", flat=True).get(pk=row.pk)


def test_with_the_broker_frozen_the_event_answers_at_once_and_the_sweep_delivers_it_once(
    producer, start_worker, tmp_path, frozen_redis_server
):
    """A frozen Redis (SIGSTOP: it takes the connection and never answers), not a closed port that refuses at once."""
    sms_file = tmp_path / "sms.log"
    broker = frozen_redis_server.url(0)
    start_worker(CELERY_BROKER_URL=broker, OUTBOX_PENDING_GRACE_S="0.5")
    producer(broker)
    member = MemberFactory(sms_consent=True)
    event_for(member, key="before")  # a pooled connection, as in a web process that has been serving

    frozen_redis_server.freeze(for_s=10)
    started = time.monotonic()
    sms = event_for(member)
    took = time.monotonic() - started

    assert took < 1.2, f"the member's action waited {took:.1f} s on a frozen broker"
    assert status_of(sms) == Status.PENDING
    frozen_redis_server.thaw()
    time.sleep(0.6)
    tasks.sweep_outbox.apply()  # what beat does: here in this process, the broker is skipped for a while yet

    wait_for(lambda: status_of(sms) == Status.SENT, message="the sweep should deliver the pending message")
    time.sleep(1.5)
    mine = [line for line in sms_lines(sms_file) if line["reference"] == sms.key]
    assert len(mine) == 1


def test_a_worker_killed_after_the_gateway_took_a_message_leaves_it_to_check_and_never_sends_it_again(
    producer, start_worker, tmp_path
):
    sms_file, marker = tmp_path / "sms.log", tmp_path / "mid-send"
    env = {"SMS_BACKEND": "slow_file", "SLOW_SMS_MARKER": str(marker), "SLOW_SMS_AFTER": "1"}
    first = start_worker(**env)
    member = MemberFactory(sms_consent=True)

    sms = event_for(member)
    wait_for(marker.exists, message="the gateway should take the message")
    first.kill()  # SIGKILL, worker and pool together: the message is out, its outcome not recorded
    assert len(sms_lines(sms_file)) == 1 and status_of(sms) == Status.SENDING

    start_worker(**env)
    # Nobody refreshes the dead worker's claim: as if its 30 s had passed (waiting them out adds nothing here).
    Notification.objects.filter(pk=sms.pk).update(claimed_at=timezone.now() - timedelta(seconds=31))
    tasks.sweep_outbox.delay()

    wait_for(lambda: status_of(sms) == Status.UNKNOWN, message="the sweep should mark it to check")
    for _ in range(2):  # later sweeps and a duplicate task leave it alone
        tasks.sweep_outbox.delay()
        tasks.send_notification.delay(sms.pk)
    time.sleep(2)
    assert status_of(sms) == Status.UNKNOWN
    assert [line["reference"] for line in sms_lines(sms_file)] == [sms.key]


def test_messages_a_killed_worker_had_not_reached_go_out_once_within_the_production_claim_timeout(
    producer, start_worker, tmp_path, settings, monkeypatch
):
    """Production's claim timeout (30 s, kept alive by the heartbeat), not a shortened one: the messages of a batch
    the dead worker had not handed over are sent by the next worker about 30 s after the kill."""
    sms_file, marker = tmp_path / "sms.log", tmp_path / "mid-send"
    env = {"SMS_BACKEND": "slow_file", "SLOW_SMS_MARKER": str(marker), "OUTBOX_PENDING_GRACE_S": "60"}
    first = start_worker(**env)
    members = MemberFactory.create_batch(5, sms_consent=True)
    with monkeypatch.context() as patch, transaction.atomic():
        patch.setattr(enqueue, "_send", lambda task, ids: None)  # one batch task below, not a task per message
        rows = [
            next(
                row
                for row in outbox.queue_notification(member=member, event="test_message", key=f"batch{member.pk}")
                if row.channel == Channel.SMS
            )
            for member in members
        ]
    held, rest = rows[0], rows[1:]
    tasks.send_notification_batch.delay([row.pk for row in rows])
    wait_for(marker.exists, message="the worker should start on the first message")
    first.kill()
    killed_at = time.monotonic()

    start_worker(**env)
    rest_ids = [row.pk for row in rest]
    while Notification.objects.filter(pk__in=rest_ids, status=Status.SENT).count() < len(rest):
        assert time.monotonic() - killed_at < 45, "the dead worker's claim should expire in about 30 s"
        tasks.sweep_outbox.delay()  # what beat does every 20 s
        time.sleep(1)
    recovered_after = time.monotonic() - killed_at

    assert settings.OUTBOX_SENDING_TIMEOUT_S == 30
    assert 28 <= recovered_after < 45
    wait_for(lambda: status_of(held) == Status.UNKNOWN, message="the message in the dead worker's hands: to check")
    assert sorted(line["to"] for line in sms_lines(sms_file)) == sorted(str(row.member.mobile) for row in rest)


def test_a_pool_process_killed_mid_send_is_redelivered_but_not_sent_twice(producer, start_worker, tmp_path):
    """acks_late + reject_on_worker_lost: the task comes back at once and finds the row still claimed; after the
    claim expires the sweep marks it to check (the gateway may have it), never sends it again."""
    sms_file, marker = tmp_path / "sms.log", tmp_path / "mid-send"
    worker = start_worker(
        SMS_BACKEND="slow_file", SLOW_SMS_MARKER=str(marker), SLOW_SMS_SECONDS="60", OUTBOX_PENDING_GRACE_S="0.5"
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
    # As if the 30 s claim timeout had passed (the dead process's heartbeat stopped).
    Notification.objects.filter(pk=sms.pk).update(claimed_at=timezone.now() - timedelta(seconds=31))
    tasks.sweep_outbox.delay()

    wait_for(lambda: status_of(sms) == Status.UNKNOWN, message="the sweep should mark it to check")
    time.sleep(1)
    assert sms_lines(sms_file) == []


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


def test_duplicate_tasks_running_at_once_on_three_processes_send_each_message_once(
    producer, start_worker, tmp_path, monkeypatch
):
    """Three tasks for the same 20 messages run at the same moment on three processes, their claims held open for
    0.3 s and each message taking 50 ms at the gateway, so they overlap: the claim gives each message to one."""
    if connection.vendor != "postgresql":
        pytest.skip("claims running at once need PostgreSQL's row locks (SQLite locks the whole file)")
    sms_file = tmp_path / "sms.log"
    worker = start_worker(concurrency=3, SMS_BACKEND="paced_file", SLOW_SMS_SECONDS="0.05", CLAIM_PAUSE_S="0.3")
    members = MemberFactory.create_batch(20, sms_consent=True)
    with monkeypatch.context() as patch, transaction.atomic():
        patch.setattr(enqueue, "_send", lambda task, ids: None)  # only the three duplicates below
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
    log = worker.output()
    first_done = re.search(r"send_notification_batch\[[^\]]+\] succeeded", log).start()
    assert len(set(re.findall(r"send_notification_batch\[([^\]]+)\] received", log[:first_done]))) == 3, "not at once"
    outcomes = re.findall(r"send_notification_batch\[[^\]]+\] succeeded in [0-9.e-]+s: (\{[^}]*\})", log)
    assert len(outcomes) == 3 and sum("'skipped'" in outcome for outcome in outcomes) >= 2, outcomes
