"""A look at a member's record is written in one place, members.services.record_viewed, whichever page opened it:
the staff record page, the member's summary on a staff request page, the admin's change page."""

from pathlib import Path

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
