"""The embedded default under real use: `make run`'s set-up (SQLite, the filesystem broker, runserver and one
Celery worker with beat) while four members submit requests at once.

    .venv/bin/python scripts/sqlite_load.py        (SQLITE_LOAD_SECONDS=45, SQLITE_LOAD_PEOPLE=4, SQLITE_LOAD_PORT)

Everything lives in var/sqlite_load/ (made afresh). Prints JSON lines {metric, value, unit}: submissions, HTTP
errors (5xx or a broken connection), "database is locked" lines in the logs, notifications failed or still
pending, and whether the worker was alive at the end. Exit 1 on any error. Before the SQLite settings of
members_portal/settings/embedded.py, 45 s of four people gave 68 HTTP 500 «database is locked».
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from portal_http import Browser  # noqa: E402

SECONDS = float(os.environ.get("SQLITE_LOAD_SECONDS", "45"))
PEOPLE = int(os.environ.get("SQLITE_LOAD_PEOPLE", "4"))
PORT = int(os.environ.get("SQLITE_LOAD_PORT", "8165"))
WORK = ROOT / "var" / "sqlite_load"
PY = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "Sqlite-Load-Najran-2026"
SERVICE = "FRM-01"  # seedlings: no document to attach, a count, two yes/no questions
ANSWERS = {"seedlings": "12", "irrigation_ready": "yes", "shade_ready": "yes"}

ACCOUNTS = f"""
from django.contrib.auth.models import Group
from members.models import Member
from members.roles import Role
group = Group.objects.get(name=Role.MEMBER.value)
for member in Member.objects.filter(status="active", user__isnull=True).order_by("pk")[:{PEOPLE}]:
    user = member.__class__._meta.get_field("user").related_model.objects.create_user(
        username=f"load-{{member.pk}}", email=f"load{{member.pk}}@example.org", password={PASSWORD!r},
        first_name=member.full_name_ar)
    user.groups.add(group)
    member.user = user
    member.save(update_fields=["user"])
    print(user.email)
"""

FIGURES = """
import json
from members.models import Notification
from requests_app.models import ServiceRequest
print(json.dumps({
    "requests": ServiceRequest.objects.filter(request_type__code="FRM-01", answers__0__value=12).count(),
    "failed": Notification.objects.filter(status="failed").count(),
    "pending": Notification.objects.filter(status__in=["pending", "sending"]).count(),
}))
"""


class PlainHttpBrowser(Browser):
    """runserver speaks plain HTTP with no proxy in front: the browser's Origin is http://, as `make run` has it."""

    def request(self, method, path, body=None, headers=None, follow=True):
        if method == "POST":
            headers = {"Origin": self.base, "Referer": f"{self.base}/", **(headers or {})}
        return super().request(method, path, body, headers, follow)


def emit(metric: str, value, unit: str) -> None:
    print(json.dumps({"metric": metric, "value": value, "unit": unit}), flush=True)


def environment() -> dict:
    env = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}
    }
    # The people submit as fast as answers come: what is measured is the database, not the per-member limit.
    env.update(DEBUG="1", VAR_DIR=str(WORK), SITE_URL=f"http://127.0.0.1:{PORT}", PYTHONUNBUFFERED="1")
    env["REQUEST_SUBMISSION_LIMITS"] = ""
    return env


def manage(*args: str) -> str:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=environment(), capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def spawn(name: str, args: list[str]) -> subprocess.Popen:
    log = open(WORK / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        args, cwd=ROOT, env=environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_for_server(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if Browser(f"http://127.0.0.1:{PORT}", timeout=2).get("/healthz").status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def person(login: str, outcome: dict, lock: threading.Lock) -> None:
    browser = PlainHttpBrowser(f"http://127.0.0.1:{PORT}", https_proxy_header=False)
    browser.log_in(login, PASSWORD)
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        try:
            form = browser.get(f"/requests/new/{SERVICE}/")
            answer = browser.post_form(form, action_contains=f"/requests/new/{SERVICE}/", overrides=ANSWERS)
            status = answer.status if form.status < 500 else form.status
        except OSError:
            status = "broken"
        with lock:
            if status == 200 and "NJC-" in answer.url:
                outcome["submitted"] += 1
            elif status == "broken" or status >= 500:
                outcome["errors"] += 1
            else:
                outcome["refused"] += 1


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    manage("migrate", "--noinput", "-v0")
    manage("load_demo", "-v0")
    logins = manage("shell", "--no-imports", "-c", ACCOUNTS).split()
    web = spawn("web", [PY, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"])
    worker = spawn(
        "worker",
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "members_portal", "worker", "--beat", "--concurrency", "1"],
    )
    try:
        wait_for_server()
        outcome, lock = {"submitted": 0, "errors": 0, "refused": 0}, threading.Lock()
        threads = [threading.Thread(target=person, args=(login, outcome, lock)) for login in logins]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(10)  # the worker sends what the last submissions queued
        worker_alive = worker.poll() is None
    finally:
        for process in (web, worker):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
    figures = json.loads(manage("shell", "--no-imports", "-c", FIGURES).strip().splitlines()[-1])
    logs = "".join((WORK / f"{name}.log").read_text(errors="replace") for name in ("web", "worker"))
    locked = logs.count("database is locked")
    emit("sqlite_people", len(logins), "people")
    emit("sqlite_seconds", SECONDS, "s")
    emit("sqlite_submissions", outcome["submitted"], "requests")
    emit("sqlite_submissions_stored", figures["requests"], "requests")
    emit("sqlite_http_errors", outcome["errors"], "responses")
    emit("sqlite_refused", outcome["refused"], "responses")
    emit("sqlite_database_locked_log_lines", locked, "lines")
    emit("sqlite_notifications_failed", figures["failed"], "notifications")
    emit("sqlite_notifications_pending", figures["pending"], "notifications")
    emit("sqlite_worker_alive", worker_alive, "bool")
    bad = outcome["errors"] or locked or figures["failed"] or not worker_alive or outcome["refused"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
