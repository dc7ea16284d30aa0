import pytest

from members_portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_health_reports_the_database_and_the_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_a_broker_that_does_not_answer_is_reported_but_keeps_the_machine_serving(client, monkeypatch):
    """Pages and submissions work without the broker (the sweeps deliver later): no reason to leave the pool."""
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "degraded"}


def test_without_its_database_the_process_cannot_serve_members(client, monkeypatch):
    from members_portal import views

    monkeypatch.setattr(views, "_database_ok", lambda: False)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
