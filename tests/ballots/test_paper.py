"""Paper ballots in the room (issue 18 item 5): online voting ends when the meeting begins; two officers enter the
paper counts, which must agree; the counts are checked against the members there who did not vote online; the
tally is online plus paper, with the paper count as its own line in the log and the record."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ballots import paper, services, voting
from ballots.models import Ballot, LogEntry, PaperCount, Slot
from members.roles import Role
from tests.ballots.helpers import open_election, open_item, option_ids, published_meeting, secretary
from tests.ballots.room import held_now, officer, vote_online
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    """Eight members; an item open online, three of them voted online (2 for, 1 against); then the meeting is held
    with six present (two of whom voted online): four may vote on paper."""
    chair = secretary()
    meeting, people = published_meeting(chair, members=8)
    item = open_item(meeting, chair)
    for_, against, _abstain = option_ids(item)
    for member, chosen in zip(people[:3], [[for_], [for_], [against]], strict=True):
        vote_online(item, member, chosen)
    held_now(meeting, chair, present=people[1:7])
    return meeting, item, people, officer("فهد"), officer("علي")


def entry(question, votes: list[int], spoiled: int = 0, ballots: int | None = None) -> paper.Entry:
    return paper.Entry(votes=dict(zip(option_ids(question), votes, strict=True)), spoiled=spoiled, ballots=ballots)


def test_online_voting_ends_when_the_meeting_begins(room):
    _meeting, item, people, _first, _second = room
    slot = Slot.objects.get(question=item, member=people[5])

    with pytest.raises(ValidationError, match="أُغلق التصويت الإلكتروني عند بدء الاجتماع"):
        voting.open_voting(slot=slot, by=people[5])

    assert not Slot.objects.get(pk=slot.pk).issued


def test_the_members_ballot_page_offers_nothing_online_once_the_meeting_began(room, client):
    meeting, _item, people, _first, _second = room
    people[5].user = UserFactory(roles=[Role.MEMBER])
    people[5].save(update_fields=["user"])
    client.force_login(people[5].user)

    page = client.get(reverse("ballots:meeting-ballots", args=[meeting.pk]))

    assert page.context["slots"] == []
    assert 'data-testid="no-slots"' in page.content.decode()


def test_a_credential_replayed_after_the_meeting_began_changes_nothing():
    chair = secretary()
    meeting, people = published_meeting(chair, members=4)
    item = open_item(meeting, chair)
    slot = Slot.objects.get(question=item, member=people[0])
    credential = voting.open_voting(slot=slot, by=people[0])
    voting.cast(slot=slot, by=people[0], credential=credential, option_ids=option_ids(item)[:1])
    before = list(Ballot.objects.values_list("digest", "options", "receipt"))
    held_now(meeting, chair, present=people[:2])

    with pytest.raises(ValidationError, match="أُغلق التصويت الإلكتروني عند بدء الاجتماع"):
        voting.cast(slot=slot, by=people[0], credential=credential, option_ids=option_ids(item)[1:2])

    assert list(Ballot.objects.values_list("digest", "options", "receipt")) == before


def test_two_officers_who_agree_add_the_paper_count_to_the_online_ballots(room):
    _meeting, item, _people, first, second = room

    waiting = paper.enter(question=item, by=first, entry=entry(item, [1, 2, 0], spoiled=1))
    assert not waiting.is_confirmed
    assert services.count(item, services.ballot_rows(item))["ballots"] == 3, "a waiting entry is not counted"
    confirmed = paper.enter(question=item, by=second, entry=entry(item, [1, 2, 0], spoiled=1))

    assert confirmed.is_confirmed and confirmed.allowed == 4
    services.close_question(question=item, by=first)
    closing = LogEntry.objects.get(action=LogEntry.Action.CLOSED).payload
    assert closing["tally"]["ballots"] == 3 + 3
    assert (closing["tally"]["online_ballots"], closing["tally"]["paper_ballots"], closing["tally"]["spoiled"]) == (
        3,
        3,
        1,
    )
    assert [row["votes"] for row in closing["tally"]["ranked"]] == [3, 3, 0]
    assert closing["paper"] == paper.payload(confirmed)
    assert [entry.action for entry in LogEntry.objects.order_by("seq")][-3:] == ["entered", "confirmed", "closed"]


def test_officers_who_disagree_both_see_the_difference_and_nothing_is_counted(room):
    _meeting, item, _people, first, second = room
    paper.enter(question=item, by=first, entry=entry(item, [1, 2, 0]))

    with pytest.raises(ValidationError) as refused:
        paper.enter(question=item, by=second, entry=entry(item, [2, 1, 0]))

    message = " ".join(refused.value.messages)
    assert "تختلف أعدادك عن أعداد المسؤول الأول" in message
    assert "موافق: 2 في الإدخال الثاني، و1 في الإدخال الأول" in message
    count = PaperCount.objects.get()
    assert not count.is_confirmed
    assert count.votes == {str(option): n for option, n in zip(option_ids(item), [1, 2, 0], strict=True)}
    assert count.disputed["by"] == second.pk and count.disputed["votes"][0]["votes"] == 2
    assert not LogEntry.objects.filter(action=LogEntry.Action.CONFIRMED).exists()
    assert services.paper_line(item) is None


def test_the_same_officer_cannot_confirm_their_own_count(room):
    _meeting, item, _people, first, _second = room
    paper.enter(question=item, by=first, entry=entry(item, [1, 2, 0]))

    with pytest.raises(ValidationError, match="يجب أن يُدخلها مسؤول ثانٍ"):
        paper.enter(question=item, by=first, entry=entry(item, [1, 2, 0]))

    assert not PaperCount.objects.get().is_confirmed
    assert LogEntry.objects.filter(action=LogEntry.Action.ENTERED).count() == 1


@pytest.mark.parametrize(
    ("votes", "spoiled", "message"),
    [
        ([3, 2, 0], 0, "أكثر من 4 أعضاء"),  # five paper ballots, four may vote on paper
        ([2, 2, 0], 1, "أكثر من 4 أعضاء"),  # four valid and one spoiled
        ([1, -1, 0], 0, "أقل من صفر"),
    ],
)
def test_counts_beyond_those_who_may_vote_on_paper_are_refused_and_nothing_stored(room, votes, spoiled, message):
    _meeting, item, _people, first, _second = room

    with pytest.raises(ValidationError) as refused:
        paper.enter(question=item, by=first, entry=entry(item, votes, spoiled=spoiled))

    assert message in " ".join(refused.value.messages)
    assert not PaperCount.objects.exists()
    assert not LogEntry.objects.filter(action=LogEntry.Action.ENTERED).exists()


def test_an_election_ballot_with_more_choices_than_seats_is_counted_as_spoiled():
    chair = secretary()
    meeting, people = published_meeting(chair, members=8)
    election = open_election(meeting, chair, candidates=people[5:8], seats=2)
    vote_online(election, people[0], option_ids(election)[:2])
    held_now(meeting, chair, present=people[:6])
    first, second = officer("فهد"), officer("علي")

    # Five paper ballots: four valid (votes 3, 3, 2) and one with three names, spoiled.
    with pytest.raises(ValidationError, match="يُحتسب تالفًا"):
        paper.enter(question=election, by=first, entry=entry(election, [4, 4, 2], ballots=4))
    with pytest.raises(ValidationError, match="أكثر من عدد الأوراق الصحيحة"):
        paper.enter(question=election, by=first, entry=entry(election, [5, 3, 0], ballots=4, spoiled=1))
    paper.enter(question=election, by=first, entry=entry(election, [3, 3, 2], ballots=4, spoiled=1))
    paper.enter(question=election, by=second, entry=entry(election, [3, 3, 2], ballots=4, spoiled=1))
    services.close_question(question=election, by=chair)

    tally = LogEntry.objects.get(action=LogEntry.Action.CLOSED).payload["tally"]
    assert (tally["ballots"], tally["spoiled"]) == (1 + 4, 1)
    assert [row["votes"] for row in tally["ranked"]] == [4, 4, 2]


def test_closing_after_the_meeting_began_waits_for_the_paper_count(room):
    _meeting, item, _people, first, _second = room

    with pytest.raises(ValidationError, match="مسؤولان"):
        services.close_question(question=item, by=first)

    item.refresh_from_db()
    assert item.status == item.Status.OPEN
    assert Ballot.objects.count() == 3


def test_paper_counts_are_entered_only_in_the_room_by_officers(room):
    meeting, item, people, first, _second = room
    member_user = people[0].user or officer("سالم")
    member_user.groups.clear()

    with pytest.raises(ValidationError, match="مسؤولو المجلس"):
        paper.enter(question=item, by=member_user, entry=entry(item, [1, 0, 0]))
    meeting.starts_at = meeting.starts_at.replace(year=meeting.starts_at.year + 1)
    meeting.save(update_fields=["starts_at"])
    with pytest.raises(ValidationError, match="في القاعة"):
        paper.enter(question=item, by=first, entry=entry(item, [1, 0, 0]))
    assert not PaperCount.objects.exists()
