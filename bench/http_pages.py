"""Benchmark of five pages over HTTP: gunicorn with the production settings, on PostgreSQL with generated data.

    .venv/bin/python bench/http_pages.py                   (make bench runs it; 100,000 requests)
    QUEUE_REQUESTS=1000000 .venv/bin/python bench/http_pages.py

Data: the staff queue benchmark's (bench/_queue_data.py: QUEUE_REQUESTS requests, 100,000 by default, in
BENCH_QUEUE_DATABASE_URL, by default bench_queue_<size>, generated once and kept), plus a board member and a
member with accounts. The portal runs as in production: gunicorn with deploy/gunicorn.conf.py (2 workers, DEBUG
off), a private Redis on HTTP_REDIS_PORT (6393) for the cache and the broker; HTTP_PORT (8812), loopback only.
Three people sign in through the sign-in pages (staff and the board with their authenticator's code): a staff
member of one department, a board member and a member.

For each page, HTTP_WARMUP (5) requests, then HTTP_RUNS (30) timed at the client (socket, gunicorn, Django,
PostgreSQL), one after the other on a kept-alive connection:
- http_queue_page_ms: the staff queue as it opens; http_request_page_ms: the staff request page of random
  requests of the department; http_queue_search_ms: the queue searched by request number, membership number,
  mobile and Arabic name; http_board_dashboard_ms: the board's dashboard for the last complete year;
  http_submission_page_ms: a member opening a service's form (GET). Each line: the median, the p95, the 1-minute
  load average and the data size;
- http_worker_rss_mib: the largest gunicorn worker's resident memory after those pages (target 150 MiB).
Exits 1 when a page does not answer 200 or the memory target is missed. gunicorn is stopped (its whole process
group) whatever happens. Not named http.py: the other bench scripts, run from this folder, would import it in place
of the standard library's http.
"""

import json
import os
import random
import shutil
import signal
import statistics
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from cluster import Cluster, rss_mib  # noqa: E402
from portal_http import Browser  # noqa: E402

from bench import _queue_data  # noqa: E402
from bench._common import SECOND_FACTOR_SECRET, log, percentile, setup_django, with_second_factor  # noqa: E402

REQUESTS = _queue_data.REQUESTS
WARMUP = int(os.environ.get("HTTP_WARMUP", "5"))
RUNS = int(os.environ.get("HTTP_RUNS", "30"))
PORT = int(os.environ.get("HTTP_PORT", "8812"))
REDIS_PORT = int(os.environ.get("HTTP_REDIS_PORT", "6393"))
TARGET_RSS_MIB = 150
PASSWORD = "Http-Bench-Najran-2026"
SERVICE = "BQ-30"  # a service of the staff member's department


def accounts() -> dict:
    """The people who sign in: a staff member of the fourth department (the queue benchmark's), a board member and
    a member (the first generated one), with a password, and for staff and board an authenticator app."""
    from django.contrib.auth.models import Group

    from members.models import Member, User
    from members.roles import Role

    staff = with_second_factor(User.objects.get(username="bench-q-3-0"))
    board, _ = User.objects.get_or_create(
        username="bench-http-board", defaults={"email": "bench-http-board@example.org"}
    )
    board.groups.add(Group.objects.get_or_create(name=Role.BOARD.value)[0])
    with_second_factor(board)
    member = Member.objects.get(membership_no="700001")
    if member.user_id is None:
        member.user = User.objects.create(
            username="bench-http-member", email="bench-http-member@example.org", phone=str(member.mobile)
        )
        member.save(update_fields=["user"])
    member.user.groups.add(Group.objects.get_or_create(name=Role.MEMBER.value)[0])
    for user in (board, member.user):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    # A mobile checked once, or the sign-in stops at the page that checks it.
    User.objects.filter(pk__in=[staff.pk, board.pk, member.user_id]).update(phone_verified=True)
    return {
        "staff": (staff.email, _queue_data.STAFF_PASSWORD, SECOND_FACTOR_SECRET),
        "board": (board.email, PASSWORD, SECOND_FACTOR_SECRET),
        "member": (member.user.email, PASSWORD, None),
    }


def page_urls() -> dict[str, list[str]]:
    """For each page, the addresses to ask for (cycled): WARMUP + RUNS of them where they differ."""
    from django.urls import reverse
    from django.utils import timezone

    department = _queue_data.populate()["departments"][3]
    rng = random.Random(15)
    queue = reverse("requests_app:queue")
    references = _queue_data.sample_references(department, rng, WARMUP + RUNS)
    searches = _queue_data.sample_searches(department, rng, (WARMUP + RUNS + 3) // 4)
    return {
        "http_queue_page_ms": [queue],
        "http_request_page_ms": [reverse("requests_app:staff-request", args=[ref]) for ref in references],
        "http_queue_search_ms": [f"{queue}?q={quote(term)}" for term in searches],
        "http_board_dashboard_ms": [f"{reverse('surveys:board-dashboard')}?period={timezone.localdate().year - 1}"],
        "http_submission_page_ms": [reverse("requests_app:request-submit", args=[SERVICE])],
    }


def prepare(cluster: Cluster) -> tuple[dict, dict]:
    """The data (generated once) and the accounts in this process; the static files for gunicorn."""
    setup_django(_queue_data.DATABASE_URL, "bench_queue")
    urls = page_urls()
    people = accounts()
    from django.db import connections

    connections.close_all()  # this process only prepared: the pages are gunicorn's
    cluster.manage("collectstatic", "--noinput", "--verbosity", "0")
    return urls, people


def timed_gets(browser: Browser, urls: list[str]) -> list[float]:
    """WARMUP requests, then RUNS timed ones: milliseconds each. A page that is not a 200 (or sends back to sign
    in) stops the benchmark."""
    times = []
    for n in range(WARMUP + RUNS):
        url = urls[n % len(urls)]
        response = browser.get(url)
        if response.status != 200 or response.url != url:
            raise RuntimeError(f"{url} answered {response.status} at {response.url}")
        if n >= WARMUP:
            times.append(response.elapsed_ms)
    return times


def figure(metric: str, value: float, unit: str, **extra) -> dict:
    return {
        "metric": metric,
        "value": round(value, 1),
        "unit": unit,
        **extra,
        "load_1m": round(os.getloadavg()[0], 2),
        "requests": REQUESTS,
    }


def measure(cluster: Cluster, urls: dict, people: dict) -> list[dict]:
    browsers = {}
    for who, (login, password, secret) in people.items():
        browsers[who] = Browser(f"http://127.0.0.1:{PORT}")
        browsers[who].log_in(login, password, totp_secret=secret)
    whose = {"http_board_dashboard_ms": "board", "http_submission_page_ms": "member"}
    results = []
    for metric, addresses in urls.items():
        times = timed_gets(browsers[whose.get(metric, "staff")], addresses)
        p95 = round(percentile(times, 0.95), 1)
        results.append(figure(metric, statistics.median(times), "ms", p95=p95, runs=RUNS))
    workers = cluster.pids("a:web")[1:]
    rss = max(rss_mib(pid) for pid in workers)
    results.append(figure("http_worker_rss_mib", rss, "MiB", target=TARGET_RSS_MIB, workers=len(workers)))
    return results


def stop_on_signal(signum, _frame) -> None:
    raise SystemExit(128 + signum)  # so that the finally below stops gunicorn


def main() -> int:
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGHUP, stop_on_signal)
    server, _, database = _queue_data.DATABASE_URL.rpartition("/")
    cluster = Cluster(ROOT / "var" / "bench_http", database, redis_port=REDIS_PORT, server=server)
    shutil.rmtree(cluster.work, ignore_errors=True)
    cluster.work.mkdir(parents=True)
    try:
        urls, people = prepare(cluster)
        cluster.start_redis()
        cluster.start_web("a", PORT, workers=2)
        results = measure(cluster, urls, people)
    except Exception:
        web_log = cluster.work / "a" / "web.log"
        if web_log.exists():
            log("gunicorn's last lines:\n" + "\n".join(web_log.read_text(errors="replace").splitlines()[-20:]))
        raise
    finally:
        cluster.stop_all()
    for result in results:
        print(json.dumps(result), flush=True)
    rss = results[-1]["value"]
    if rss > TARGET_RSS_MIB:
        log(f"the largest gunicorn worker holds {rss} MiB, over the {TARGET_RSS_MIB} MiB target")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
