"""Load test: gunicorn with a real Celery worker and beat, on PostgreSQL and a private Redis, loopback only.

    .venv/bin/python bench/load.py            (make bench runs it)

Data: its own database (<DATABASE_URL's database>_load, kept between runs), filled to LOAD_REQUESTS service
requests (100,000) with bulk_create, over LOAD_MEMBERS members, once. Then for LOAD_SECONDS (60) LOAD_USERS (8)
simulated people - members browsing, members submitting with a PDF attached, staff working the queue - send
requests as fast as answers come. At LOAD_REDIS_OUTAGE_AT seconds (20) Redis is stopped for 10 seconds and started
again (empty, as after a crash). Afterwards: every submission that got an answer is in the database, and every
notification made during the run was delivered exactly once (the outbox sweep re-sends what Redis lost).

Prints JSON lines: load_rps, load_p95_ms, load_errors (5xx and broken connections), load_page_p95_ms (per page),
web_worker_rss_mib and celery_worker_rss_mib (peak of the largest gunicorn worker / Celery process), and the
fault figures. Exit 1 when a request was lost or a notification not delivered exactly once.
"""

import json
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from cluster import Cluster, log, rss_mib  # noqa: E402
from portal_http import Browser  # noqa: E402

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
USERS = int(os.environ.get("LOAD_USERS", "8"))
REQUESTS = int(os.environ.get("LOAD_REQUESTS", "100000"))
MEMBERS = int(os.environ.get("LOAD_MEMBERS", "20000"))
OUTAGE_AT = float(os.environ.get("LOAD_REDIS_OUTAGE_AT", "20"))  # negative: no outage
OUTAGE_S = 10.0
PORT = int(os.environ.get("LOAD_PORT", "8811"))
PASSWORD = "Load-Test-Najran-2026"
STAFF_TOTP_SECRET = "LOADTESTSTAFFSECONDFACTORNAJRANQ"
REFERENCE = re.compile(r"NJC-\d{4}-\d{6}")

GENERATE = r"""
import datetime, json, random, uuid
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from members.models import Member, User
from members.roles import Role
TARGET_REQUESTS, TARGET_MEMBERS, PASSWORD = {target}, {members}, {password!r}
rng = random.Random(2026)
call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))
hashed = make_password(PASSWORD)  # one hash for every load account: hashing is the slow part
member_group = Group.objects.get_or_create(name=Role.MEMBER.value)[0]
staff_group = Group.objects.get_or_create(name=Role.STAFF.value)[0]
out = {{"members": [], "staff": [], "codes": []}}
# Members: the first 40 have accounts that the simulated members sign in with.
have = Member.objects.filter(national_id__startswith="18").count()
if have < TARGET_MEMBERS:
    users = []
    for n in range(have, min(40, TARGET_MEMBERS)):
        users.append(User(username=f"load.member{{n}}", email=f"load.member{{n}}@najran-coffee.example",
                          phone=f"+9665001{{n:05d}}", phone_verified=True, password=hashed))
    User.objects.bulk_create(users, ignore_conflicts=True)
    accounts = {{u.username: u for u in User.objects.filter(username__startswith="load.member")}}
    governorates = ["najran", "sharurah", "hubuna", "badr_al_janoub", "yadamah", "thar", "khubash"]
    batch = []
    for n in range(have, TARGET_MEMBERS):
        batch.append(Member(user=accounts.get(f"load.member{{n}}"), national_id=f"18{{n:08d}}",
                            membership_no=f"L-{{n:06d}}", full_name_ar=f"عضو الحمل {{n}}",
                            name_search=f"عضو الحمل {{n}}", mobile=f"+9665{{n + 30000000:08d}}",
                            governorate=governorates[n % 7], status="active", sms_consent=True))
        if len(batch) == 5000:
            Member.objects.bulk_create(batch); batch = []
    Member.objects.bulk_create(batch)
    for user in accounts.values():
        user.groups.add(member_group)
accounts = User.objects.filter(username__startswith="load.member", member__isnull=False).order_by("pk")
out["members"] = list(accounts.values_list("email", flat=True))
try:
    from requests_app.models import DepartmentMembership, ReferenceCounter, RequestType, ServiceRequest
except ImportError:
    print(json.dumps(out)); raise SystemExit
types = [t for t in RequestType.objects.filter(active=True).order_by("pk") if not t.needs_board_decision]
out["codes"] = [t.code for t in types]
for department_id in sorted({{t.department_id for t in types}})[:4]:
    n = department_id
    staff, created = User.objects.get_or_create(username=f"load.staff{{n}}", defaults={{
        "email": f"load.staff{{n}}@najran-coffee.example", "phone": f"+9665002{{n:05d}}", "password": hashed}})
    User.objects.filter(pk=staff.pk).update(phone_verified=True, password=hashed)
    staff.groups.add(staff_group)
    if not staff.authenticator_set.exists():  # staff sign in with a second factor
        TOTP.activate(staff, {staff_totp_secret!r})
    DepartmentMembership.objects.get_or_create(department_id=department_id, user=staff)
    out["staff"].append(staff.email)
have = ServiceRequest.objects.filter(reference_no__startswith="NJC-2025-").count()
if have < TARGET_REQUESTS:
    members = Member.objects.filter(national_id__startswith="18").order_by("national_id")
    members = list(members.values_list("pk", flat=True))
    statuses = ["completed"] * 80 + ["rejected"] * 3 + ["cancelled"] * 2 + ["submitted"] * 6 + ["under_review"] * 4 \
        + ["in_progress"] * 4 + ["returned_to_member"]
    start = timezone.now() - datetime.timedelta(days=365)
    batch = []
    for n in range(have, TARGET_REQUESTS):
        request_type = types[n % len(types)]
        submitted = start + datetime.timedelta(minutes=5 * n)
        status = rng.choice(statuses)
        closed = status in {{"completed", "rejected", "cancelled"}}
        # The first 40 members (the signed-in ones) get a few requests each; the rest spread over everyone.
        member_id = members[n % 40] if n % 50 == 0 else members[n % len(members)]
        batch.append(ServiceRequest(
            reference_no=f"NJC-2025-{{n + 1:06d}}", member_id=member_id, request_type_id=request_type.pk,
            department_id=request_type.department_id, status=status,
            answers=[{{"key": "note", "label_ar": "ملاحظات", "label_en": "Notes", "value": "بيانات الحمل",
                      "display": "بيانات الحمل"}}],
            submitted_at=submitted, due_date=(submitted + datetime.timedelta(days=10)).date(),
            closed_at=submitted + datetime.timedelta(days=6) if closed else None,
            outcome="تم" if status == "completed" else "",
            paused_at=submitted if status == "returned_to_member" else None))
        if len(batch) == 5000:
            ServiceRequest.objects.bulk_create(batch); batch = []
    ServiceRequest.objects.bulk_create(batch)
    ReferenceCounter.objects.update_or_create(year=2025, defaults={{"last_value": TARGET_REQUESTS}})
out["requests"] = ServiceRequest.objects.count()
print(json.dumps(out))
"""

SINCE = r"""
import json
from members.models import Notification
# Rows made from now on, and rows still waiting now (e.g. the demo's, queued while no worker ran): all must be sent.
last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
waiting = list(Notification.objects.exclude(status="sent").values_list("pk", flat=True))
print(json.dumps({"last": last, "waiting": waiting}))
"""

AFTER = r"""
import json
from django.db.models import Count
from members.models import Notification
from requests_app.models import ServiceRequest
refs = {refs!r}
from django.db.models import Q
rows = Notification.objects.filter(Q(pk__gt={since[last]}) | Q(pk__in={since[waiting]}))
print(json.dumps({{
    "found": ServiceRequest.objects.filter(reference_no__in=refs).count(),
    "by_status": {{r["status"]: r["n"] for r in rows.values("status").annotate(n=Count("pk"))}},
    "sms": [[str(mobile), body]
            for mobile, body in rows.filter(channel="sms", status="sent").values_list("member__mobile", "body")],
    "email": list(rows.filter(channel="email", status="sent").values_list("member__email", flat=True)),
}}))
"""


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.client_errors = 0
        self.submitted: list[str] = []

    def record(self, page: str, status: int | None, ms: float, detail: str = "") -> None:
        with self.lock:
            self.samples[page].append(ms)
            if status is None or status >= 500:
                self.errors.append(f"{page}: {status} {detail}"[:200])
            elif status >= 400:
                self.client_errors += 1


def timed(recorder: Recorder, page: str, call, *args, **kwargs):
    started = time.perf_counter()
    try:
        response = call(*args, **kwargs)
    except Exception as error:
        recorder.record(page, None, (time.perf_counter() - started) * 1000, repr(error))
        return None
    if response.url.startswith("/accounts/"):
        # Sent to sign in again: the session was lost (or never there). Counted as an error, like a 5xx.
        recorder.record(page, None, response.elapsed_ms, f"bounced to {response.url}")
        return None
    recorder.record(page, response.status, response.elapsed_ms, response.url)
    return response


def member_loop(browser: Browser, codes: list[str], stop: float, recorder: Recorder, rng: random.Random) -> None:
    my_refs: list[str] = []
    refused: set[str] = set()
    listing = timed(recorder, "member: my requests", browser.get, "/requests/")
    if listing is not None:
        my_refs = REFERENCE.findall(listing.text)[:20]
    while time.monotonic() < stop:
        roll = rng.random()
        if roll < 0.18:
            timed(recorder, "member: home", browser.get, "/")
        elif roll < 0.40:
            timed(recorder, "member: my requests", browser.get, "/requests/")
        elif roll < 0.62 and my_refs:
            ref = rng.choice(my_refs)
            timed(recorder, "member: request page", browser.get, f"/requests/{ref}/")
        elif roll < 0.72:
            timed(recorder, "member: services guide", browser.get, "/requests/guide/")
        elif roll < 0.80:
            timed(recorder, "member: inbox", browser.get, "/members/inbox/")
        elif codes:
            code = rng.choice(codes)
            if code in refused:
                continue
            form = timed(recorder, "member: request form", browser.get, f"/requests/new/{code}/")
            if form is None or form.status != 200:
                continue
            done = timed(recorder, "member: submit with PDF", browser.post_form, form, action_contains="/requests/new/")
            if done is not None and done.status == 400:
                refused.add(code)  # a form this simple filler cannot complete: try other services
            if done is not None and done.status == 200:
                found = REFERENCE.search(done.url)
                if found:
                    with recorder.lock:
                        recorder.submitted.append(found.group(0))
                    my_refs.append(found.group(0))


def staff_loop(browser: Browser, stop: float, recorder: Recorder, rng: random.Random) -> None:
    refs: list[str] = []
    while time.monotonic() < stop:
        roll = rng.random()
        if roll < 0.15:
            timed(recorder, "staff: home", browser.get, "/requests/staff/")
        elif roll < 0.45 or not refs:
            page = rng.randint(1, 5)
            queue = timed(recorder, "staff: queue", browser.get, f"/requests/staff/queue/?page={page}")
            if queue is not None and queue.status == 200:
                refs = REFERENCE.findall(queue.text)[:25] or refs
        elif roll < 0.60:
            timed(
                recorder,
                "staff: queue search",
                browser.get,
                f"/requests/staff/queue/?q=L-{rng.randint(0, 19999):06d}",
            )
        elif roll < 0.85:
            ref = rng.choice(refs)
            timed(recorder, "staff: request page", browser.get, f"/requests/staff/requests/{ref}/")
        else:
            ref = refs.pop(rng.randrange(len(refs)))
            page = timed(recorder, "staff: request page", browser.get, f"/requests/staff/requests/{ref}/")
            if page is None or page.status != 200:
                continue
            for action in ("/take/", "/start-review/", "/start-work/"):
                if f"{ref}{action}" in page.text:
                    timed(recorder, "staff: take or move", browser.post_form, page, action_contains=action)
                    break


def sample_memory(cluster: Cluster, stop: threading.Event, peaks: dict) -> None:
    while not stop.is_set():
        for name, key in (("a:web", "web"), ("a:worker", "celery")):
            if name not in cluster.processes:
                continue
            pids = cluster.pids(name)
            if key == "web":
                pids = pids[1:] or pids  # the workers, not the master
            for pid in pids:
                try:
                    peaks[key] = max(peaks.get(key, 0.0), rss_mib(pid))
                except (FileNotFoundError, ProcessLookupError):
                    continue
        stop.wait(0.5)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(fraction * 100) - 1]


def mail_messages(cluster: Cluster) -> Counter:
    """E-mails written so far, by recipient. Django's file backend appends messages sent in the same second to
    one file, so the messages are counted, not the files."""
    mail_dir = cluster.work / "a" / "mail"
    if not mail_dir.exists():
        return Counter()
    return Counter(
        match.group(1)
        for path in mail_dir.iterdir()
        for match in re.finditer(r"^To: (.+)$", path.read_text(errors="replace"), re.MULTILINE)
    )


METRIC_UNITS = {
    "load_rps": "requests/s",
    "load_p95_ms": "ms",
    "load_errors": "count",
    "web_worker_rss_mib": "MiB",
    "celery_worker_rss_mib": "MiB",
}


def main() -> int:
    server, _, database = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench").rpartition(
        "/"
    )
    if not server.startswith("postgres"):
        log("bench/load.py needs PostgreSQL (DATABASE_URL)")
        return 1
    cluster = Cluster(ROOT / "var" / "bench_load", f"{database}_load", redis_port=6392, server=server)
    peaks: dict[str, float] = {}
    recorder = Recorder()
    outcome: dict = {}
    import shutil

    shutil.rmtree(cluster.work, ignore_errors=True)
    cluster.work.mkdir(parents=True)
    try:
        cluster.ensure_database()
        cluster.start_redis()
        started = time.monotonic()
        cluster.manage("migrate", "--noinput", "--verbosity", "0")
        cluster.manage("collectstatic", "--noinput", "--verbosity", "0")
        data = json.loads(
            cluster.python(
                GENERATE.format(
                    target=REQUESTS, members=MEMBERS, password=PASSWORD, staff_totp_secret=STAFF_TOTP_SECRET
                )
            )
            .strip()
            .splitlines()[-1]
        )
        log(
            f"data ready in {time.monotonic() - started:.0f} s: {data.get('requests', 0)} requests, "
            f"{len(data['members'])} member accounts, {len(data['staff'])} staff accounts"
        )
        since = json.loads(cluster.python(SINCE).strip().splitlines()[-1])
        mail_before = mail_messages(cluster)

        cluster.start_web("a", PORT, workers=2, threads=4)
        cluster.start_worker("a", concurrency=2)
        cluster.start_beat("a")
        cluster.wait_for_workers(1)

        people = []
        for n in range(USERS):
            staff = data["staff"] and n % 3 == 2
            login = data["staff"][n % len(data["staff"])] if staff else data["members"][n % len(data["members"])]
            browser = Browser(f"http://127.0.0.1:{PORT}")
            browser.log_in(login, PASSWORD, totp_secret=STAFF_TOTP_SECRET if staff else None)
            people.append((staff, browser))

        stop_sampling = threading.Event()
        sampler = threading.Thread(target=sample_memory, args=(cluster, stop_sampling, peaks), daemon=True)
        sampler.start()
        load_started = time.monotonic()
        stop_at = load_started + SECONDS
        threads = []
        for n, (staff, browser) in enumerate(people):
            target = staff_loop if staff else member_loop
            args = (
                (browser, stop_at, recorder, random.Random(n))
                if staff
                else (browser, data["codes"], stop_at, recorder, random.Random(n))
            )
            thread = threading.Thread(target=target, args=args, daemon=True)
            thread.start()
            threads.append(thread)
        outage = None
        if 0 <= OUTAGE_AT < SECONDS and cluster.own_redis:
            time.sleep(OUTAGE_AT)
            log(f"Redis stopped at {time.monotonic() - load_started:.0f} s for {OUTAGE_S:.0f} s")
            cluster.stop_redis()
            time.sleep(OUTAGE_S)
            cluster.start_redis()
            outage = OUTAGE_S
            log(f"Redis back at {time.monotonic() - load_started:.0f} s")
        for thread in threads:
            thread.join(timeout=SECONDS + 60)
        elapsed = time.monotonic() - load_started
        stop_sampling.set()

        log("waiting for the outbox to deliver what was made during the run")
        deadline = time.monotonic() + 150
        after = {}
        while time.monotonic() < deadline:
            after = json.loads(
                cluster.python(AFTER.format(refs=recorder.submitted, since=since)).strip().splitlines()[-1]
            )
            if not after["by_status"].get("pending") and not after["by_status"].get("sending"):
                break
            time.sleep(3)
        # Each SMS row against the lines written to its recipient (an announcement's text is the same for all).
        written: Counter = Counter()
        sms_file = cluster.work / "a" / "sms.log"
        if sms_file.exists():
            for line in sms_file.read_text().splitlines():
                if line.strip():
                    sms = json.loads(line)
                    written[(sms["to"], sms["text"])] += 1
        expected = Counter((mobile, body) for mobile, body in after["sms"])
        duplicated = sum(max(0, written[key] - count) for key, count in expected.items())
        missing = sum(max(0, count - written[key]) for key, count in expected.items())
        # Only the members' e-mails: staff get escalation e-mails directly, outside the outbox.
        written_mail = mail_messages(cluster) - mail_before
        mail_files = sum(written_mail[address] for address in set(after["email"]))

        all_ms = [ms for values in recorder.samples.values() for ms in values]
        outcome = {
            "load_rps": round(len(all_ms) / elapsed, 1),
            "load_p95_ms": round(percentile(all_ms, 0.95), 1),
            "load_errors": len(recorder.errors),
            "load_4xx": recorder.client_errors,
            "load_requests_sent": len(all_ms),
            "load_seconds": round(elapsed, 1),
            "load_users": USERS,
            "load_requests_in_database": data.get("requests", 0),
            "load_page_p95_ms": {
                page: round(percentile(values, 0.95), 1) for page, values in sorted(recorder.samples.items())
            },
            "load_page_count": {page: len(values) for page, values in sorted(recorder.samples.items())},
            "web_worker_rss_mib": round(peaks.get("web", 0.0), 1),
            "celery_worker_rss_mib": round(peaks.get("celery", 0.0), 1),
            "load_redis_outage_s": outage,
            "load_submissions": len(recorder.submitted),
            "load_submissions_lost": len(recorder.submitted) - after.get("found", 0),
            "load_notifications": sum(after["by_status"].values()),
            "load_notifications_by_status": after["by_status"],
            "load_sms_duplicated": duplicated,
            "load_sms_missing": missing,
            "load_email_sent": len(after["email"]),
            "load_email_written": mail_files,
        }
    finally:
        cluster.stop_all()
    # The figures as `make bench` prints them (one JSON line each); the rest of the outcome goes to the log.
    for key, value in outcome.items():
        if key in METRIC_UNITS:
            print(json.dumps({"metric": key, "value": value, "unit": METRIC_UNITS[key]}), flush=True)
        elif key == "load_page_p95_ms":
            for page, p95 in value.items():
                line = {"metric": "load_page_p95_ms", "value": p95, "unit": "ms", "page": page}
                print(json.dumps(line, ensure_ascii=False), flush=True)
        else:
            log(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    for error in recorder.errors[:10]:
        log(f"error: {error}")
    if not outcome:
        return 1
    undelivered = sum(n for status, n in outcome["load_notifications_by_status"].items() if status != "sent")
    bad = (
        outcome["load_submissions_lost"]
        or outcome["load_sms_duplicated"]
        or outcome["load_sms_missing"]
        or undelivered
        or outcome["load_email_sent"] != outcome["load_email_written"]
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
