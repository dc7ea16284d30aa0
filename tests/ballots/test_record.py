"""The published record and its verifier (issue 18 items 3, 4, 7): the export holds each ballot by receipt code and
the tally with the winners and reserves in order; scripts/verify_ballot_record.py (the standard library alone, run
here as a separate process the way anyone would) passes it and catches every change made to it."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from ballots import credentials, log, services, voting
from ballots.models import Slot
from tests.ballots.helpers import open_election, open_item, option_ids, published_meeting, secretary

pytestmark = pytest.mark.django_db
VERIFIER = Path(__file__).resolve().parents[2] / "scripts" / "verify_ballot_record.py"


def vote(question, member, chosen: list[int]) -> str:
    slot = Slot.objects.get(question=question, member=member)
    credential = voting.open_voting(slot=slot, by=member)
    return voting.cast(slot=slot, by=member, credential=credential, option_ids=chosen).receipt


@pytest.fixture
def closed_meeting():
    """Six members; an election of 2 seats among 3 candidates (votes 4, 5, 2) and an item (3 for, 2 against)."""
    officer = secretary()
    meeting, people = published_meeting(officer, members=6)
    election = open_election(meeting, officer, candidates=people[3:6], seats=2)
    item = open_item(meeting, officer)
    first, second, third = option_ids(election)
    for_, against, _abstain = option_ids(item)
    for member, chosen in zip(
        people,
        [[first, second], [first, second], [first, second], [first, third], [second, third], [second]],
        strict=True,
    ):
        vote(election, member, chosen)
    for member, chosen in zip(people, [[for_], [for_], [for_], [against], [against]], strict=False):
        vote(item, member, chosen)
    services.close_question(question=election, by=officer)
    services.close_question(question=item, by=officer)
    return meeting, election, item


def export(meeting, tmp_path) -> dict:
    path = tmp_path / "record.json"
    call_command("export_ballot_record", meeting.pk, output=str(path))
    return json.loads(path.read_text())


def verify(record: dict, tmp_path, *extra: str) -> subprocess.CompletedProcess:
    path = tmp_path / "checked.json"
    path.write_text(json.dumps(record, ensure_ascii=False))
    # -I -S: isolated, without site-packages, so the verifier runs on the standard library alone.
    return subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFIER), str(path), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_record_holds_ballots_by_receipt_and_the_ranked_tally(closed_meeting, tmp_path):
    meeting, election, item = closed_meeting

    record = export(meeting, tmp_path)

    questions = {question["id"]: question for question in record["questions"]}
    first, second, third = option_ids(election)
    tally = questions[election.pk]["tally"]
    assert tally["ranked"] == [
        {"option": second, "votes": 5},
        {"option": first, "votes": 4},
        {"option": third, "votes": 2},
    ]
    assert (tally["elected"], tally["reserves"], tally["ballots"]) == ([second, first], [third], 6)
    assert [row["votes"] for row in questions[item.pk]["tally"]["ranked"]] == [3, 2, 0]
    for question in record["questions"]:
        for ballot in question["ballots"]:
            assert ballot["receipt"] == credentials.receipt(question["id"], ballot["options"], ballot["nonce"])
    assert [entry["action"] for entry in record["log"]] == [
        "created",
        "opened",
        "created",
        "opened",
        "closed",
        "closed",
    ]


def test_the_verifier_passes_the_exported_record(closed_meeting, tmp_path):
    meeting, _election, _item = closed_meeting
    record = export(meeting, tmp_path)

    result = verify(record, tmp_path, "--head", record["log"][-1]["digest"])

    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("OK: 2 questions, 11 ballots, 6 log entries")


def _other_option(question: dict, ballot: dict) -> int:
    return next(option["id"] for option in question["options"] if option["id"] not in ballot["options"])


def tamper(record: dict, how: str) -> None:
    election, item = record["questions"]
    ballot = item["ballots"][0]
    if how == "ballot_changed":
        ballot["options"] = [_other_option(item, ballot)]
    elif how == "ballot_changed_with_its_receipt":
        ballot["options"] = [_other_option(item, ballot)]
        ballot["receipt"] = credentials.receipt(item["id"], ballot["options"], ballot["nonce"])
        item["ballots"].sort(key=lambda row: row["receipt"])
    elif how == "ballot_added":
        added = {"options": [item["options"][0]["id"]], "nonce": "00" * 16}
        added["receipt"] = credentials.receipt(item["id"], added["options"], added["nonce"])
        item["ballots"] = sorted([*item["ballots"], added], key=lambda row: row["receipt"])
    elif how == "ballot_added_and_tally_matched":
        tamper(record, "ballot_added")
        item["credentials_issued"] += 1
        item["tally"]["ballots"] += 1
        item["tally"]["ranked"][0]["votes"] += 1
    elif how == "ballot_removed":
        del election["ballots"][0]
    elif how == "tally_edited":
        election["tally"]["elected"] = list(reversed(election["tally"]["elected"]))
    elif how == "count_edited":
        item["tally"]["ranked"][1]["votes"] += 1
    elif how == "log_line_dropped":
        del record["log"][2]
    elif how == "last_log_line_dropped":
        del record["log"][-1]
    elif how == "log_line_edited":
        record["log"][0]["payload"]["options"][0]["label_ar"] = "مرشح آخر"
    elif how == "candidate_renamed":
        election["options"][0]["label_ar"] = "مرشح آخر"
    elif how == "question_removed":
        del record["questions"][0]


@pytest.mark.parametrize(
    "how",
    [
        "ballot_changed",
        "ballot_changed_with_its_receipt",
        "ballot_added",
        "ballot_added_and_tally_matched",
        "ballot_removed",
        "tally_edited",
        "count_edited",
        "log_line_dropped",
        "last_log_line_dropped",
        "log_line_edited",
        "candidate_renamed",
        "question_removed",
    ],
)
def test_the_verifier_catches_every_change(closed_meeting, tmp_path, how):
    meeting, _election, _item = closed_meeting
    record = export(meeting, tmp_path)
    changed = copy.deepcopy(record)

    tamper(changed, how)

    assert changed != record
    result = verify(changed, tmp_path)
    assert result.returncode == 1, result.stdout
    assert "CHANGED:" in result.stdout


def test_a_whole_log_rewritten_is_caught_by_the_announced_head(closed_meeting, tmp_path):
    meeting, _election, _item = closed_meeting
    record = export(meeting, tmp_path)
    head = record["log"][-1]["digest"]
    changed = copy.deepcopy(record)
    changed["log"][-1]["at"] = "2030-01-01T00:00:00+00:00"
    body = {key: changed["log"][-1][key] for key in ("seq", "action", "at", "payload")}
    changed["log"][-1]["digest"] = log.chain(changed["log"][-1]["previous"], body)

    assert verify(changed, tmp_path).returncode == 0
    assert verify(changed, tmp_path, "--head", head).returncode == 1


def test_the_verifier_says_so_when_the_file_is_not_a_record(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")

    result = subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFIER), str(path)], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 2
