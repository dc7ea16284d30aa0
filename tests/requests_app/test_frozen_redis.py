"""A frozen Redis (SIGSTOP: it accepts connections and never answers) under the broker and the cache: a member's
submission waits about a second for it, not as long as it is frozen, and nothing is lost."""

import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Notification
from requests_app.models import ServiceRequest
from tests.requests_app.factories import PDF_BYTES
from tests.workers.conftest import point_producer_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_under_everything(frozen_redis_server, settings):
    """The production shape: broker and cache on one Redis, with the production socket timeouts."""
    from members_portal.celery import app

    settings.CACHES = {
        "default": {
            "BACKEND": "members_portal.cache.TolerantRedisCache",
            "LOCATION": frozen_redis_server.url(1),
            "OPTIONS": {**django_settings.REDIS_SOCKET_TIMEOUTS},
        }
    }
    eager, url, options = app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options
    point_producer_at(frozen_redis_server.url(0))  # with production's transport options
    yield frozen_redis_server
    app.conf.broker_transport_options = options
    point_producer_at(url)
    app.conf.task_always_eager = eager


def submit(client, request_type) -> float:
    data = {
        "token": str(uuid.uuid4()),
        "seedlings": "40",
        "season": "winter",
        f"document_{request_type.documents.get().pk}": SimpleUploadedFile("deed.pdf", PDF_BYTES),
    }
    started = time.monotonic()
    response = client.post(reverse("requests_app:request-submit", args=[request_type.code]), data)
    assert response.status_code == 302
    return time.monotonic() - started


def test_with_redis_frozen_a_submission_waits_about_a_second_and_its_messages_wait_in_the_outbox(
    redis_under_everything, member_client, request_type, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        usual = submit(member_client, request_type)  # Redis answering: sessions cached, tasks published

    redis_under_everything.freeze(for_s=8)
    with django_capture_on_commit_callbacks(execute=True):
        frozen = submit(member_client, request_type)
    with django_capture_on_commit_callbacks(execute=True):
        next_one = submit(member_client, request_type)

    assert frozen - usual < 1.2, f"the submission waited {frozen - usual:.2f} s on the frozen Redis"
    assert next_one - usual < 0.3, "the next request should skip Redis instead of waiting again"
    assert ServiceRequest.objects.count() == 3
    # Nothing lost: each submission's messages are in the outbox for the sweep (and its receipt for the receipt sweep).
    assert Notification.objects.filter(status=Notification.Status.PENDING).count() >= 2


def test_with_redis_frozen_the_health_check_answers_at_once_and_keeps_the_machine_in(redis_under_everything, client):
    redis_under_everything.freeze(for_s=8)

    started = time.monotonic()
    response = client.get("/healthz")
    took = time.monotonic() - started

    assert took < 1.2 and response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "degraded"}


def test_a_process_that_first_connects_while_redis_is_frozen_waits_about_a_second(redis_under_everything):
    """A fresh web process (no pooled connection yet) publishing its first task while Redis is frozen."""
    from members import tasks
    from members_portal import enqueue

    redis_under_everything.freeze(for_s=8)

    started = time.monotonic()
    enqueue._send(tasks.send_notification, (1,))
    took = time.monotonic() - started

    assert took < 1.2, f"the first publish waited {took:.2f} s"
    assert not enqueue.broker_reachable()  # skipped for a while now: the sweeps deliver what waits
