import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from members.models import Notification
from tests.requests_app.factories import MemberFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


def notification(member, status, channel="sms", error=""):
    return Notification.objects.create(
        member=member,
        channel=channel,
        event="request_submitted",
        language="ar",
        key=f"k-{Notification.objects.count()}",
        status=status,
        last_error=error,
        attempts=5 if status == "failed" else 0,
    )


def report(*args) -> dict:
    out = StringIO()
    call_command("ops_report", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_outbox_backlog_is_counted_by_status_and_channel():
    member = MemberFactory()
    for status in ("pending", "pending", "sending", "sent", "failed", "unknown"):
        notification(member, status)
    notification(member, "pending", channel="email")

    outbox = report()["outbox"]

    assert outbox["by_status"] == {"pending": 3, "sending": 1, "sent": 1, "failed": 1, "unknown": 1}
    assert outbox["to_check"] == 1
    assert outbox["backlog"] == 4
    assert outbox["not_sent_by_channel"]["pending"] == {"sms": 2, "email": 1}
    assert outbox["oldest_waiting_minutes"] is not None


def test_failed_notifications_are_listed_with_the_last_line_of_their_reason():
    failed = notification(MemberFactory(), "failed", error="Traceback…\nSmsError: gateway answered 503")

    rows = report()["failed_notifications"]

    assert [(row["id"], row["last_error"], row["attempts"]) for row in rows] == [
        (failed.pk, "SmsError: gateway answered 503", 5)
    ]


def test_late_requests_are_open_past_their_due_date_and_not_waiting_on_the_member():
    today = timezone.localdate()
    late = ServiceRequestFactory(status="under_review", due_date=today - datetime.timedelta(days=3))
    ServiceRequestFactory(status="in_progress", due_date=today + datetime.timedelta(days=1))  # on time
    ServiceRequestFactory(status="completed", due_date=today - datetime.timedelta(days=9))  # closed
    ServiceRequestFactory(
        status="returned_to_member", due_date=today - datetime.timedelta(days=5), paused_at=timezone.now()
    )  # the clock stopped

    section = report()["late_requests"]

    assert section["count"] == 1
    assert section["most_overdue"] == [
        {
            "reference": late.reference_no,
            "status": "under_review",
            "due_date": late.due_date.isoformat(),
            "days_late": 3,
        }
    ]
    assert section["by_department"] == {late.department.code: 1}


def test_the_text_report_names_each_section():
    out = StringIO()
    notification(MemberFactory(), "failed", error="no consent")

    call_command("ops_report", stdout=out)

    text = out.getvalue()
    assert "Outbox" in text and "Late requests" in text and "Failed notifications" in text
    assert "no consent" in text


def test_a_backlog_over_the_threshold_fails_the_command_for_cron():
    member = MemberFactory()
    for _ in range(3):
        notification(member, "pending")

    with pytest.raises(CommandError, match="outbox backlog 3 is above 2"):
        report("--fail-on-backlog", "2")
    assert report("--fail-on-backlog", "3")["outbox"]["backlog"] == 3


def test_a_broker_that_does_not_answer_is_reported_degraded(settings):
    from members_portal.celery import app

    url = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        services = report()["services"]
    finally:
        app.conf.broker_url = url

    assert services["broker"] == "degraded"
    assert set(services) == {"broker", "cache", "worker", "worker_heartbeat_age_s"}
