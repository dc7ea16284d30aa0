"""Fault tests against a real Celery worker process and a real Redis (`@pytest.mark.worker`).

The worker is a subprocess with the portal's base settings pointed at the TEST database (the name
pytest-django created), Redis DB `WORKER_REDIS_URL` (default DB 3) with a queue of the test's own, and
files under tmp_path. The test process publishes to the same Redis and queue. Without Redis the tests
skip, except with CI=true: there they fail.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

REDIS_URL = os.environ.get("WORKER_REDIS_URL", "redis://127.0.0.1:6379/3")
READY_TIMEOUT_S = 30


def _redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)


@pytest.fixture
def queue_name() -> str:
    """A queue of this test's own: other runs of these tests (or benchmarks) on the same Redis never see it."""
    return f"faulttest-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def redis_broker(queue_name):
    try:
        _redis_client().ping()
    except Exception as error:
        message = f"Redis not reachable at {REDIS_URL}: {error}"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield REDIS_URL
    _redis_client().delete(queue_name)


def point_producer_at(url: str, queue: str | None = None) -> None:
    """Make this (test) process publish to `url` (and `queue`) for real, not eagerly."""
    from members_portal.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = url
    if url.startswith("redis://"):  # what production publishes with (socket timeouts, one connection try)
        app.conf.broker_transport_options = settings.REDIS_BROKER_OPTIONS
    if queue is not None:
        app.conf.task_default_queue = queue
        for cached in ("queues", "default_queue", "router"):  # celery caches the routing it built
            app.amqp.__dict__.pop(cached, None)
    # Forget (never close: kombu keeps pools per URL process-wide) the pools bound to the previous URL.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def producer(redis_broker, queue_name):
    from members_portal.celery import app

    eager, url, queue = app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue
    options = app.conf.broker_transport_options
    point_producer_at(redis_broker, queue_name)
    yield point_producer_at
    point_producer_at(url, queue)
    app.conf.task_always_eager, app.conf.broker_transport_options = eager, options


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process = process
        self.log = log

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: a machine losing power, not a shutdown."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_env(tmp_path, redis_broker, queue_name, transactional_db) -> dict[str, str]:
    """The environment of a worker on the test database: tests add to it before starting one."""
    # The same server and credentials as this process, but the database pytest-django created for the tests.
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))._replace(path=f"/{name}")
        url = urlunsplit(url)
    else:
        url = f"sqlite:///{name}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "OUTBOX_", "SMS_", "DJANGO_", "PYTEST", "DATABASE_URL", "CACHE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="members_portal.settings.base",
        DEBUG="1",
        DATABASE_URL=url,
        CELERY_BROKER_URL=redis_broker,
        CELERY_TASK_DEFAULT_QUEUE=queue_name,
        VAR_DIR=str(tmp_path / "var"),
        EMAIL_URL=f"file:{tmp_path / 'mail'}",
        SMS_BACKEND="file",
        SMS_FILE_PATH=str(tmp_path / "sms.log"),
        SITE_URL=settings.SITE_URL,
        LOG_FORMAT="plain",
        PYTHONPATH=str(settings.BASE_DIR),
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def start_worker(worker_env, tmp_path) -> Callable[..., Worker]:
    """start_worker(concurrency=1, **env) → a running worker (waits until it consumes); all stopped afterwards."""
    started: list[Worker] = []

    def start(concurrency: int = 1, **extra_env: str) -> Worker:
        log = tmp_path / f"worker-{len(started)}.log"
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "tests.workers.worker_app",
                "worker",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=faulttest{len(started)}@%h",
            ],
            cwd=settings.BASE_DIR,
            env={**worker_env, **extra_env},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() takes the pool processes with it
        )
        worker = Worker(process, log)
        started.append(worker)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while " ready." not in worker.output():
            if process.poll() is not None or time.monotonic() > deadline:
                worker.kill()
                pytest.fail(f"the worker did not start:\n{worker.output()[-3000:]}")
            time.sleep(0.1)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(predicate: Callable[[], object], timeout: float = 20, message: str = "") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s: {message}")


def sms_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
