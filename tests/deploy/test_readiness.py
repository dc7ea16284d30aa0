import time

import pytest
from django.core.cache import cache

from members_portal import views
from members_portal.celery import app as celery_app
from members_portal.tasks import HEARTBEAT_KEY, worker_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings):
    """The production shape: a Redis cache that the worker and the web processes share (test DB 6)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "members_portal.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/6",
            "KEY_PREFIX": "hg-test",
        }
    }
    cache.delete(HEARTBEAT_KEY)
    yield
    cache.delete(HEARTBEAT_KEY)


def test_ready_when_a_worker_beat_recently(client, shared_cache):
    worker_heartbeat.apply()

    response = client.get("/healthz/ready")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok", "broker": "ok", "cache": "ok", "worker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_without_a_heartbeat_the_worker_is_reported_degraded_and_members_are_still_served(client, shared_cache):
    response = client.get("/healthz/ready")

    assert response.status_code == 200
    assert response.json()["worker"] == "degraded"


def test_a_heartbeat_older_than_allowed_is_reported_degraded(client, shared_cache, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    cache.set(HEARTBEAT_KEY, time.time() - 121)

    response = client.get("/healthz/ready")

    assert response.status_code == 200
    assert response.json()["worker"] == "degraded"


def test_not_ready_with_a_migration_not_applied(client, shared_cache, monkeypatch):
    worker_heartbeat.apply()
    monkeypatch.setattr(views, "_migrations_applied", False)
    monkeypatch.setattr(views.MigrationExecutor, "migration_plan", lambda self, targets: [("members", "9999_new")])

    response = client.get("/healthz/ready")

    assert response.status_code == 503
    assert response.json()["migrations"] == "unavailable"


def test_a_broker_that_does_not_answer_is_reported_degraded_not_unready(client, shared_cache, monkeypatch):
    worker_heartbeat.apply()
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")

    response = client.get("/healthz/ready")

    assert response.status_code == 200
    assert response.json()["broker"] == "degraded"


def test_the_load_balancer_check_stays_cheap(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert "worker" not in response.json()


def test_what_beat_schedules_keeps_the_portal_ready(client, shared_cache, settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]

    celery_app.tasks[entry["task"]].apply()  # the task beat sends, looked up by the name in the schedule

    assert client.get("/healthz/ready").json()["worker"] == "ok"
    assert entry["schedule"] < settings.WORKER_HEARTBEAT_MAX_AGE  # sent again before the readiness check gives up
