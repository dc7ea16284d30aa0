"""Voting (issue 18 items 1, 2, 6): a slot issues one credential; a ballot is stored under its hash, replaced by a
later cast with it until the close; every refusal says why in Arabic and stores nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assembly import proxies
from assembly.models import Proxy
from ballots import credentials, services, voting
from ballots.models import Ballot, Slot
from tests.ballots.helpers import (
    accepted_proxy,
    open_election,
    open_item,
    option_ids,
    past_the_cut_off,
    published_meeting,
    secretary,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return secretary()


def slot_of(question, member) -> Slot:
    return Slot.objects.get(question=question, member=member)


def test_opening_voting_issues_a_credential_and_the_ballot_is_stored_under_its_hash(officer):
    meeting, people = published_meeting(officer)
    question = open_item(meeting, officer)
    slot = slot_of(question, people[0])

    credential = voting.open_voting(slot=slot, by=people[0])
    cast = voting.cast(slot=slot, by=people[0], credential=credential, option_ids=option_ids(question)[:1])

    ballot = Ballot.objects.get()
    assert ballot.digest == credentials.digest(credential)
    assert ballot.receipt == cast.receipt == credentials.receipt(question.pk, ballot.options, ballot.nonce)
    assert ballot.options == option_ids(question)[:1]
    assert (ballot.cast_hour.minute, ballot.cast_hour.second, ballot.cast_hour.microsecond) == (0, 0, 0)
    slot.refresh_from_db()
    assert slot.issued and slot.holder is None
    assert Slot.objects.filter(question=question).count() == len(people)


def test_casting_again_with_the_credential_replaces_the_ballot_the_last_counts(officer):
    meeting, people = published_meeting(officer)
    question = open_item(meeting, officer)
    slot = slot_of(question, people[0])
    credential = voting.open_voting(slot=slot, by=people[0])
    for_, against, _abstain = option_ids(question)

    first = voting.cast(slot=slot, by=people[0], credential=credential, option_ids=[for_])
    last = voting.cast(slot=slot, by=people[0], credential=credential, option_ids=[against])

    assert Ballot.objects.get().options == [against]
    assert (first.replaced, last.replaced) == (False, True)
    assert not Ballot.objects.filter(receipt=first.receipt).exists()


def test_a_slot_issues_its_credential_once(officer):
    meeting, people = published_meeting(officer)
    question = open_item(meeting, officer)
    slot = slot_of(question, people[0])
    voting.open_voting(slot=slot, by=people[0])

    with pytest.raises(ValidationError, match="سبق فتح التصويت"):
        voting.open_voting(slot=slot, by=people[0])


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("before_opening", "لم يُفتح التصويت"),
        ("after_closing", "أُغلق التصويت"),
        ("too_many", "خيارًا واحدًا على الأكثر"),
        ("twice", "مرتين"),
        ("unknown_option", "ليس في ورقة"),
        ("made_up_credential", "ليس الرمز"),
        ("another_slots_credential", "ليس الرمز"),
        ("someone_elses_slot", "لا تحمل توكيل"),
    ],
)
def test_each_bad_cast_is_refused_in_arabic_and_stores_nothing(officer, case, message):
    meeting, people = published_meeting(officer)
    question = open_item(meeting, officer)
    voter, other = people[0], people[1]
    slot = slot_of(question, voter)
    credential = voting.open_voting(slot=slot, by=voter)
    other_credential = voting.open_voting(slot=slot_of(question, other), by=other)
    chosen = option_ids(question)[:1]
    if case == "before_opening":
        question.status = question.Status.DRAFT
        question.save()
    if case == "after_closing":
        voting.cast(slot=slot, by=voter, credential=credential, option_ids=chosen)
        services.close_question(question=question, by=officer)
        chosen = option_ids(question)[1:2]  # a credential replayed after the close, to change the vote
    chosen = {
        "too_many": option_ids(question)[:2],
        "twice": chosen * 2,
        "unknown_option": [max(option_ids(question)) + 100],
    }.get(case, chosen)
    credential = {"made_up_credential": "abc.def", "another_slots_credential": other_credential}.get(case, credential)
    by = other if case == "someone_elses_slot" else voter
    before = list(Ballot.objects.values_list("digest", "options", "receipt"))

    with pytest.raises(ValidationError) as refused:
        voting.cast(slot=slot, by=by, credential=credential, option_ids=chosen)

    assert message in " ".join(refused.value.messages)
    assert list(Ballot.objects.values_list("digest", "options", "receipt")) == before


def test_an_election_ballot_takes_up_to_the_seats_and_no_more(officer):
    meeting, people = published_meeting(officer, members=5)
    question = open_election(meeting, officer, candidates=people[2:5], seats=2)
    slot = slot_of(question, people[0])
    credential = voting.open_voting(slot=slot, by=people[0])

    voting.cast(slot=slot, by=people[0], credential=credential, option_ids=option_ids(question)[:2])
    with pytest.raises(ValidationError, match="خيارين على الأكثر"):
        voting.cast(slot=slot, by=people[0], credential=credential, option_ids=option_ids(question))

    assert Ballot.objects.get().options == option_ids(question)[:2]


def test_a_holder_votes_for_the_principal_on_a_second_separate_slot_after_the_cut_off(
    officer, django_capture_on_commit_callbacks
):
    meeting, people = published_meeting(officer)
    principal, holder = people[0], people[1]
    accepted_proxy(meeting, principal, holder)
    question = open_item(meeting, officer)
    principals_slot = slot_of(question, principal)

    with pytest.raises(ValidationError, match="آخر 48 ساعة"):
        voting.open_voting(slot=principals_slot, by=holder)
    past_the_cut_off(meeting)
    with pytest.raises(ValidationError, match="وكّلت"):
        voting.open_voting(slot=principals_slot, by=principal)
    own = voting.open_voting(slot=slot_of(question, holder), by=holder)
    for_principal = voting.open_voting(slot=principals_slot, by=holder)
    voting.cast(slot=slot_of(question, holder), by=holder, credential=own, option_ids=option_ids(question)[:1])
    voting.cast(slot=principals_slot, by=holder, credential=for_principal, option_ids=option_ids(question)[1:2])

    principals_slot.refresh_from_db()
    assert principals_slot.holder == holder
    assert Ballot.objects.count() == 2
    assert Slot.objects.filter(question=question, holder=holder).count() == 1


def test_a_holder_whose_proxy_ended_cannot_vote_for_the_principal(officer):
    meeting, people = published_meeting(officer)
    principal, holder = people[0], people[1]
    proxy = accepted_proxy(meeting, principal, holder)
    question = open_item(meeting, officer)
    past_the_cut_off(meeting)
    slot = slot_of(question, principal)
    credential = voting.open_voting(slot=slot, by=holder)
    # The principal came in person (assembly.door): the proxy ends past the cut-off too.
    proxies.revoke_on_arrival(meeting=meeting, principal=principal)
    assert Proxy.objects.get(pk=proxy.pk).status == Proxy.Status.REVOKED

    with pytest.raises(ValidationError, match="لا تحمل توكيل"):
        voting.cast(slot=slot, by=holder, credential=credential, option_ids=option_ids(question)[:1])
    with pytest.raises(ValidationError, match="لم يُفتح التصويت لهذا الصوت من قِبلك"):
        voting.cast(slot=slot, by=principal, credential=credential, option_ids=option_ids(question)[:1])

    assert not Ballot.objects.exists()


def test_the_database_holds_one_proxy_slot_per_holder_and_question(officer):
    meeting, people = published_meeting(officer)
    question = open_item(meeting, officer)
    Slot.objects.filter(question=question, member=people[0]).update(issued=True, holder=people[2])

    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(question=question, member=people[1]).update(issued=True, holder=people[2])
