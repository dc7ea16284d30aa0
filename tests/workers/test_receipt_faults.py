"""Receipts under faults, with a real Celery worker and Redis: a worker killed mid-render, and the sweep that
catches up what an outage lost. Every receipt must exist soon after the worker is back (issue 14: two minutes).
"""

import datetime
import re

import pytest
from django.utils import timezone

from requests_app import tasks
from requests_app.models import Receipt
from tests.requests_app.factories import ServiceRequestFactory
from tests.workers.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def has_receipt(service_request) -> bool:
    return Receipt.objects.filter(service_request=service_request, kind=Receipt.Kind.SUBMITTED).exists()


def test_a_render_killed_with_its_worker_is_redelivered_to_the_next_worker_within_seconds(
    producer, start_worker, tmp_path
):
    """The broker hands the dead worker's task out again after the visibility timeout (here 4 s; 120 s in
    production, not Celery's hour), and workers look for such tasks every 10 s. No sweep runs here."""
    marker = tmp_path / "mid-render"
    env = {"SLOW_RENDER_MARKER": str(marker), "BROKER_VISIBILITY_TIMEOUT_S": "4"}
    first = start_worker(**env)
    service_request = ServiceRequestFactory()

    tasks.render_submission_receipt.delay(service_request.pk)
    wait_for(marker.exists, message="the worker should start rendering")
    first.kill()  # SIGKILL, worker and pool together, mid-render: the task was never acknowledged
    assert not has_receipt(service_request)
    second = start_worker(**env)  # the marker exists: this one renders at normal speed

    wait_for(lambda: has_receipt(service_request), timeout=30, message="the killed task should be redelivered")
    assert re.search(r"render_submission_receipt\[[^\]]+\] received", second.output())


def test_the_sweep_sends_each_missing_receipt_to_a_task_of_its_own(producer, start_worker, settings):
    worker = start_worker(concurrency=2)
    before = timezone.now() - datetime.timedelta(seconds=settings.RECEIPT_SWEEP_GRACE_S + 30)
    lost = ServiceRequestFactory.create_batch(4, submitted_at=before)  # submitted while the broker was down
    on_its_way = ServiceRequestFactory()  # just submitted: its own task is still due

    tasks.issue_missing_receipts.delay()  # what beat does every RECEIPT_SWEEP_INTERVAL_S

    wait_for(lambda: all(has_receipt(each) for each in lost), timeout=30, message="every lost receipt is issued")
    assert not has_receipt(on_its_way)
    assert len(re.findall(r"render_submission_receipt\[[^\]]+\] received", worker.output())) == 4


def test_a_worker_killed_mid_render_is_caught_up_by_the_next_sweep(producer, start_worker, tmp_path, settings):
    """Even with the hour-long visibility timeout of old, the sweep issues the receipt once a worker runs it."""
    marker = tmp_path / "mid-render"
    env = {"SLOW_RENDER_MARKER": str(marker), "BROKER_VISIBILITY_TIMEOUT_S": "3600"}
    first = start_worker(**env)
    service_request = ServiceRequestFactory(
        submitted_at=timezone.now() - datetime.timedelta(seconds=settings.RECEIPT_SWEEP_GRACE_S + 1)
    )
    tasks.render_submission_receipt.delay(service_request.pk)
    wait_for(marker.exists, message="the worker should start rendering")
    first.kill()
    start_worker(**env)

    tasks.issue_missing_receipts.delay()

    wait_for(lambda: has_receipt(service_request), timeout=20, message="the sweep should issue it")
    assert Receipt.objects.filter(service_request=service_request).count() == 1
