"""The result of an open vote of the General Assembly, defined once (DOMAIN.md a.5; Law art. 22, Reg. art. 42):
"Decisions need a majority of those present. On a tie, the chair's side wins."

Read as the law says it, not as "more for than against":
  - the majority is of those PRESENT (in person or by proxy, assembly.attendance), not of those who voted: an
    abstention, or a member present who did not raise a hand, does not help a motion pass;
  - adopted when more than half of those present voted for it;
  - a tie is exactly half of those present for it, and the other half not (against, abstaining or silent): then
    the chair's side wins, adopted if the chair voted for it and not adopted otherwise.

Pure: numbers in, a result out, no database; assembly.conduct writes it, the pages and the minutes read it.
"""

from dataclasses import dataclass

FOR = "for"


@dataclass(frozen=True)
class Outcome:
    adopted: bool
    tie: bool


def is_tie(*, votes_for: int, present: int) -> bool:
    """Exactly half of those present for the motion: the chair's vote decides."""
    return present > 0 and 2 * votes_for == present


def outcome(*, votes_for: int, votes_against: int, abstentions: int, present: int, chair_side: str = "") -> Outcome:
    """The result of one item's vote. The counts must be checked first (each >= 0, together at most `present`);
    on a tie `chair_side` ("for", "against" or "abstain") is required."""
    if min(votes_for, votes_against, abstentions) < 0 or votes_for + votes_against + abstentions > present:
        raise ValueError("counts outside those present")
    if is_tie(votes_for=votes_for, present=present):
        if not chair_side:
            raise ValueError("a tie needs the chair's side")
        return Outcome(adopted=chair_side == FOR, tie=True)
    return Outcome(adopted=2 * votes_for > present, tie=False)
