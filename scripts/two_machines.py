"""More than one machine, shown on this one: two web processes and two Celery workers (one beat) against the same
PostgreSQL and Redis, with production settings. CI runs it.

    .venv/bin/python scripts/two_machines.py

A member signs in and submits a request with a document on machine A; the same browser session then reads it on
machine B (sessions live in PostgreSQL/Redis, not in a process); a staff member on machine B takes the request and
works it to completion; every notification of the flow must end "sent" and reach its channel exactly once, whichever
worker sent it (the SMS logs and mail folders of both machines are counted together). Prints one JSON line of
figures and exits 1 on any failure.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster import ROOT, Cluster, log
from portal_http import Browser

WEB_A, WEB_B = 8801, 8802
PASSWORD = "Two-Machines-2026"
STAFF_TOTP_SECRET = "TWOMACHINESSTAFFSECONDFACTORQAHW"

SEED = """
import json
from django.contrib.auth.models import Group
from django.core.management import call_command
from members.models import Member, User
from members.roles import Role
call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))
member_user, _ = User.objects.get_or_create(username="two.member", defaults={
    "email": "two.member@najran-coffee.example", "phone": "+966500009901", "phone_verified": True,
    "first_name": "سالم", "last_name": "آل يام"})
member_user.set_password(PASSWORD); member_user.save()
member_user.groups.add(Group.objects.get_or_create(name=Role.MEMBER.value)[0])
member, _ = Member.objects.get_or_create(national_id="1099990001", defaults={
    "user": member_user, "membership_no": "TM-0001", "full_name_ar": "سالم آل يام", "mobile": "+966500009901",
    "email": "two.member@najran-coffee.example", "governorate": "najran", "status": "active",
    "sms_consent": True, "email_consent": True})
from requests_app.models import RequestType, DepartmentMembership
from requests_app.services import check_may_request
result = {"member": member_user.email, "code": None, "staff": None, "codes": []}
for request_type in RequestType.objects.filter(active=True).order_by("pk"):
    if request_type.needs_board_decision:
        continue
    try:
        check_may_request(member=member, request_type=request_type)
    except Exception:
        continue
    result["codes"].append(request_type.code)
    if result["code"]:
        continue
    result["code"] = request_type.code
    staff, _ = User.objects.get_or_create(username="two.staff", defaults={
        "email": "two.staff@najran-coffee.example", "phone": "+966500009902", "phone_verified": True,
        "first_name": "فهد", "last_name": "آل مسعود"})
    staff.set_password(PASSWORD); staff.save()
    staff.groups.add(Group.objects.get_or_create(name=Role.STAFF.value)[0])
    if not staff.authenticator_set.exists():  # staff sign in with a second factor
        from allauth.mfa.totp.internal.auth import TOTP
        TOTP.activate(staff, STAFF_TOTP_SECRET)
    result["staff"] = staff.email
for code in result["codes"]:
    # The staff member works in every department that handles one of the candidate services.
    DepartmentMembership.objects.get_or_create(department=RequestType.objects.get(code=code).department,
                                               user=User.objects.get(username="two.staff"))
print(json.dumps(result))
""".replace("PASSWORD", repr(PASSWORD)).replace("STAFF_TOTP_SECRET", repr(STAFF_TOTP_SECRET))

OUTBOX_STATE = """
import json
from django.db.models import Count
from members.models import Notification
rows = list(Notification.objects.values("status").annotate(n=Count("pk")))
print(json.dumps({r["status"]: r["n"] for r in rows}))
"""

DELIVERIES = """
import json
from members.models import Notification
rows = Notification.objects.filter(member__national_id="1099990001").order_by("pk")
print(json.dumps([{"id": r.pk, "event": r.event, "channel": r.channel, "status": r.status, "attempts": r.attempts,
                   "body": r.body, "subject": r.subject} for r in rows]))
"""


MEMBER_MOBILE, MEMBER_EMAIL = "+966500009901", "two.member@najran-coffee.example"


def count_channel_deliveries(cluster: Cluster, machines: list[str]) -> tuple[list[str], list[str]]:
    """Every SMS line and every e-mail file that any machine wrote to our member (the demo's members get theirs)."""
    sms, mails = [], []
    for machine in machines:
        log_file = cluster.work / machine / "sms.log"
        if log_file.exists():
            lines = [json.loads(line) for line in log_file.read_text().splitlines() if line.strip()]
            sms += [line["text"] for line in lines if line["to"] == MEMBER_MOBILE]
        mail_dir = cluster.work / machine / "mail"
        if mail_dir.exists():
            # Django's file backend names a file by the second and the backend object's id, so two workers
            # sending in the same second can append to one file: count the messages, not the files.
            texts = [
                message
                for path in sorted(mail_dir.iterdir())
                for message in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n")
            ]
            mails += [text for text in texts if f"To: {MEMBER_EMAIL}" in text]
    return sms, mails


def page_errors(page: str) -> str:
    """The error messages a form page shows (Bootstrap's invalid-feedback, alerts), for the report."""
    import re

    found = re.findall(r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)</', page, re.S)
    return " | ".join(" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in found)[:300] or "(no message)"


def reload_under_reads(cluster: Cluster, member: Browser) -> tuple[int, int]:
    """HUP machine A's gunicorn (what `systemctl reload` does) while reading pages from it for 6 s."""
    import os
    import signal
    import threading

    member.point_at(f"http://127.0.0.1:{WEB_A}")
    counts = {"done": 0, "failed": 0}
    stop = time.monotonic() + 6

    def read():
        while time.monotonic() < stop:
            try:
                response = member.get("/requests/")
                ok = response.status == 200 and not response.url.startswith("/accounts/")
            except Exception:
                ok = False
            counts["done"] += 1
            counts["failed"] += not ok

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(1)
    os.kill(cluster.processes["a:web"].pid, signal.SIGHUP)
    reader.join()
    return counts["done"], counts["failed"]


def wait_ready(port: int, timeout: float) -> tuple[int, str]:
    """/healthz/ready of a machine, asked every 2 s until it answers 200 or the time is up: status and text."""
    deadline = time.monotonic() + timeout
    response = None
    while time.monotonic() < deadline:
        response = Browser(f"http://127.0.0.1:{port}").get("/healthz/ready")
        if response.status == 200:
            break
        time.sleep(2)
    return response.status, response.text


def wait_for_outbox(cluster: Cluster, timeout: float) -> dict:
    """The outbox's rows per status, read every second until none is pending or sending or the time is up."""
    deadline = time.monotonic() + timeout
    state = {}
    while time.monotonic() < deadline:
        state = json.loads(cluster.python(OUTBOX_STATE).strip().splitlines()[-1])
        if not state.get("pending") and not state.get("sending"):
            return state
        time.sleep(1)
    return state


def set_up(cluster: Cluster) -> dict:
    """A fresh database and private Redis, migrated, static files collected and seeded; both machines started."""
    import shutil

    shutil.rmtree(cluster.work, ignore_errors=True)
    cluster.work.mkdir(parents=True)
    log("--> fresh database, private Redis, migrate, collectstatic, seed")
    cluster.fresh_database()
    cluster.start_redis()
    cluster.manage("migrate", "--noinput", "--verbosity", "0")
    cluster.manage("collectstatic", "--noinput", "--verbosity", "0")
    seeded = json.loads(cluster.python(SEED).strip().splitlines()[-1])

    log("--> machine A: web :8801, worker, beat; machine B: web :8802, worker")
    cluster.start_web("a", WEB_A)
    cluster.start_web("b", WEB_B)
    cluster.start_worker("a")
    cluster.start_worker("b")
    cluster.start_beat("a")
    cluster.wait_for_workers(2)
    return seeded


def sign_in_member(seeded: dict, problems: list[str]) -> Browser:
    """The member signs in on machine A; /healthz must answer on both machines."""
    member = Browser(f"http://127.0.0.1:{WEB_A}")
    member.log_in(seeded["member"], PASSWORD)
    for port in (WEB_A, WEB_B):
        ready = Browser(f"http://127.0.0.1:{port}").get("/healthz")
        if ready.status != 200:
            problems.append(f"/healthz on :{port} answered {ready.status}: {ready.text[:200]}")
    return member


def submit_request(member: Browser, codes: list[str], problems: list[str]) -> str | None:
    """The member submits a request with a document on machine A: its reference, or None if no form went through."""
    refusals = []
    for code in codes[:6]:  # the first service whose form this filler can complete
        log(f"--> member submits a '{code}' request with a document on machine A")
        form = member.get(f"/requests/new/{code}/")
        submitted = member.post_form(form, action_contains="/requests/new/")
        reference = submitted.url.rstrip("/").rsplit("/", 1)[-1]
        if submitted.status == 200 and reference.startswith("NJC-"):
            return reference
        refusals.append(f"{code}: {submitted.status} {page_errors(submitted.text)}")
    problems.append(f"no submission went through: {refusals}")
    return None


def read_on_machine_b(member: Browser, reference: str, problems: list[str]) -> None:
    """The same member session reads the request on machine B."""
    log(f"--> the same member session reads {reference} on machine B")
    member.point_at(f"http://127.0.0.1:{WEB_B}")
    page = member.get(f"/requests/{reference}/")
    if page.status != 200 or reference not in page.text:
        problems.append(f"machine B did not show {reference} to the member signed in on A ({page.status})")


def work_to_completion(member: Browser, staff_email: str, reference: str, problems: list[str], figures: dict) -> None:
    """Staff on machine B take the request and work it to completion; the member's page after it."""
    log(f"--> staff on machine B takes {reference} and works it to completion")
    staff = Browser(f"http://127.0.0.1:{WEB_B}")
    staff.log_in(staff_email, PASSWORD, totp_secret=STAFF_TOTP_SECRET)
    staff_page = f"/requests/staff/requests/{reference}/"
    for action in ("/take/", "/start-review/", "/start-work/", "/complete/"):
        page = staff.get(staff_page)
        try:
            moved = staff.post_form(page, action_contains=action)
        except LookupError:
            problems.append(f"no {action} form on the staff page of {reference}")
            break
        if moved.status != 200:
            problems.append(f"staff {action} answered {moved.status}: {page_errors(moved.text)}")
            break
    final = member.get(f"/requests/{reference}/")
    figures["final_page_status"] = final.status


def check_reload(cluster: Cluster, member: Browser, problems: list[str], figures: dict) -> None:
    """Machine A's gunicorn reloads while the member keeps reading: no read may fail."""
    log("--> a reload of machine A's gunicorn (an upgrade) while a member keeps reading: no request may fail")
    figures["reload_requests"], figures["reload_failures"] = reload_under_reads(cluster, member)
    if figures["reload_failures"]:
        problems.append(f"{figures['reload_failures']} of {figures['reload_requests']} reads failed during a reload")


def check_ready(problems: list[str], figures: dict) -> None:
    """/healthz/ready answers 200 on both machines within 60 s (beat's heartbeat reached a worker)."""
    log("--> /healthz/ready on both machines (beat's heartbeat reached a worker)")
    for port in (WEB_A, WEB_B):
        status, body = wait_ready(port, timeout=60)
        figures[f"ready_{port}"] = status
        if status != 200:
            problems.append(f"/healthz/ready on :{port} stayed {status}: {body}")


def check_outbox(cluster: Cluster, problems: list[str], figures: dict) -> None:
    """The outbox drains within 120 s (both workers) and no notification failed."""
    log("--> waiting for the outbox to drain (both workers)")
    state = wait_for_outbox(cluster, timeout=120)
    figures["outbox"] = state
    if state.get("pending") or state.get("sending"):
        problems.append(f"outbox did not drain in 120 s: {state}")
    if state.get("failed"):
        problems.append(f"{state['failed']} notification(s) failed")


def check_deliveries(cluster: Cluster, problems: list[str], figures: dict) -> None:
    """Each of the member's notifications reached its channel exactly once; the tasks each worker ran."""
    rows = json.loads(cluster.python(DELIVERIES).strip().splitlines()[-1])
    sms, mails = count_channel_deliveries(cluster, ["a", "b"])
    figures["member_notifications"] = len(rows)
    figures["events"] = sorted({row["event"] for row in rows})
    sms_rows = [row for row in rows if row["channel"] == "sms"]
    mail_rows = [row for row in rows if row["channel"] == "email"]
    figures["sms_sent"], figures["sms_lines"] = len(sms_rows), len(sms)
    figures["email_sent"], figures["email_messages"] = len(mail_rows), len(mails)
    for row in sms_rows:
        copies = sms.count(row["body"]) if row["body"] else None
        if copies is not None and copies != 1:
            problems.append(f"SMS of notification {row['id']} ({row['event']}) delivered {copies} times")
    if len(sms) != len(sms_rows):
        problems.append(f"{len(sms)} SMS written for {len(sms_rows)} SMS notifications")
    if len(mails) != len(mail_rows):
        problems.append(f"{len(mails)} e-mails written for {len(mail_rows)} e-mail notifications")
    if not rows:
        problems.append("the flow made no notification at all")
    for machine in ("a", "b"):
        text = (cluster.work / machine / "worker.log").read_text(errors="replace")
        figures[f"tasks_succeeded_worker_{machine}"] = text.count("succeeded in")


def report(figures: dict, problems: list[str], started: float) -> int:
    """The JSON line of figures and a log line per problem (or of success): the exit code."""
    figures["two_machines_s"] = round(time.monotonic() - started, 1)
    figures["problems"] = problems
    figures["notes"] = []  # no part is skipped any more; the key stays for whatever reads the line
    print(json.dumps(figures, ensure_ascii=False))
    for problem in problems:
        log(f"FAILED: {problem}")
    if not problems:
        log(f"two machines: passed in {figures['two_machines_s']} s")
    return 1 if problems else 0


def main() -> int:
    """Both machines through a member's and a staff member's flow, a reload, readiness and the outbox's deliveries."""
    started = time.monotonic()
    cluster = Cluster(ROOT / "var" / "two_machines", "portal_two_machines", redis_port=6391)
    problems: list[str] = []
    figures: dict = {}
    try:
        seeded = set_up(cluster)
        member = sign_in_member(seeded, problems)
        reference = submit_request(member, seeded["codes"], problems)
        if reference:
            read_on_machine_b(member, reference, problems)
            work_to_completion(member, seeded["staff"], reference, problems, figures)
        check_reload(cluster, member, problems, figures)
        check_ready(problems, figures)
        check_outbox(cluster, problems, figures)
        check_deliveries(cluster, problems, figures)
    except Exception as error:
        problems.append(f"{type(error).__name__}: {error}")
    finally:
        cluster.stop_all()
    return report(figures, problems, started)


if __name__ == "__main__":
    sys.exit(main())
