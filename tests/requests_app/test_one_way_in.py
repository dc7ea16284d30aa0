"""Every way a request is opened goes through requests_app.submission.open_request: the member's form, staff on the
member's behalf, the complaint a rating asked for and a named suggestion. Nothing else writes a draft or submits one,
so the checks on who may ask, the reference number, the receipt and the notice are the same for all of them."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("members", "requests_app", "surveys", "assembly", "messaging", "members_portal")
ONLY_IN_SUBMISSION = ("submit_request(", "Draft.objects.create", " Draft(", "=Draft(")


@pytest.mark.parametrize("needle", ONLY_IN_SUBMISSION)
def test_only_the_submission_module_writes_drafts_and_submits_them(needle):
    found = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and path.name != "submission.py"
        and any(
            needle in line and not line.lstrip().startswith(("def ", "class "))
            for line in path.read_text().splitlines()
        )
    ]

    assert found == []
