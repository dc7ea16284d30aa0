"""Benchmark: a General Assembly notice to 10,000 eligible members, queued in under 5 s.

Standalone: `.venv/bin/python bench/assembly_notice.py`. Uses BENCH_ASSEMBLY_NOTICE_DATABASE_URL (PostgreSQL; default
postgres://postgres@127.0.0.1:5432/bench_assembly_notice; never make bench's shared database, whose members would be
counted among the recipients), creates and migrates that database if it does not exist (and drops it afterwards),
and removes everything it created, also when the run fails. Prints one JSON line:
{"metric": "assembly_notice_10k_s", "value": seconds, ...}

What is timed: the secretary's "publish" request (the 15-day check, the eligible members written at the record
date, the task enqueued after commit) plus the notice task that writes the outbox rows (run here in-process, as
the worker would run it). Delivery is not part of it, so the broker is in-memory.
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
    "BENCH_ASSEMBLY_NOTICE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_assembly_notice"
)
os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "members_portal.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "10000"))
PREFIX = "BENCHG"


def clean_up() -> None:
    from assembly.models import Meeting
    from members.models import Member, Notification, User

    meetings = Meeting.objects.filter(created_by__username="bench-secretary")
    for pk in meetings.values_list("pk", flat=True):
        Notification.objects.filter(key__startswith=f"assembly_notice:{pk}:").delete()
    meetings.delete()
    Member.objects.filter(membership_no__startswith=PREFIX).delete()
    User.objects.filter(username="bench-secretary").delete()


def make_meeting():
    """The secretary signed in (board, second factor) and an ordinary meeting 20 days ahead with three agenda items."""
    import datetime

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from assembly import services
    from members.models import User

    secretary = User.objects.create_user(username="bench-secretary", email="bench-secretary@example.org")
    secretary.groups.add(Group.objects.get(name="board"))
    with_second_factor(secretary)  # the board signs in with a second factor
    day = timezone.localdate() + datetime.timedelta(days=20)
    meeting = services.create_meeting(
        by=secretary,
        kind="ordinary",
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 0))),
    )
    for kind, title_ar, title_en in [
        ("reports", "تقرير مجلس الإدارة وتقرير مراجع الحسابات", "The board's and the auditor's reports"),
        ("accounts", "اعتماد الميزانية العمومية والحسابات الختامية", "Approving the balance sheet and accounts"),
        ("distribution_plan", "خطة توزيع الأرباح", "The profit-distribution plan"),
    ]:
        services.add_agenda_item(meeting=meeting, by=secretary, kind=kind, title_ar=title_ar, title_en=title_en)
    client = Client()
    client.force_login(secretary)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")
    return client, meeting


def publish(client, meeting) -> tuple[float, float, float]:
    """The timed part: the publish request, then the notice task in-process; its seconds, the task's and in all."""
    from django.urls import reverse

    from assembly import tasks
    from assembly.models import Meeting

    started = time.perf_counter()
    response = client.post(reverse("assembly:meeting-publish", args=[meeting.pk]))
    request_s = time.perf_counter() - started
    meeting.refresh_from_db()
    if response.status_code != 302 or meeting.status != Meeting.Status.PUBLISHED:
        sys.exit(f"the publish request failed: HTTP {response.status_code}, meeting {meeting.status}")
    notice_started = time.perf_counter()
    tasks.send_meeting_notice(meeting.pk)
    notice_s = time.perf_counter() - notice_started
    return request_s, notice_s, time.perf_counter() - started


def print_figures(meeting, request_s: float, notice_s: float, total_s: float) -> None:
    """The eligible members checked, then the JSON line of the run."""
    from django.db import connection

    from members.models import Notification

    rows = Notification.objects.filter(key__startswith=f"assembly_notice:{meeting.pk}:").count()
    eligible = meeting.eligible.count()
    if eligible < MEMBERS:
        sys.exit(f"expected at least {MEMBERS} eligible members, got {eligible}")
    print(
        json.dumps(
            {
                "metric": "assembly_notice_10k_s",
                "value": round(total_s, 3),
                "unit": "s",
                "target": "< 5",
                "members": eligible,
                "rows": rows,
                "request_s": round(request_s, 3),
                "notice_s": round(notice_s, 3),
                "rows_per_s": round(rows / notice_s),
                "database": connection.vendor,
                "load_average_1m": round(os.getloadavg()[0], 2),
            }
        )
    )


def main() -> None:
    """Members and a meeting made, its publishing and notice timed: one JSON line."""
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("bench/assembly_notice.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    created = ensure_database(url)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        clean_up()
        try:
            make_members(MEMBERS, prefix=PREFIX)
            client, meeting = make_meeting()
            request_s, notice_s, total_s = publish(client, meeting)
            print_figures(meeting, request_s, notice_s, total_s)
        finally:
            clean_up()
    finally:
        if created:
            from django.db import connections

            connections.close_all()
            drop_database(url)


if __name__ == "__main__":
    main()
