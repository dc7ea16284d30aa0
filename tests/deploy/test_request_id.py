import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from members_portal.request_id import JsonFormatter, RequestIdFilter, RequestIdMiddleware, current_request_id

pytestmark = pytest.mark.django_db


def test_a_response_carries_a_fresh_request_id_when_none_was_sent(client):
    first = client.get("/healthz")
    second = client.get("/healthz")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxy_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-0f3a9c2e41"})

    assert response["X-Request-ID"] == "nginx-0f3a9c2e41"


@pytest.mark.parametrize("bad", ["short", "x" * 65, "two words here", "line\nbreak-injected"])
def test_an_unacceptable_incoming_id_is_replaced(client, bad):
    response = client.get("/healthz", headers={"X-Request-ID": bad})

    assert response["X-Request-ID"] != bad
    assert len(response["X-Request-ID"]) == 32


def test_every_log_record_of_the_request_carries_its_id_as_json():
    seen = []

    def view(request):
        record = logging.LogRecord("members.views", logging.INFO, __file__, 1, "opened %s", ("NJC-2026-000001",), None)
        RequestIdFilter().filter(record)
        seen.append(json.loads(JsonFormatter().format(record)))
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", headers={"X-Request-ID": "abcdef12345"}))

    assert seen[0]["request_id"] == "abcdef12345" == response["X-Request-ID"]
    assert seen[0]["message"] == "opened NJC-2026-000001"
    assert seen[0]["level"] == "INFO" and seen[0]["logger"] == "members.views"
    assert current_request_id() is None  # nothing leaks into the next request


def test_json_log_lines_keep_extras_and_arabic_text():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "تعذر الإرسال", None, None)
    record.notification_id = 42
    RequestIdFilter().filter(record)

    entry = json.loads(JsonFormatter().format(record))

    assert entry["message"] == "تعذر الإرسال"
    assert entry["notification_id"] == 42
    assert entry["request_id"] is None


def test_a_celery_task_logs_its_task_id(settings):
    from celery import shared_task

    captured = {}

    @shared_task(name="tests.deploy.log_probe")
    def log_probe():
        record = logging.LogRecord("t", logging.INFO, __file__, 1, "in task", None, None)
        RequestIdFilter().filter(record)
        captured.update(json.loads(JsonFormatter().format(record)))

    result = log_probe.apply(task_id="task-id-0001")

    assert result.successful()
    assert captured["task_id"] == "task-id-0001"
    assert captured["task_name"] == "tests.deploy.log_probe"
