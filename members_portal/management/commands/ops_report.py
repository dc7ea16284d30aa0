"""What an operator looks at first: the services (broker, cache, worker), the outbox backlog and the messages to
check, late requests and failed notifications.

    manage.py ops_report            # a text report
    manage.py ops_report --json     # one JSON object, for a monitor
    manage.py ops_report --fail-on-backlog 500   # exit 1 when more than 500 notifications wait (cron alert)

Parts whose models are not installed yet are reported as "not available" instead of failing.
"""

import json
import time
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Min
from django.utils import timezone

from members_portal import cache as shared_cache
from members_portal import enqueue
from members_portal.tasks import HEARTBEAT_KEY


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def outbox_section(now) -> dict | None:
    Notification = _model("members.Notification")
    if Notification is None:
        return None
    by_status = {row["status"]: row["n"] for row in Notification.objects.values("status").annotate(n=Count("pk"))}
    by_channel = {}
    for row in Notification.objects.exclude(status="sent").values("status", "channel").annotate(n=Count("pk")):
        by_channel.setdefault(row["status"], {})[row["channel"]] = row["n"]
    waiting = Notification.objects.filter(status__in=["pending", "sending"])
    oldest = waiting.aggregate(oldest=Min("created_at"))["oldest"]
    # A row claimed long ago and never finished: its worker died; the outbox sweep should give it back.
    stuck_before = now - timedelta(minutes=15)
    stuck = Notification.objects.filter(status="sending", claimed_at__lt=stuck_before).count()
    return {
        "by_status": {
            status: by_status.get(status, 0) for status in ("pending", "sending", "sent", "failed", "unknown")
        },
        # Handed to the gateway by a worker that died before recording it: may have gone out, staff check them.
        "to_check": by_status.get("unknown", 0),
        "not_sent_by_channel": by_channel,
        "backlog": by_status.get("pending", 0) + by_status.get("sending", 0),
        "oldest_waiting_minutes": round((now - oldest).total_seconds() / 60, 1) if oldest else None,
        "stuck_sending": stuck,
    }


def services_section() -> dict:
    """What the portal leans on besides its database. Down means "degraded": members are served, work waits."""
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception:
        beat = None
    age = round(time.time() - float(beat)) if beat is not None else None
    return {
        "broker": "ok" if enqueue.broker_reachable() else "degraded",
        "cache": "degraded" if shared_cache.is_skipping_redis() else "ok",
        "worker_heartbeat_age_s": age,
        "worker": "ok" if age is not None and age <= settings.WORKER_HEARTBEAT_MAX_AGE else "degraded",
    }


def failed_section(limit: int) -> list[dict] | None:
    Notification = _model("members.Notification")
    if Notification is None:
        return None
    rows = Notification.objects.filter(status="failed").order_by("-created_at")[:limit]
    return [
        {
            "id": row.pk,
            "member_id": row.member_id,
            "channel": row.channel,
            "event": row.event,
            "attempts": row.attempts,
            "created_at": row.created_at.isoformat(),
            "last_error": row.last_error.strip().splitlines()[-1][:200] if row.last_error.strip() else "",
        }
        for row in rows
    ]


def late_section(today, limit: int) -> dict | None:
    ServiceRequest = _model("requests_app.ServiceRequest")
    if ServiceRequest is None or not hasattr(ServiceRequest, "due_date"):
        return None
    closed = getattr(ServiceRequest, "CLOSED_STATUSES", ("completed", "rejected", "cancelled"))
    late = ServiceRequest.objects.exclude(status__in=closed).filter(due_date__lt=today)
    if any(field.name == "paused_at" for field in ServiceRequest._meta.get_fields()):
        late = late.filter(paused_at__isnull=True)  # the clock stops while the request waits on the member
    by_department = {}
    if _has_field("requests_app.ServiceRequest", "department") and _has_field("requests_app.Department", "code"):
        rows = late.values("department__code").annotate(n=Count("pk")).order_by("-n")
        by_department = {row["department__code"]: row["n"] for row in rows}
    oldest = list(late.order_by("due_date").values("reference_no", "status", "due_date")[:limit])
    return {
        "count": late.count(),
        "by_department": by_department,
        "most_overdue": [
            {
                "reference": row["reference_no"],
                "status": row["status"],
                "due_date": row["due_date"].isoformat(),
                "days_late": (today - row["due_date"]).days,
            }
            for row in oldest
        ],
    }


def _has_field(label: str, name: str) -> bool:
    model = _model(label)
    return model is not None and any(field.name == name for field in model._meta.get_fields())


class Command(BaseCommand):
    help = "Report the outbox backlog, late requests and failed notifications."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--limit", type=int, default=10, help="rows listed per section (default 10)")
        parser.add_argument(
            "--fail-on-backlog",
            type=int,
            default=None,
            metavar="N",
            help="exit with status 1 when more than N notifications wait to be sent",
        )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        report = {
            "generated_at": now.isoformat(timespec="seconds"),
            "services": services_section(),
            "outbox": outbox_section(now),
            "late_requests": late_section(today, options["limit"]),
            "failed_notifications": failed_section(options["limit"]),
        }
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, default=str))
        else:
            self._write_text(report)
        threshold = options["fail_on_backlog"]
        if threshold is not None and report["outbox"] and report["outbox"]["backlog"] > threshold:
            raise CommandError(f"outbox backlog {report['outbox']['backlog']} is above {threshold}")

    def _write_text(self, report: dict) -> None:
        out = self.stdout.write
        out(f"Operations report, {report['generated_at']}")
        services = report["services"]
        out("\nServices (degraded: members are served, messages and receipts wait)")
        out("  " + ", ".join(f"{name}: {services[name]}" for name in ("broker", "cache", "worker")))
        outbox = report["outbox"]
        out("\nOutbox")
        if outbox is None:
            out("  not available (members.Notification is not installed)")
        else:
            out("  " + ", ".join(f"{status}: {n}" for status, n in outbox["by_status"].items()))
            out(f"  backlog (pending + sending): {outbox['backlog']}")
            if outbox["oldest_waiting_minutes"] is not None:
                out(f"  oldest waiting: {outbox['oldest_waiting_minutes']} min")
            if outbox["to_check"]:
                out(self.style.WARNING(f"  may have been sent, to check on the outbox page: {outbox['to_check']}"))
            if outbox["stuck_sending"]:
                out(self.style.WARNING(f"  claimed over 15 min ago and not finished: {outbox['stuck_sending']}"))
            for status, channels in outbox["not_sent_by_channel"].items():
                out(f"  {status} by channel: " + ", ".join(f"{c}: {n}" for c, n in channels.items()))
        late = report["late_requests"]
        out("\nLate requests")
        if late is None:
            out("  not available (requests_app.ServiceRequest is not installed yet)")
        else:
            out(f"  late now: {late['count']}")
            for department, n in late["by_department"].items():
                out(f"  {department}: {n}")
            for row in late["most_overdue"]:
                out(f"  {row['reference']}  {row['status']}  due {row['due_date']}  ({row['days_late']} days late)")
        failed = report["failed_notifications"]
        out("\nFailed notifications")
        if failed is None:
            out("  not available")
        elif not failed:
            out("  none")
        else:
            for row in failed:
                out(
                    f"  #{row['id']} {row['event']} {row['channel']} member {row['member_id']} "
                    f"after {row['attempts']} tries: {row['last_error']}"
                )
