"""Benchmark: outbox delivery through a real Celery worker (Redis broker, file SMS and e-mail backends).

Standalone: `.venv/bin/python bench/notification_delivery.py`. With BENCH_SMS_PROVIDER=unifonic (or taqnyat,
msegat) the SMS go through that provider's client to its fake API (messaging/fake_providers.py) answering after
BENCH_PROVIDER_LATENCY_MS (default 50 ms), as a real provider over the Internet would; the run then checks that the
fake took every SMS exactly once. Uses DATABASE_URL (PostgreSQL; default
postgres://postgres@127.0.0.1:5432/bench_delivery), creates and migrates it if missing (and then drops it),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/3) as the broker, and a temporary folder for the files.
Prints one JSON line: {"metric": "notification_delivery_per_s", "value": messages per second, ...}

What is timed: from publishing the delivery tasks (batches of 100 ids, as an announcement does) until every
SMS and e-mail row is sent, with a worker already running (prefork, 2 processes). Each message is claimed,
handed to its backend and marked sent on its own, exactly as in production; the run checks that every SMS
was written exactly once.
"""

import sys
from pathlib import Path

# Run as a script, bench/ is first on sys.path and its files would shadow standard modules: use the root.
BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[:] = [str(BASE_DIR), *(p for p in sys.path if Path(p or ".").resolve() != BASE_DIR / "bench")]

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "3000"))
CONCURRENCY = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "2"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
PREFIX = "BENCHD"
WORK_DIR = Path(tempfile.mkdtemp(prefix="bench-delivery-"))

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_delivery")
os.environ["CELERY_BROKER_URL"] = REDIS_URL
# A queue of this run's own: other processes on the same Redis (tests, other benchmarks) never take its tasks.
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = f"bench-delivery-{os.getpid()}"
PROVIDER = os.environ.get("BENCH_SMS_PROVIDER", "")
PROVIDER_LATENCY_S = float(os.environ.get("BENCH_PROVIDER_LATENCY_MS", "50")) / 1000
os.environ["SMS_BACKEND"] = PROVIDER or "file"
# Through a provider that answers slowly, each worker waits on several answers at once (settings: the worker reads it).
os.environ.setdefault("OUTBOX_SEND_PARALLEL", "16" if PROVIDER else "1")
os.environ["SMS_FILE_PATH"] = str(WORK_DIR / "sms.log")
os.environ["EMAIL_URL"] = f"file:{WORK_DIR / 'mail'}"
os.environ["VAR_DIR"] = str(WORK_DIR / "var")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "members_portal.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def ensure_database(url: str) -> bool:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return not exists


def drop_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    admin.close()


def make_announcement() -> list[int]:
    """10 % e-mail and SMS, the rest SMS only: the rows to deliver (inbox copies need no worker)."""
    from django.contrib.auth.models import Group

    from members import announcements, outbox_sending
    from members.models import Announcement, Governorate, Member, Notification, User

    Member.objects.bulk_create(
        [
            Member(
                membership_no=f"{PREFIX}{n:06d}",
                national_id=f"13{n:08d}",
                full_name_ar=f"عضو تجريبي رقم {n}",
                mobile=f"+96654{n:07d}",
                email=f"bench{n}@example.org" if n % 10 == 0 else "",
                email_consent=n % 10 == 0,
                sms_consent=True,
                language="en" if n % 5 == 0 else "ar",
                governorate=Governorate.NAJRAN,
            )
            for n in range(MEMBERS)
        ],
        batch_size=2000,
    )
    supervisor = User.objects.create_user(username="bench-delivery", email="bench-delivery@example.org")
    supervisor.groups.add(Group.objects.get(name="supervisor"))
    announcement = Announcement.objects.create(
        title_ar="موعد توزيع شتلات البن",
        title_en="Coffee seedling distribution",
        body_ar="يبدأ توزيع شتلات البن على الأعضاء يوم الأحد القادم في مقر الجمعية.",
        body_en="Seedlings are handed out to members from next Sunday at the cooperative's office.",
        created_by=supervisor,
    )
    enqueue, outbox_sending.enqueue_pending = outbox_sending.enqueue_pending, lambda ids: None  # published later, timed
    try:
        announcements.fan_out(announcement_id=announcement.pk)
    finally:
        outbox_sending.enqueue_pending = enqueue
    return list(
        Notification.objects.filter(announcement=announcement, status=Notification.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def clean_up() -> None:
    from members.models import Announcement, Member, User

    Announcement.objects.filter(created_by__username="bench-delivery").delete()
    Member.objects.filter(membership_no__startswith=PREFIX).delete()
    User.objects.filter(username="bench-delivery").delete()


def start_fake_provider():
    """The provider's fake API in this process; the worker (started after) reaches it through the settings."""
    if not PROVIDER:
        return None
    from messaging.fake_providers import CREDENTIALS, FakeProvider

    fake = FakeProvider(PROVIDER, latency_s=PROVIDER_LATENCY_S).start()
    os.environ[f"{PROVIDER.upper()}_URL"] = fake.url
    credential = {"unifonic": "UNIFONIC_APP_SID", "taqnyat": "TAQNYAT_TOKEN", "msegat": "MSEGAT_API_KEY"}[PROVIDER]
    os.environ[credential] = CREDENTIALS[PROVIDER]
    os.environ["MSEGAT_USERNAME"] = "bench"
    return fake


def start_worker() -> subprocess.Popen:
    log = (WORK_DIR / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "members_portal",
            "worker",
            "--pool=prefork",
            f"--concurrency={CONCURRENCY}",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--hostname=bench-delivery@%h",
        ],
        cwd=BASE_DIR,
        env={**os.environ, "PYTHONPATH": str(BASE_DIR)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    from members_portal.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            sys.exit(f"the worker stopped:\n{(WORK_DIR / 'worker.log').read_text()[-2000:]}")
        if app.control.ping(destination=[f"bench-delivery@{os.uname().nodename}"], timeout=0.5):
            return worker
    sys.exit("the worker did not answer within 60 s")


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def deliver(ids: list[int]) -> tuple[float, int]:
    """The timed part: the delivery tasks published, then every row waited for; the seconds and the sweeps it took."""
    from django.conf import settings

    from members import outbox_sending
    from members.models import Notification

    started = time.perf_counter()
    outbox_sending._enqueue_quietly(ids)
    done = Notification.objects.filter(
        pk__in=ids,
        status__in=[Notification.Status.SENT, Notification.Status.FAILED, Notification.Status.UNKNOWN],
    )
    deadline = started + 600
    progress, progress_at, sweeps = 0, time.perf_counter(), 0
    while (finished := done.count()) < len(ids):
        now = time.perf_counter()
        if now > deadline:
            sys.exit(f"only {finished} of {len(ids)} delivered in 600 s")
        if finished > progress:
            progress, progress_at = finished, now
        elif now - progress_at > 10:
            # Tasks lost from the broker (another process flushed Redis, say): what beat's sweep would do.
            settings.OUTBOX_PENDING_GRACE_S = 0
            outbox_sending.requeue_due()
            sweeps, progress_at = sweeps + 1, now
        time.sleep(0.2)
    return time.perf_counter() - started, sweeps


def check_written(ids: list[int], fake) -> tuple[int, int]:
    """Every sent SMS and e-mail written exactly once, by the fake provider or the files: the sent rows of each."""
    from members.models import Channel, Notification

    sent = Notification.objects.filter(pk__in=ids, status=Notification.Status.SENT)
    sms_rows = sent.filter(channel=Channel.SMS).count()
    if fake is not None:
        sms_lines = len(fake.taken)
        if fake.taken_more_than_once():
            sys.exit(f"the fake provider took {len(fake.taken_more_than_once())} message(s) more than once")
    else:
        sms_lines = (WORK_DIR / "sms.log").read_text(encoding="utf-8").count("\n")
    # Django's file backend may put several messages in one file: count the messages themselves.
    mails = sum(path.read_text(errors="replace").count("Message-ID: ") for path in (WORK_DIR / "mail").glob("*"))
    email_rows = sent.filter(channel=Channel.EMAIL).count()
    if (sms_lines, mails) != (sms_rows, email_rows):
        sys.exit(f"{sms_lines} SMS and {mails} e-mails written for {sms_rows} and {email_rows} rows")
    return sms_rows, email_rows


def print_figures(ids: list[int], elapsed: float, sweeps: int, sms_rows: int, email_rows: int) -> None:
    """The JSON line of the run."""
    from django.db import connection

    from members.models import Notification

    print(
        json.dumps(
            {
                "metric": "notification_delivery_per_s",
                "value": round(len(ids) / elapsed, 1),
                "unit": "messages/s",
                "target": ">= 200",
                "messages": len(ids),
                "sms": sms_rows,
                "email": email_rows,
                "failed": Notification.objects.filter(pk__in=ids, status=Notification.Status.FAILED).count(),
                "to_check": Notification.objects.filter(pk__in=ids, status=Notification.Status.UNKNOWN).count(),
                "seconds": round(elapsed, 2),
                "worker_processes": CONCURRENCY,
                "sent_side_by_side": int(os.environ["OUTBOX_SEND_PARALLEL"]),
                "sms_backend": f"{PROVIDER} (fake, {PROVIDER_LATENCY_S * 1000:g} ms)" if PROVIDER else "file",
                "sweeps_after_stall": sweeps,
                "database": connection.vendor,
                "load_average_1m": round(os.getloadavg()[0], 2),
            }
        )
    )


def stop_everything(worker: subprocess.Popen | None, fake, created: bool, url: str) -> None:
    """Stop the fake provider and the worker, remove the run's queue, drop a database the run created, the files."""
    if fake is not None:
        fake.stop()
    if worker is not None:
        stop_worker(worker)
        try:
            from members_portal.celery import app

            with app.connection_for_write() as broker:
                broker.default_channel.client.delete(os.environ["CELERY_TASK_DEFAULT_QUEUE"])
        except Exception:  # noqa: S110 (best effort: an empty queue name left in Redis is harmless)
            pass
    if created:
        from django.db import connections

        connections.close_all()
        drop_database(url)
    shutil.rmtree(WORK_DIR, ignore_errors=True)


def main() -> None:
    """Announcement rows made, a worker started, their delivery timed and checked: one JSON line."""
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("bench/notification_delivery.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    # A run stopped from outside (timeout, Ctrl-C) still stops its worker and drops its database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    created = ensure_database(url)
    worker = fake = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        clean_up()
        ids = make_announcement()
        fake = start_fake_provider()
        worker = start_worker()
        elapsed, sweeps = deliver(ids)
        sms_rows, email_rows = check_written(ids, fake)
        print_figures(ids, elapsed, sweeps, sms_rows, email_rows)
        clean_up()
    finally:
        stop_everything(worker, fake, created, url)


if __name__ == "__main__":
    main()
