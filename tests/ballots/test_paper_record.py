"""The published record with the room's paper count (issue 18 items 4 and 5): the paper count is its own line, the
two officers' entries are in the hash chain, and scripts/verify_ballot_record.py recomputes the total as the online
ballots plus the paper counts, and catches a paper count edited, with or without the tally made to match."""

import copy

import pytest

from ballots import log, paper, services
from tests.ballots.helpers import open_item, option_ids, published_meeting, secretary
from tests.ballots.room import held_now, officer, vote_online
from tests.ballots.test_record import export, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(tmp_path):
    """Six members; three vote online (2 for, 1 against); five are present; the three who may vote on paper cast
    two for and one spoiled ballot; two officers agree; the question is closed."""
    chair = secretary()
    meeting, people = published_meeting(chair, members=6)
    item = open_item(meeting, chair)
    for_, against, abstain = option_ids(item)
    for member, chosen in zip(people[:3], [[for_], [for_], [against]], strict=True):
        vote_online(item, member, chosen)
    held_now(meeting, chair, present=people[1:6])
    counts = paper.Entry(votes={for_: 2, against: 0, abstain: 0}, spoiled=1)
    paper.enter(question=item, by=officer("فهد"), entry=counts)
    paper.enter(question=item, by=officer("علي"), entry=counts)
    services.close_question(question=item, by=chair)
    return export(meeting, tmp_path)


def test_the_record_shows_the_paper_count_as_its_own_line_and_the_verifier_passes(record, tmp_path):
    question = record["questions"][0]

    options = [option["id"] for option in question["options"]]
    assert question["paper"] == {
        "votes": [{"option": option, "votes": n} for option, n in zip(options, [2, 0, 0], strict=True)],
        "ballots": 2,
        "spoiled": 1,
        "allowed": 3,
    }
    assert (question["tally"]["ballots"], question["tally"]["online_ballots"], len(question["ballots"])) == (5, 3, 3)
    assert [row["votes"] for row in question["tally"]["ranked"]] == [4, 1, 0]
    assert [entry["action"] for entry in record["log"]][-3:] == ["entered", "confirmed", "closed"]
    result = verify(record, tmp_path, "--head", record["log"][-1]["digest"])
    assert result.returncode == 0, result.stdout


def _retally(question: dict) -> None:
    """Make the published tally match the edited paper line, as a careful forger would."""
    votes = {row["option"]: row["votes"] for row in question["paper"]["votes"]}
    for ballot in question["ballots"]:
        for option in ballot["options"]:
            votes[option] += 1
    for row in question["tally"]["ranked"]:
        row["votes"] = votes[row["option"]]
    question["tally"]["ranked"].sort(key=lambda row: -row["votes"])
    question["tally"]["paper_ballots"] = question["paper"]["ballots"]
    question["tally"]["ballots"] = question["tally"]["online_ballots"] + question["paper"]["ballots"]


def tamper(record: dict, how: str) -> None:
    question = record["questions"][0]
    line = question["paper"]
    confirmed = next(index for index, entry in enumerate(record["log"]) if entry["action"] == "confirmed")
    if how == "paper_count_edited":
        line["votes"][1]["votes"] += 1
        line["ballots"] += 1
    elif how == "paper_count_edited_and_tally_matched":
        tamper(record, "paper_count_edited")
        _retally(question)
    elif how == "paper_count_moved_between_options":
        line["votes"][0]["votes"] -= 1
        line["votes"][1]["votes"] += 1
        _retally(question)
    elif how == "spoiled_edited":
        line["spoiled"] = 0
    elif how == "paper_line_dropped":
        question["paper"] = None
    elif how == "confirmation_dropped":
        del record["log"][confirmed]
    elif how == "one_officer_twice_log_rewritten":
        record["log"][confirmed]["payload"]["officer"] = record["log"][confirmed - 1]["payload"]["officer"]
        rechain(record)
    elif how == "confirmation_dropped_log_rewritten":
        del record["log"][confirmed]
        rechain(record)
    elif how == "paper_above_allowed":
        line["allowed"] = 1


def rechain(record: dict) -> None:
    """Number the log again and recompute every digest, as a forger who rewrote the whole log would (only the
    announced head would then catch it: these cases leave --head out, so the paper checks must)."""
    previous = log.GENESIS
    for seq, entry in enumerate(record["log"], start=1):
        entry["seq"], entry["previous"] = seq, previous
        entry["digest"] = previous = log.chain(
            previous, {key: entry[key] for key in ("seq", "action", "at", "payload")}
        )


@pytest.mark.parametrize(
    ("how", "caught"),
    [
        ("paper_count_edited", "the paper count is not the one the officers confirmed"),
        ("paper_count_edited_and_tally_matched", "the paper count is not the one the officers confirmed"),
        ("paper_count_moved_between_options", "the paper count is not the one the officers confirmed"),
        ("spoiled_edited", "the paper count is not the one the officers confirmed"),
        ("paper_line_dropped", "the log confirms a paper count the record does not show"),
        ("confirmation_dropped", "the paper count is not confirmed once in the log"),
        ("confirmation_dropped_log_rewritten", "the paper count is not confirmed once in the log"),
        ("one_officer_twice_log_rewritten", "one officer entered and confirmed the paper count"),
        ("paper_above_allowed", "more paper ballots than members who could vote on paper"),
    ],
)
def test_the_verifier_catches_every_change_to_the_paper_count(record, tmp_path, how, caught):
    changed = copy.deepcopy(record)

    tamper(changed, how)

    assert changed != record
    result = verify(changed, tmp_path)
    assert result.returncode == 1, result.stdout
    assert f"CHANGED: question {changed['questions'][0]['id']}: {caught}" in result.stdout, result.stdout
