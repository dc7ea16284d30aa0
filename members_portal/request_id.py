"""A request id on every log line: taken from the proxy's X-Request-ID or made here, and echoed on the response.

The id lives in a context variable for the length of the request, so any logger anywhere (views, services, the
database layer) gets it through `RequestIdFilter` without passing it around. In a Celery worker the filter adds
the task's id and name instead. `JsonFormatter` writes one JSON object per line, for journald or a log shipper.
"""

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# What we accept from outside: short and printable, so a client cannot inject log lines or huge values.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return request_id_var.get()


class RequestIdMiddleware:
    """First in MIDDLEWARE: every later log record of this request carries the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _ACCEPTABLE.match(incoming) else new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]  # read by views and error pages
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response


def _current_task():
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover - celery is a dependency
        return None
    task = current_task
    if task is None or not getattr(task, "request", None) or task.request.id is None:
        return None
    return task


class RequestIdFilter(logging.Filter):
    """Adds `request_id`, `task_id` and `task_name` to every record (None when not in a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        task = _current_task()
        record.task_id = task.request.id if task else None
        record.task_name = task.name if task else None
        return True


# Attributes every LogRecord has; anything else a caller passed with extra={...} goes into the JSON too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, task_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if getattr(record, "task_id", None):
            entry["task_id"] = record.task_id  # type: ignore[attr-defined]  # set by the Celery filter
            entry["task_name"] = getattr(record, "task_name", None)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and key not in {"task_id", "task_name"}:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
