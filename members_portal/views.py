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


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For a load balancer: 200 when the database and the broker answer, 503 otherwise."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    body = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
    return JsonResponse(body, status=200 if all(checks.values()) else 503)


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
    """For a deploy or a monitor, not the load balancer: the portal can do its whole job.

    Database up, every migration applied, broker reachable, and a worker that ran the heartbeat recently.
    """
    checks = {
        "database": _database_ok(),
        "migrations": False,
        "broker": _broker_ok(),
        "worker": _worker_ok(),
    }
    checks["migrations"] = checks["database"] and _migrations_ok()
    body = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
