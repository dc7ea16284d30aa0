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
import shutil
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))
from cluster import Cluster, log, rss_mib  # noqa: E402
from portal_http import Browser  # noqa: E402

from bench import _load_data, _load_people  # noqa: E402
from bench._common import percentile  # noqa: E402

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
USERS = int(os.environ.get("LOAD_USERS", "8"))
REQUESTS = int(os.environ.get("LOAD_REQUESTS", "100000"))
MEMBERS = int(os.environ.get("LOAD_MEMBERS", "20000"))
OUTAGE_AT = float(os.environ.get("LOAD_REDIS_OUTAGE_AT", "20"))  # negative: no outage
OUTAGE_S = 10.0
PORT = int(os.environ.get("LOAD_PORT", "8811"))
PASSWORD = "Load-Test-Najran-2026"
STAFF_TOTP_SECRET = "LOADTESTSTAFFSECONDFACTORNAJRANQ"


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


def prepare(cluster: Cluster) -> tuple[dict, dict, Counter]:
    """Migrate and fill the database (once; kept between runs); note where this run's notifications start."""
    started = time.monotonic()
    cluster.manage("migrate", "--noinput", "--verbosity", "0")
    cluster.manage("collectstatic", "--noinput", "--verbosity", "0")
    script = _load_data.GENERATE.format(
        target=REQUESTS, members=MEMBERS, password=PASSWORD, staff_totp_secret=STAFF_TOTP_SECRET
    )
    data = json.loads(cluster.python(script).strip().splitlines()[-1])
    log(
        f"data ready in {time.monotonic() - started:.0f} s: {data.get('requests', 0)} requests, "
        f"{len(data['members'])} member accounts, {len(data['staff'])} staff accounts"
    )
    since = json.loads(cluster.python(_load_data.SINCE).strip().splitlines()[-1])
    return data, since, mail_messages(cluster)


def sign_in_people(data: dict) -> list[tuple[bool, Browser]]:
    """USERS signed-in browsers: every third one a staff member (with the second factor), the others members."""
    people = []
    for n in range(USERS):
        staff = data["staff"] and n % 3 == 2
        login = data["staff"][n % len(data["staff"])] if staff else data["members"][n % len(data["members"])]
        browser = Browser(f"http://127.0.0.1:{PORT}")
        browser.log_in(login, PASSWORD, totp_secret=STAFF_TOTP_SECRET if staff else None)
        people.append((staff, browser))
    return people


def run_load(cluster: Cluster, people: list, codes: list[str], recorder, peaks: dict) -> tuple[float, float | None]:
    """Every person in their own thread for SECONDS, with Redis stopped at OUTAGE_AT. Returns (elapsed, outage)."""
    stop_sampling = threading.Event()
    sampler = threading.Thread(target=sample_memory, args=(cluster, stop_sampling, peaks), daemon=True)
    sampler.start()
    load_started = time.monotonic()
    stop_at = load_started + SECONDS
    threads = []
    for n, (staff, browser) in enumerate(people):
        if staff:
            target, args = _load_people.staff_loop, (browser, stop_at, recorder, random.Random(n))
        else:
            target, args = _load_people.member_loop, (browser, codes, stop_at, recorder, random.Random(n))
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
    return elapsed, outage


def deliveries(cluster: Cluster, recorder, since: dict, mail_before: Counter) -> dict:
    """Wait for the outbox to settle, then count what reached the providers' files against what the rows say."""
    log("waiting for the outbox to deliver what was made during the run")
    deadline = time.monotonic() + 150
    after = {}
    while time.monotonic() < deadline:
        script = _load_data.AFTER.format(refs=recorder.submitted, since=since)
        after = json.loads(cluster.python(script).strip().splitlines()[-1])
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
    # Only the members' e-mails: staff get escalation e-mails directly, outside the outbox.
    written_mail = mail_messages(cluster) - mail_before
    return {
        "load_submissions_lost": len(recorder.submitted) - after.get("found", 0),
        "load_notifications": sum(after["by_status"].values()),
        "load_notifications_by_status": after["by_status"],
        "load_sms_duplicated": sum(max(0, written[key] - count) for key, count in expected.items()),
        "load_sms_missing": sum(max(0, count - written[key]) for key, count in expected.items()),
        "load_email_sent": len(after["email"]),
        "load_email_written": sum(written_mail[address] for address in set(after["email"])),
    }


def timings(recorder, elapsed: float) -> dict:
    all_ms = [ms for values in recorder.samples.values() for ms in values]
    return {
        "load_rps": round(len(all_ms) / elapsed, 1),
        "load_p95_ms": round(percentile(all_ms, 0.95), 1),
        "load_errors": len(recorder.errors),
        "load_4xx": recorder.client_errors,
        "load_requests_sent": len(all_ms),
        "load_seconds": round(elapsed, 1),
        "load_users": USERS,
        "load_page_p95_ms": {
            page: round(percentile(values, 0.95), 1) for page, values in sorted(recorder.samples.items())
        },
        "load_page_count": {page: len(values) for page, values in sorted(recorder.samples.items())},
    }


def report(outcome: dict, recorder) -> int:
    """The figures as `make bench` prints them (one JSON line each); the rest of the outcome goes to the log.
    1 when a request was lost or a notification not delivered exactly once."""
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


def main() -> int:
    server, _, database = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench").rpartition(
        "/"
    )
    if not server.startswith("postgres"):
        log("bench/load.py needs PostgreSQL (DATABASE_URL)")
        return 1
    cluster = Cluster(ROOT / "var" / "bench_load", f"{database}_load", redis_port=6392, server=server)
    peaks: dict[str, float] = {}
    recorder = _load_people.Recorder()
    outcome: dict = {}
    shutil.rmtree(cluster.work, ignore_errors=True)
    cluster.work.mkdir(parents=True)
    try:
        cluster.ensure_database()
        cluster.start_redis()
        data, since, mail_before = prepare(cluster)
        cluster.start_web("a", PORT, workers=2, threads=4)
        cluster.start_worker("a", concurrency=2)
        cluster.start_beat("a")
        cluster.wait_for_workers(1)
        people = sign_in_people(data)
        elapsed, outage = run_load(cluster, people, data["codes"], recorder, peaks)
        outcome = {
            **timings(recorder, elapsed),
            "load_requests_in_database": data.get("requests", 0),
            "web_worker_rss_mib": round(peaks.get("web", 0.0), 1),
            "celery_worker_rss_mib": round(peaks.get("celery", 0.0), 1),
            "load_redis_outage_s": outage,
            "load_submissions": len(recorder.submitted),
            **deliveries(cluster, recorder, since, mail_before),
        }
    finally:
        cluster.stop_all()
    return report(outcome, recorder)


if __name__ == "__main__":
    sys.exit(main())
