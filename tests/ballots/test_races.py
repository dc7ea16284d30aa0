"""Races on PostgreSQL (issue 18, "bad input and races"): two casts with one slot at the same instant leave one
ballot; a cast and the close at once never leave a ballot outside the closing tally."""

import pytest
from django.core.exceptions import ValidationError

from ballots import services, voting
from ballots.models import Ballot, LogEntry, Slot
from tests.ballots.helpers import open_item, option_ids, published_meeting, secretary
from tests.concurrency import at_once, needs_postgresql, raised
from tests.seed_data import restore_seed_data

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]


@pytest.fixture
def question_and_voter():
    restore_seed_data()
    officer = secretary()
    meeting, people = published_meeting(officer)
    question = open_item(meeting, officer)
    return officer, question, people[0], Slot.objects.get(question=question, member=people[0])


def test_two_casts_with_one_slot_at_the_same_instant_leave_one_ballot(question_and_voter):
    _officer, question, voter, slot = question_and_voter
    for_, against, _abstain = option_ids(question)

    def open_and_cast(option: int):
        credential = voting.open_voting(slot=slot, by=voter)
        return voting.cast(slot=slot, by=voter, credential=credential, option_ids=[option])

    results = at_once(lambda: open_and_cast(for_), lambda: open_and_cast(against))

    assert Ballot.objects.count() == 1
    assert [type(error) for error in raised(results)] == [ValidationError]
    assert "سبق فتح التصويت" in " ".join(raised(results)[0].messages)


def test_the_same_credential_cast_twice_at_once_leaves_one_ballot(question_and_voter):
    _officer, question, voter, slot = question_and_voter
    credential = voting.open_voting(slot=slot, by=voter)
    for_, against, _abstain = option_ids(question)

    results = at_once(
        lambda: voting.cast(slot=slot, by=voter, credential=credential, option_ids=[for_]),
        lambda: voting.cast(slot=slot, by=voter, credential=credential, option_ids=[against]),
    )

    assert raised(results) == []
    ballot = Ballot.objects.get()
    assert ballot.options in ([for_], [against])
    assert sorted(result.replaced for result in results) == [False, True]


def test_a_cast_at_the_instant_of_the_close_is_counted_or_refused_never_lost(question_and_voter):
    officer, question, voter, slot = question_and_voter
    credential = voting.open_voting(slot=slot, by=voter)

    results = at_once(
        lambda: voting.cast(slot=slot, by=voter, credential=credential, option_ids=option_ids(question)[:1]),
        lambda: services.close_question(question=question, by=officer),
    )

    closed = LogEntry.objects.get(action=LogEntry.Action.CLOSED).payload
    assert closed["tally"]["ballots"] == Ballot.objects.count()
    assert len(raised(results)) == (0 if Ballot.objects.exists() else 1)
