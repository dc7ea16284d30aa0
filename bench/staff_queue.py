"""Benchmark of the staff work queue and the staff request page, beside a bare indexed page, on PostgreSQL.

    .venv/bin/python bench/staff_queue.py                       (make bench runs it; 100,000 requests)
    QUEUE_REQUESTS=1000000 .venv/bin/python bench/staff_queue.py

Database: BENCH_QUEUE_DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/bench_queue_<size> (one
per size, created, filled by bench/_queue_data.py and kept between runs).

Measures in-process with Django's test Client (a staff member of one department, DEBUG off), each figure the
median of its runs, with the load average beside it:
- queue_page_ms: the median, over every filter and sort combination the page offers (each value of each
  filter, with each sort), of each combination's median; queue_page_worst_ms: the slowest combination's;
- request_page_ms: the staff request page of random requests of the department;
- queue_search_ms: the queue searched by request number, membership number, mobile and Arabic name;
- floor_page_ms: a bare 50-row page (an indexed query of the same rows, a one-line template, no middleware)
  in the same run, measured beside each combination (this machine's speed drifts by a third within minutes);
  queue_page_vs_floor: queue_page_ms / floor_page_ms (the goal is at most 4);
- queue_page_queries: the SQL queries of one queue page (flat from 100,000 to 1,000,000: tests assert it).
Prints one JSON line per figure; exits 1 when a target of the size is missed.
"""

import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _queue_data
from bench._common import as_in_production, log, setup_django, with_second_factor

REQUESTS = _queue_data.REQUESTS
DATABASE_URL = _queue_data.DATABASE_URL
RUNS = int(os.environ.get("QUEUE_RUNS", "5"))
MILLION = REQUESTS >= 1_000_000
TARGETS = {
    "queue_page_ms": 15 if MILLION else 12,
    "queue_page_worst_ms": 25 if MILLION else 20,
    "request_page_ms": 10,
    "queue_search_ms": 15 if MILLION else 10,
    "queue_page_vs_floor": 4,
}


CPU_MS: dict[str, list[float]] = {}


def timed(client, url: str, runs: int, *, kind: str = "") -> list[float]:
    """Wall-clock milliseconds of each GET; the process's own CPU time is kept per kind too (other processes on
    the same cores inflate it much less, though it leaves out PostgreSQL's share)."""
    times = []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if kind:
            CPU_MS.setdefault(kind, []).append((time.process_time() - cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times


def combinations(department, staff) -> list[str]:
    """Each value of each filter the page offers (the others left as they are), with each sort."""
    from members.models import Governorate
    from requests_app import sla
    from requests_app.desk import queue
    from requests_app.models import RequestType, ServiceRequest

    week_ago = (sla.today() - datetime.timedelta(days=7)).isoformat()
    filters = [f"view={value}" for value, _label in queue.SavedView.CHOICES]
    filters += [f"status={value}" for value in (queue.OPEN, *ServiceRequest.Status.values, queue.ANY)]
    services = RequestType.objects.filter(department=department).values_list("pk", flat=True)
    filters += [f"service={pk}" for pk in services]
    filters += [f"assignee={value}" for value in (queue.ASSIGNEE_MINE, queue.ASSIGNEE_NONE, staff.pk + 1)]
    filters += [f"sla_state={state.value}" for state in sla.FILTERABLE]
    filters += [f"governorate={value}" for value in Governorate.values]
    filters += [f"department={department.pk}", f"submitted_from={week_ago}&submitted_to={sla.today().isoformat()}"]
    return [f"?{query}&sort={sort}" for query in filters for sort, _label in queue.Sort.CHOICES]


def floor_page(department) -> float:
    """A bare 50-row page: the open requests of the department by due date (an index), a one-line template."""
    from django.template import Context, Template

    from requests_app import sla
    from requests_app.models import ServiceRequest

    template = Template(
        "<table>{% for r in rows %}<tr><td>{{ r.0 }}</td><td>{{ r.1 }}</td><td>{{ r.2 }}</td></tr>{% endfor %}</table>"
    )
    started = time.perf_counter()
    rows = list(
        ServiceRequest.objects.filter(department=department, status__in=sla.OPEN_STATUSES)
        .order_by("due_date", "pk")
        .values_list("reference_no", "status", "due_date")[:50]
    )
    template.render(Context({"rows": rows}))
    return (time.perf_counter() - started) * 1000


def figure(metric: str, values: list[float] | float, unit: str = "ms") -> dict:
    value = statistics.median(values) if isinstance(values, list) else values
    result = {"metric": metric, "value": round(value, 2), "unit": unit, "load_1m": round(os.getloadavg()[0], 2)}
    if metric in TARGETS:
        result["target"] = TARGETS[metric]
    if metric.removesuffix("_ms") in CPU_MS:
        result["cpu_ms"] = round(statistics.median(CPU_MS[metric.removesuffix("_ms")]), 2)
    result["requests"] = REQUESTS
    return result


def measure() -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from members.models import User

    as_in_production()
    department = _queue_data.populate()["departments"][3]
    staff = User.objects.get(username="bench-q-3-0")
    client = Client()
    client.force_login(with_second_factor(staff))
    queue_url = reverse("requests_app:queue")
    rng = random.Random(6)
    results = []

    per_combination, floor = {}, []
    for query in combinations(department, staff):
        timed(client, queue_url + query, 1)  # warm up
        per_combination[query] = statistics.median(timed(client, queue_url + query, RUNS, kind="queue_page"))
        floor += [floor_page(department) for _ in range(RUNS)]  # beside each combination: the same machine's moment
    queue_ms = statistics.median(per_combination.values())
    worst = max(per_combination, key=per_combination.get)
    results.append(figure("queue_page_ms", queue_ms))
    results.append(figure("queue_page_worst_ms", per_combination[worst]))
    log(f"slowest combination: {worst}; {len(per_combination)} combinations")
    results.append(figure("floor_page_ms", floor))
    results.append(figure("queue_page_vs_floor", queue_ms / statistics.median(floor), unit="ratio"))

    sample = _queue_data.sample_references(department, rng, RUNS * 8)
    for reference_no in sample[:3]:
        timed(client, reverse("requests_app:staff-request", args=[reference_no]), 1)
    request_times = []
    for reference_no in sample:
        request_times += timed(
            client, reverse("requests_app:staff-request", args=[reference_no]), 1, kind="request_page"
        )
    results.append(figure("request_page_ms", request_times))

    searches = _queue_data.sample_searches(department, rng, RUNS * 2)
    for query in searches[:4]:
        timed(client, f"{queue_url}?q={query}", 1)
    search_times = []
    for query in searches:
        search_times += timed(client, f"{queue_url}?q={query}", 1, kind="queue_search")
    results.append(figure("queue_search_ms", search_times))

    with CaptureQueriesContext(connection) as queries:
        client.get(queue_url + "?status=open&sort=due")
    results.append(figure("queue_page_queries", len(queries), unit="queries"))
    slowest = sorted(per_combination.items(), key=lambda item: -item[1])[:5]
    for query, median in slowest:
        log(f"queue {query}: {median:.2f} ms median")
    return results


def main() -> int:
    setup_django(DATABASE_URL, "bench_queue")
    missed = False
    for result in measure():
        print(json.dumps(result), flush=True)
        if "target" in result and result["value"] > result["target"]:
            missed = True
            log(f"{result['metric']} {result['value']} is over the {result['target']} target")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
