import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from members.roles import Role, roles_of
from members_portal import cache as shared_cache
from members_portal import enqueue
from members_portal.celery import app as celery_app
from members_portal.tasks import HEARTBEAT_KEY


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    held = roles_of(request.user)
    return render(request, "home.html", {"user_roles": [role for role in Role if role in held]})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired or missing CSRF token: explain in the person's language, change nothing."""
    return render(request, "403_csrf.html", status=403)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _state(ok: bool, when_not: str = "degraded") -> str:
    return "ok" if ok else when_not


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness, for the load balancer: 200 while this process can serve members (its database answers), 503 only
    when it cannot. A broker that is down is reported ("degraded"), never a reason to take the machine out: pages and
    submissions keep working, and the sweeps deliver what waited. Answers within about a second whatever Redis does.
    """
    database = _database_ok()
    body = {"database": _state(database, "unavailable"), "broker": _state(enqueue.broker_reachable())}
    return JsonResponse(body, status=200 if database else 503)


_migrations_applied = False  # once true in a process it stays true: new migrations come with a restart


def _migrations_ok() -> bool:
    global _migrations_applied
    if not _migrations_applied:
        try:
            executor = MigrationExecutor(connection)
            _migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception:
            return False
    return _migrations_applied


def _worker_ok() -> bool:
    """A heartbeat written by a worker (beat sends it every 30 s) recently enough; else ask the workers directly."""
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception:
        beat = None
    if beat is not None and time.time() - float(beat) <= settings.WORKER_HEARTBEAT_MAX_AGE:
        return True
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        # No shared cache (a first run): the worker's heartbeat is in its own memory, so ping it.
        try:
            return bool(celery_app.control.ping(timeout=1.0))
        except Exception:
            return False
    return False


@never_cache
@require_GET
def readiness(request: HttpRequest) -> JsonResponse:
    """Readiness, for a deploy or a monitor: 200 when this process can serve members (database up, every migration
    applied), else 503. The rest of the system is reported beside it, "degraded" when down: the broker, the shared
    cache and a worker that ran the heartbeat recently (messages and receipts wait for them, members do not)."""
    database = _database_ok()
    migrations = database and _migrations_ok()
    worker = _worker_ok()
    body = {
        "database": _state(database, "unavailable"),
        "migrations": _state(migrations, "unavailable"),
        "broker": _state(enqueue.broker_reachable()),
        "cache": _state(not shared_cache.is_skipping_redis()),
        "worker": _state(worker),
    }
    return JsonResponse(body, status=200 if database and migrations else 503)
