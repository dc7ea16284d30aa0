#!/usr/bin/env python3
"""Check a published ballot record (issue 18 item 4) with the standard library alone: anyone can run it.

    python3 verify_ballot_record.py RECORD.json [--head DIGEST]

Recomputes and compares:
  - the log's hash chain: each entry's digest is SHA-256(previous digest + canonical JSON of seq, action, at,
    payload), the first follows 64 zeros, numbers run 1, 2, 3 …; with --head, the last digest is the one announced;
  - for each question: every ballot's receipt code (the first 10 base32 characters of SHA-256 over
    "question id|option ids ascending, comma-separated|nonce"), its options (on the ballot, none twice, at least
    one, at most the seats), no receipt twice, no more ballots than credentials issued; the tally (votes per option,
    most first, ties in the ballot's order; for an election the first `seats` elected, the rest reserves in order);
  - against the log: the question was prepared with these options, opened and closed, and its closing entry holds
    the same tally, credentials count and digest of the ballot list; every closing entry has its question here;
  - the room's paper line, when there is one: votes per option that fit the paper ballots (an item's add up to
    them; an election's at most the seats per ballot), valid and spoiled ballots no more than the members who could
    vote on paper, the same counts entered by one officer and confirmed by another in the log before the close, and
    sealed by the close; the tally is the online ballots plus these counts.
Prints what it found; exits 0 when everything matches, 1 on any difference, 2 when the file cannot be read.
"""

import argparse
import base64
import hashlib
import json
import sys
from collections import Counter

GENESIS = "0" * 64


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def receipt(question_id: int, options: list, nonce: str) -> str:
    text = f"{question_id}|{','.join(str(option) for option in sorted(options))}|{nonce}"
    return base64.b32encode(hashlib.sha256(text.encode()).digest()).decode()[:10]


def tally(kind: str, seats: int, option_ids: list, ballots: list, paper: dict | None = None) -> dict:
    votes = Counter()
    for chosen in ballots:
        votes.update(chosen)
    cast = len(ballots)
    if paper is not None:
        votes.update({row["option"]: row["votes"] for row in paper["votes"]})
        cast += paper["ballots"]
    position = {option: index for index, option in enumerate(option_ids)}
    ranked = sorted(option_ids, key=lambda option: (-votes[option], position[option]))
    result = {"ballots": cast, "ranked": [{"option": option, "votes": votes[option]} for option in ranked]}
    if paper is not None:
        result.update(online_ballots=len(ballots), paper_ballots=paper["ballots"], spoiled=paper["spoiled"])
    if kind == "election":
        result["elected"] = ranked[:seats]
        result["reserves"] = ranked[seats:]
        result["tie_at_last_seat"] = len(ranked) > seats and votes[ranked[seats - 1]] == votes[ranked[seats]]
    return result


def check_chain(log: list, head: str | None) -> list[str]:
    problems = []
    previous = GENESIS
    for index, entry in enumerate(log, start=1):
        body = {key: entry.get(key) for key in ("seq", "action", "at", "payload")}
        if entry.get("seq") != index:
            problems.append(f"log entry {index}: numbered {entry.get('seq')} (an entry dropped or moved)")
        if entry.get("previous") != previous:
            problems.append(f"log entry {index}: does not follow the entry before it")
        digest = hashlib.sha256(previous.encode() + canonical(body)).hexdigest()
        if entry.get("digest") != digest:
            problems.append(f"log entry {index}: its digest does not match its content")
        previous = entry.get("digest", "")
    if head is not None and previous != head:
        problems.append("the log's last digest is not the one announced")
    return problems


def check_paper(name: str, question: dict, option_ids: list, log: list) -> list[str]:
    """The room's paper line: counts that add up, within those who could vote on paper, entered by one officer and
    confirmed by another with the same counts in the log, before the close."""
    qid, paper = question["id"], question.get("paper")
    confirmations = entries_for(log, "confirmed", qid)
    if paper is None:
        return [f"{name}: the log confirms a paper count the record does not show"] if confirmations else []
    problems = []
    counts = [row.get("votes") for row in paper.get("votes", [])]
    numbers = [*counts, paper.get("ballots"), paper.get("spoiled"), paper.get("allowed")]
    if [row.get("option") for row in paper.get("votes", [])] != option_ids:
        problems.append(f"{name}: the paper count's options are not the question's")
    if not all(isinstance(number, int) and not isinstance(number, bool) and number >= 0 for number in numbers):
        return [*problems, f"{name}: a paper count is not a whole number of zero or more"]
    ballots, seats = paper["ballots"], question["seats"]
    if question["kind"] == "item" and sum(counts) != ballots:
        problems.append(f"{name}: the paper votes do not add up to the paper ballots")
    if question["kind"] == "election" and (
        any(votes > ballots for votes in counts) or not ballots <= sum(counts) <= ballots * seats
    ):
        problems.append(f"{name}: the paper votes do not fit the paper ballots and the seats")
    if ballots + paper["spoiled"] > paper["allowed"]:
        problems.append(f"{name}: more paper ballots than members who could vote on paper")
    if len(confirmations) != 1:
        return [*problems, f"{name}: the paper count is not confirmed once in the log"]
    confirmation = confirmations[0]
    entered = [entry for entry in entries_for(log, "entered", qid) if entry.get("seq", 0) < confirmation.get("seq", 0)]
    if confirmation["payload"].get("paper") != paper:
        problems.append(f"{name}: the paper count is not the one the officers confirmed")
    if not entered or entered[-1]["payload"].get("paper") != paper:
        problems.append(f"{name}: the paper count was not entered by a first officer as confirmed")
    elif entered[-1]["payload"].get("officer") == confirmation["payload"].get("officer"):
        problems.append(f"{name}: one officer entered and confirmed the paper count")
    closing = entries_for(log, "closed", qid)
    if closing and closing[0].get("seq", 0) < confirmation.get("seq", 0):
        problems.append(f"{name}: the paper count was confirmed after the close")
    return problems


def entries_for(log: list, action: str, question_id: int) -> list[dict]:
    return [entry for entry in log if entry.get("action") == action and entry["payload"].get("question") == question_id]


def check_question(question: dict, log: list) -> list[str]:
    qid = question["id"]
    name = f"question {qid}"
    problems = []
    option_ids = [option["id"] for option in sorted(question["options"], key=lambda option: option["order"])]
    seats = question["seats"]
    ballots = question["ballots"]
    receipts = [ballot["receipt"] for ballot in ballots]
    if len(set(receipts)) != len(receipts):
        problems.append(f"{name}: a receipt code appears twice")
    if receipts != sorted(receipts):
        problems.append(f"{name}: the ballots are not in receipt order")
    for ballot in ballots:
        chosen = ballot["options"]
        if receipt(qid, chosen, ballot["nonce"]) != ballot["receipt"]:
            problems.append(f"{name}: ballot {ballot['receipt']} does not match its receipt code")
        if not chosen or len(set(chosen)) != len(chosen) or len(chosen) > seats or not set(chosen) <= set(option_ids):
            problems.append(f"{name}: ballot {ballot['receipt']} holds options the question does not allow")
    if len(ballots) > question["credentials_issued"]:
        problems.append(f"{name}: more ballots ({len(ballots)}) than credentials issued")
    problems += check_paper(name, question, option_ids, log)
    paper = question.get("paper")
    counted = tally(question["kind"], seats, option_ids, [ballot["options"] for ballot in ballots], paper)
    if counted != question["tally"]:
        problems.append(f"{name}: the published tally is not the count of its ballots")
    created = entries_for(log, "created", qid)
    if len(created) != 1:
        problems.append(f"{name}: not prepared once in the log")
    elif [
        {key: option.get(key) for key in ("id", "order", "label_ar", "label_en", "membership_no")}
        for option in question["options"]
    ] != created[0]["payload"].get("options") or created[0]["payload"].get("seats") != seats:
        problems.append(f"{name}: its options or seats are not those the log prepared")
    if len(entries_for(log, "opened", qid)) != 1:
        problems.append(f"{name}: not opened once in the log")
    closed = entries_for(log, "closed", qid)
    if len(closed) != 1:
        problems.append(f"{name}: not closed once in the log")
    else:
        payload = closed[0]["payload"]
        if payload.get("tally") != counted:
            problems.append(f"{name}: the tally at the close differs from the count of the ballots")
        if payload.get("ballots_digest") != hashlib.sha256(canonical(ballots)).hexdigest():
            problems.append(f"{name}: the ballots are not those the close sealed")
        if payload.get("paper") != paper:
            problems.append(f"{name}: the paper count differs from the one the close sealed")
        if payload.get("credentials_issued") != question["credentials_issued"]:
            problems.append(f"{name}: the credentials issued differ from the close")
    return problems


def verify(record: dict, head: str | None = None) -> list[str]:
    log = record.get("log", [])
    problems = check_chain(log, head)
    published = {question["id"] for question in record.get("questions", [])}
    for entry in log:
        if entry.get("action") == "closed" and entry["payload"].get("question") not in published:
            problems.append(f"question {entry['payload'].get('question')}: closed in the log, missing from the record")
    for question in record.get("questions", []):
        problems += check_question(question, log)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a published ballot record.")
    parser.add_argument("record")
    parser.add_argument("--head", help="the log's last digest, as announced")
    arguments = parser.parse_args(argv)
    try:
        with open(arguments.record, encoding="utf-8") as file:
            record = json.load(file)
    except (OSError, ValueError) as error:
        print(f"cannot read the record: {error}")
        return 2
    try:
        problems = verify(record, arguments.head)
    except (KeyError, TypeError, AttributeError) as error:
        problems = [f"the record is malformed: {error!r}"]
    for problem in problems:
        print(f"CHANGED: {problem}")
    if problems:
        return 1
    questions = record.get("questions", [])
    ballots = sum(len(question["ballots"]) for question in questions)
    head = record["log"][-1]["digest"] if record.get("log") else GENESIS
    print(f"OK: {len(questions)} questions, {ballots} ballots, {len(record.get('log', []))} log entries, head {head}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
