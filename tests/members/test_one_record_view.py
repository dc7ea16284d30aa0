"""A look at a member's record is written in one place, members.services.record_viewed, whichever page opened it:
the staff record page, the member's summary on a staff request page, the admin's change page."""

from pathlib import Path

import pytest
from django.db import connection

from members import services
from members.models import AccessLog

ROOT = Path(__file__).resolve().parents[2]
APPS = ("members", "requests_app", "surveys", "assembly", "messaging", "members_portal")


def test_only_the_record_service_writes_a_view_of_a_record():
    writers = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "Action.VIEWED_RECORD" in path.read_text()
    ]

    assert writers == ["members/services.py"]


@pytest.mark.django_db(transaction=True)
def test_a_look_is_written_and_only_its_own_line_commits_without_waiting_for_the_disk(staff_user, member):
    """The line is in the log with who, whom and what; on PostgreSQL it commits with synchronous_commit off, and the
    setting ends with it: the request's other writes (a status move, a payment's receipt) still wait for the disk."""
    entry = services.record_viewed(viewer=staff_user, member=member, detail="NJC-2026-000001")

    stored = AccessLog.objects.get(pk=entry.pk)
    assert (stored.viewer, stored.member, stored.action, stored.detail) == (
        staff_user,
        member,
        AccessLog.Action.VIEWED_RECORD,
        "NJC-2026-000001",
    )
    assert stored.at == entry.at and stored.changes == {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
