"""The result of a vote, against a table written by hand from the law (DOMAIN.md a.5): a majority of those PRESENT,
and on a tie (exactly half for) the chair's side wins."""

import pytest

from assembly.voting import outcome

# (for, against, abstained, present, the chair's vote, adopted, tie): each row worked out by hand.
CASES = [
    (6, 3, 1, 10, "", True, False),  # 6 of 10 present: a majority
    (4, 3, 3, 10, "", False, False),  # more for than against, but 4 of 10 present is not a majority
    (4, 0, 0, 10, "", False, False),  # six present did not raise a hand: they count against a majority
    (5, 4, 1, 10, "for", True, True),  # half of those present: the chair voted for
    (5, 4, 1, 10, "against", False, True),  # the same counts, the chair against
    (5, 5, 0, 10, "for", True, True),
    (5, 5, 0, 10, "against", False, True),
    (5, 2, 3, 10, "abstain", False, True),  # the chair abstained: the chair's side is not "for"
    (3, 2, 0, 7, "", False, False),  # 3 of 7 is under half
    (4, 3, 0, 7, "", True, False),  # 4 of 7 is over half; an odd number present never ties
    (1, 0, 0, 1, "", True, False),
    (0, 0, 1, 1, "", False, False),
    (0, 0, 0, 0, "", False, False),  # nobody present decides nothing
    (13, 0, 12, 25, "", True, False),  # abstentions do not stop a majority of those present
    (12, 0, 13, 25, "", False, False),
]


@pytest.mark.parametrize(("votes_for", "against", "abstain", "present", "chair", "adopted", "tie"), CASES)
def test_a_decision_needs_a_majority_of_those_present_and_the_chair_breaks_a_tie(
    votes_for, against, abstain, present, chair, adopted, tie
):
    result = outcome(votes_for=votes_for, votes_against=against, abstentions=abstain, present=present, chair_side=chair)

    assert (result.adopted, result.tie) == (adopted, tie)


def test_a_tie_without_the_chairs_vote_is_not_decided():
    with pytest.raises(ValueError, match="chair"):
        outcome(votes_for=5, votes_against=5, abstentions=0, present=10)


@pytest.mark.parametrize(("votes_for", "against", "abstain"), [(6, 5, 0), (-1, 0, 0), (4, 4, 3)])
def test_counts_outside_those_present_have_no_result(votes_for, against, abstain):
    with pytest.raises(ValueError):
        outcome(votes_for=votes_for, votes_against=against, abstentions=abstain, present=10)
