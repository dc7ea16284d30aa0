"""Counting: votes per option, ranked, and for an election the winners and the reserves in order.

Ranked by votes, most first; equal votes keep the ballot's order of options (a tie at the last seat is flagged for the
officers, not settled here). The law fills a vacancy with the reserve who had the most votes, so every candidate not
elected is a reserve, in rank order. The total is the online ballots plus the room's confirmed paper count.
scripts/verify_ballot_record.py repeats this rule on the published ballots.
"""

from collections import Counter
from collections.abc import Iterable


def count(
    *, kind: str, seats: int, option_ids: list[int], ballots: Iterable[list[int]], paper: dict | None = None
) -> dict:
    """`option_ids` in the ballot's order; each ballot a list of option ids. `paper`, the room's confirmed paper count
    (ballots.paper.payload), adds its votes and valid ballots; the result then says how many ballots were online, on
    paper, and spoiled."""
    votes: Counter[int] = Counter()
    cast = 0
    for chosen in ballots:
        cast += 1
        votes.update(chosen)
    online = cast
    if paper is not None:
        votes.update({row["option"]: row["votes"] for row in paper["votes"]})
        cast += paper["ballots"]
    position = {option: index for index, option in enumerate(option_ids)}
    ranked = sorted(option_ids, key=lambda option: (-votes[option], position[option]))
    result: dict = {"ballots": cast, "ranked": [{"option": option, "votes": votes[option]} for option in ranked]}
    if paper is not None:
        result.update(online_ballots=online, paper_ballots=paper["ballots"], spoiled=paper["spoiled"])
    if kind == "election":
        result["elected"] = ranked[:seats]
        result["reserves"] = ranked[seats:]
        result["tie_at_last_seat"] = len(ranked) > seats and votes[ranked[seats - 1]] == votes[ranked[seats]]
    return result
