"""Races on PostgreSQL (issue 18, "bad input and races"): two casts with one slot at the same instant leave one
ballot; a cast and the close at once never leave a ballot outside the closing tally; two officers confirming the
room's paper count at once confirm it once."""

import time

import pytest
from django.core.exceptions import ValidationError

from ballots import paper, services, voting
from ballots.models import Ballot, LogEntry, PaperCount, Slot
from tests.ballots.helpers import open_item, option_ids, published_meeting, secretary
from tests.ballots.room import held_now, officer
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


@pytest.fixture
def paper_waiting():
    """A question held in the room, its paper count entered by a first officer and waiting."""
    restore_seed_data()
    chair = secretary()
    meeting, people = published_meeting(chair, members=6)
    question = open_item(meeting, chair)
    held_now(meeting, chair, present=people[:5])
    counts = paper.Entry(votes=dict(zip(option_ids(question), [3, 1, 0], strict=True)), spoiled=1)
    paper.enter(question=question, by=officer("فهد"), entry=counts)
    return question, counts


def test_two_officers_confirming_the_paper_count_at_once_record_it_once(paper_waiting, monkeypatch):
    question, counts = paper_waiting
    real = paper.differences
    # Each confirmation dwells between reading the waiting entry and confirming it: without the question's row lock
    # both would read it unconfirmed and both confirm.
    monkeypatch.setattr(paper, "differences", lambda *args: time.sleep(0.5) or real(*args))

    results = at_once(
        lambda: paper.enter(question=question, by=officer("علي"), entry=counts),
        lambda: paper.enter(question=question, by=officer("سالم"), entry=counts),
    )

    assert len(raised(results)) == 1, results
    assert "اعتُمد عدد الأوراق الورقية لهذه المسألة من قبل" in raised(results)[0].messages[0]
    assert LogEntry.objects.filter(action=LogEntry.Action.CONFIRMED).count() == 1
    assert PaperCount.objects.get().confirmed_by == next(r for r in results if isinstance(r, PaperCount)).confirmed_by
