"""Benchmark: one announcement to 10,000 active members, queued (outbox rows bulk-inserted) in under 5 s.

Standalone: `.venv/bin/python bench/announcement.py`. Uses BENCH_ANNOUNCEMENT_DATABASE_URL (PostgreSQL; default
postgres://postgres@127.0.0.1:5432/bench_announcement; never make bench's shared database, whose members would be
counted among the recipients), creates and migrates that database if it does not exist (and drops it afterwards),
and removes everything it created, also when the run fails. Prints one JSON line:
{"metric": "announcement_queue_10k_s", "value": seconds, ...}

What is timed: the supervisor's "send" request (validation, the announcement row, the task enqueued after
commit) plus the fan-out task that writes the rows (run here in-process, as the worker would run it).
Delivery is not part of it (bench/notification_delivery.py measures that), so the broker is in-memory.
"""

import sys
from pathlib import Path

# Run as a script, bench/ is first on sys.path and its files would shadow standard modules (bench/queue.py
# hides `queue`): import from the project root instead.
BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[:] = [str(BASE_DIR), *(p for p in sys.path if Path(p or ".").resolve() != BASE_DIR / "bench")]

import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

from bench._common import drop_database, ensure_database, make_members, with_second_factor  # noqa: E402

os.environ.setdefault("DEBUG", "1")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_ANNOUNCEMENT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_announcement"
)
os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "members_portal.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "10000"))
PREFIX = "BENCHA"


def clean_up() -> None:
    from members.models import Announcement, Member, User

    Announcement.objects.filter(created_by__username="bench-supervisor").delete()
    Member.objects.filter(membership_no__startswith=PREFIX).delete()
    User.objects.filter(username="bench-supervisor").delete()


def signed_in_supervisor():
    """A test client signed in as a supervisor (second factor set up), after fresh statistics of the members."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from members.models import User

    supervisor = User.objects.create_user(username="bench-supervisor", email="bench-supervisor@example.org")
    supervisor.groups.add(Group.objects.get(name="supervisor"))
    client = Client()
    client.force_login(with_second_factor(supervisor))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")
    return client


def send(client) -> tuple[object, int, float, float, float]:
    """The timed part: the send request, then the fan-out in-process; the announcement, its recipients, seconds."""
    from django.urls import reverse

    from members import tasks
    from members.models import Announcement

    data = {
        "title_ar": "اجتماع الجمعية العمومية العادي",
        "title_en": "Ordinary General Assembly meeting",
        "body_ar": "تدعوكم الجمعية إلى حضور اجتماع الجمعية العمومية العادي يوم الخميس القادم في مقر الجمعية.",
        "body_en": "The cooperative invites you to the ordinary General Assembly next Thursday at its office.",
        "segment": "all",
        "governorate": "",
        "action": "send",
    }

    started = time.perf_counter()
    response = client.post(reverse("members:announcement-create"), data)
    request_s = time.perf_counter() - started
    if response.status_code != 302:
        sys.exit(f"the send request failed: HTTP {response.status_code}")
    announcement = Announcement.objects.latest("pk")
    fan_out_started = time.perf_counter()
    recipients = tasks.fan_out_announcement(announcement.pk)
    fan_out_s = time.perf_counter() - fan_out_started
    return announcement, recipients, request_s, fan_out_s, time.perf_counter() - started


def print_figures(announcement, recipients: int, request_s: float, fan_out_s: float, total_s: float) -> None:
    """The recipients checked, then the JSON line of the run."""
    from django.db import connection

    from members.models import Notification

    rows = Notification.objects.filter(announcement=announcement).count()
    if recipients != MEMBERS:
        sys.exit(f"expected {MEMBERS} recipients, got {recipients}")
    print(
        json.dumps(
            {
                "metric": "announcement_queue_10k_s",
                "value": round(total_s, 3),
                "unit": "s",
                "target": "< 5",
                "members": recipients,
                "rows": rows,
                "request_s": round(request_s, 3),
                "fan_out_s": round(fan_out_s, 3),
                "rows_per_s": round(rows / fan_out_s),
                "database": connection.vendor,
                "load_average_1m": round(os.getloadavg()[0], 2),
            }
        )
    )


def main() -> None:
    """Members made, an announcement's sending and fan-out timed: one JSON line."""
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("bench/announcement.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    created = ensure_database(url)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        clean_up()
        try:
            make_members(MEMBERS, prefix=PREFIX)
            client = signed_in_supervisor()
            announcement, recipients, request_s, fan_out_s, total_s = send(client)
            print_figures(announcement, recipients, request_s, fan_out_s, total_s)
        finally:
            clean_up()
    finally:
        if created:
            from django.db import connections

            connections.close_all()
            drop_database(url)


if __name__ == "__main__":
    main()
