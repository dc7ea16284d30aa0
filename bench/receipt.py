"""Benchmark of receipts: one rendered in-process, and receipts rendered by a real Celery worker.

    .venv/bin/python bench/receipt.py            (make bench runs it)

Database: BENCH_DATABASE_URL (make bench: portal_bench), created and migrated when missing. Broker for the
worker: BENCH_BROKER_URL, by default Redis database 4.
- receipt_render_ms: median of RECEIPT_RUNS (30) in-process renders of the Arabic receipt (template, QR code,
  WeasyPrint with the shared font configuration) after 5 warm-ups; target < 150 ms.
- receipt_worker_per_s: receipts issued per second by a real worker (`celery worker`, prefork, one process
  per core) for RECEIPT_WORKER_JOBS (60) submitted requests, after the worker has warmed up; target >= 8.
Prints JSON lines, and exits 1 when a target is missed. Its requests and files are deleted at the end.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# bench/ holds a queue.py: the folder must not shadow the standard library's queue module.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import ROOT, bench_member_and_service, log, setup_django  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", os.environ.get("DATABASE_URL", ""))
DATABASE_URL = DATABASE_URL or "postgres://postgres@127.0.0.1:5432/portal_bench"
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/4")
RUNS = int(os.environ.get("RECEIPT_RUNS", "30"))
JOBS = int(os.environ.get("RECEIPT_WORKER_JOBS", "60"))
TARGET_RENDER_MS = 150.0
TARGET_WORKER_PER_S = 8.0

os.environ["CELERY_BROKER_URL"] = BROKER_URL


def make_requests(count: int) -> list[int]:
    from django.utils import timezone

    from requests_app import services
    from requests_app.models import ServiceRequest

    member, request_type = bench_member_and_service()
    rows = [
        ServiceRequest(
            reference_no=services.allocate_reference_no(year=2099),
            member=member,
            request_type=request_type,
            department=request_type.department,
            answers=[{"key": "seedlings", "label_ar": "عدد الشتلات", "value": "40", "display_ar": "40"}],
            submitted_at=timezone.now(),
            due_date=timezone.localdate(),
        )
        for _ in range(count)
    ]
    return [row.pk for row in ServiceRequest.objects.bulk_create(rows)]


def render_in_process() -> tuple[float, int]:
    from django.utils import timezone, translation

    from members_portal.pdf import render_pdf
    from requests_app import receipts
    from requests_app.models import Receipt, ServiceRequest

    service_request = ServiceRequest.objects.select_related("request_type", "member").get(pk=make_requests(1)[0])
    receipt = Receipt(service_request=service_request, kind="submitted", status="submitted", created_at=timezone.now())
    timings = []
    with translation.override("ar"):
        for run in range(5 + RUNS):
            started = time.perf_counter()
            pdf = render_pdf("pdf/receipt.html", receipts.receipt_context(receipt))
            if run >= 5:
                timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(pdf)


def worker_throughput() -> float:
    from members_portal.celery import app
    from requests_app import tasks
    from requests_app.models import Receipt

    app.control.purge()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    loglevel = os.environ.get("RECEIPT_WORKER_LOGLEVEL", "WARNING")
    command = [
        *(sys.executable, "-m", "celery", "-A", "members_portal", "worker", f"--loglevel={loglevel}"),
        *(f"--concurrency={os.cpu_count() or 2}", "--without-heartbeat", "--without-gossip", "--without-mingle"),
    ]
    log_file = open(os.environ.get("RECEIPT_WORKER_LOG", os.devnull), "w")  # noqa: SIM115 (closed below)
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_file)
    try:
        warm = make_requests(4 * (os.cpu_count() or 2))  # every pool process loads its fonts first
        for pk in warm:
            tasks.render_submission_receipt.delay(pk)
        _wait_for(Receipt.objects.filter(service_request_id__in=warm), len(warm), timeout=120)
        ids = make_requests(JOBS)
        started = time.perf_counter()
        for pk in ids:
            tasks.render_submission_receipt.delay(pk)
        _wait_for(Receipt.objects.filter(service_request_id__in=ids), JOBS, timeout=300)
        return JOBS / (time.perf_counter() - started)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log_file.close()


def _wait_for(queryset, count: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while queryset.count() < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {queryset.count()} of {count} receipts after {timeout} s")
        time.sleep(0.02)


def clean_up() -> None:
    from requests_app.models import Receipt, ServiceRequest

    for receipt in Receipt.objects.filter(service_request__request_type__code="BNC-01"):
        receipt.file.delete(save=False)
    ServiceRequest.objects.filter(request_type__code="BNC-01").delete()


def main() -> int:
    setup_django(DATABASE_URL, "bench_requests")
    try:
        log("rendering receipts in-process")
        render_ms, size = render_in_process()
        log("starting a Celery worker")
        per_s = worker_throughput()
    finally:
        clean_up()
    print(json.dumps({"metric": "receipt_render_ms", "value": round(render_ms, 1), "unit": "ms",
                      "target": TARGET_RENDER_MS, "runs": RUNS, "pdf_bytes": size}))  # fmt: skip
    print(json.dumps({"metric": "receipt_worker_per_s", "value": round(per_s, 1), "unit": "receipts/s",
                      "target": TARGET_WORKER_PER_S, "jobs": JOBS, "worker_processes": os.cpu_count()}))  # fmt: skip
    return 0 if render_ms < TARGET_RENDER_MS and per_s >= TARGET_WORKER_PER_S else 1


if __name__ == "__main__":
    sys.exit(main())
