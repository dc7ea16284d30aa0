"""An election's result (issue 18 items 7, 8): ranked counts with winners and reserves in the minutes' PDF, the whole
count only; approving the minutes (the chair or a board member, once) makes the elected the board, records the
reserves in order, and takes the role from the outgoing members the officers named, unless re-elected."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from assembly import approval, conduct, minutes
from ballots import services
from ballots.models import BoardResult, Question
from members.roles import Role, roles_of
from tests.assembly.test_minutes import pdf_text
from tests.ballots.helpers import option_ids, published_meeting, secretary
from tests.ballots.room import held_now, vote_online
from tests.concurrency import at_once, needs_postgresql
from tests.members.factories import MemberFactory, UserFactory


def with_account(name: str, *roles: Role):
    user = UserFactory()
    user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in (Role.MEMBER, *roles)))
    return MemberFactory(user=user, shares=4, full_name_ar=name)


def fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def election():
    """Two seats among four candidates; an outgoing board member named, who stands again. Votes online:
    فهد 3, علي 2, مانع 2 (a tie at the last seat), سعيد 0.
    Then the meeting is held today, the election closed before it began."""
    board = secretary()
    candidates = [with_account(name) for name in ("علي بن حسن", "فهد بن سالم", "مانع بن صالح")]
    outgoing = with_account("سعيد بن حمد", Role.BOARD)  # leaves, and stands again: loses
    staying = with_account("حمد بن يحيى", Role.BOARD)  # not named: keeps the role
    meeting, people = published_meeting(board, members=6)
    question = services.create_question(
        meeting=meeting,
        by=board,
        kind=Question.Kind.ELECTION,
        title_ar="انتخاب عضوين لمجلس الإدارة",
        title_en="Electing two",
        seats=2,
        candidates=[*candidates, outgoing],
        outgoing=[outgoing],
    )
    services.open_question(question=question, by=board)
    ali, fahd, mani, _said = option_ids(question)
    for member, chosen in zip(people, [[fahd, ali], [fahd, ali], [fahd, mani], [mani]], strict=False):
        vote_online(question, member, chosen)
    services.close_question(question=question, by=board)
    held_now(meeting, board, present=people[:3])
    meeting = conduct.close_meeting(meeting=meeting, by=board)
    minutes.issue_minutes(meeting_id=meeting.pk)
    meeting.refresh_from_db()
    return board, meeting, question, candidates, outgoing, staying, people


@pytest.mark.django_db
def test_the_minutes_print_the_ranked_count_with_winners_and_reserves_in_order(election):
    _board, meeting, _question, _candidates, _outgoing, _staying, _people = election

    text = pdf_text(meeting)
    counted = text[text.index("انتخاب عضوين لمجلس") :]

    assert re.search(r"فرزت 4\s*أوراق", counted)
    rows = re.findall(r"(فهد بن سالم|علي بن حسن|مانع بن صالح|سعيد بن حمد) (\d) (فائز|احتياطي رقم \d)", counted)
    assert rows == [
        ("فهد بن سالم", "3", "فائز"),
        ("علي بن حسن", "2", "فائز"),
        ("مانع بن صالح", "2", "احتياطي رقم 1"),
        ("سعيد بن حمد", "0", "احتياطي رقم 2"),
    ]
    assert "تعادل على المقعد" in counted  # علي and مانع have 2 each: the tie at the last seat is flagged


@pytest.mark.django_db
def test_approving_makes_the_elected_the_board_and_keeps_the_reserves_in_order(election):
    board, meeting, question, candidates, outgoing, staying, _people = election
    ali, fahd, mani = candidates

    approval.approve_minutes(meeting=meeting, by=board)

    assert Role.BOARD in roles_of(fresh(fahd.user)) and Role.BOARD in roles_of(fresh(ali.user))
    assert Role.BOARD not in roles_of(fresh(mani.user))
    assert Role.BOARD not in roles_of(fresh(outgoing.user))
    assert Role.BOARD in roles_of(fresh(staying.user))
    rows = list(
        BoardResult.objects.filter(question=question).order_by("rank").values_list("member_id", "votes", "elected")
    )
    assert rows == [(fahd.pk, 3, True), (ali.pk, 2, True), (mani.pk, 2, False), (outgoing.pk, 0, False)]


@pytest.mark.django_db
def test_approving_twice_changes_nothing(election):
    board, meeting, question, _candidates, outgoing, _staying, _people = election
    approval.approve_minutes(meeting=meeting, by=board)
    approved_at = type(meeting).objects.get(pk=meeting.pk).minutes_approved_at
    # Later the board co-opts the outgoing member back: a second approval must not undo it.
    outgoing.user.groups.add(Group.objects.get(name=Role.BOARD))

    with pytest.raises(ValidationError) as caught:
        approval.approve_minutes(meeting=meeting, by=board)

    assert caught.value.code == "approved"
    assert type(meeting).objects.get(pk=meeting.pk).minutes_approved_at == approved_at
    assert Role.BOARD in roles_of(fresh(outgoing.user))
    assert BoardResult.objects.filter(question=question).count() == 4


@pytest.mark.django_db
def test_only_the_chair_or_the_board_approves(election):
    _board, meeting, _question, _candidates, _outgoing, _staying, _people = election
    chair = meeting.chair
    chair.user = UserFactory()
    chair.save(update_fields=["user"])
    someone = with_account("عضو آخر")

    with pytest.raises(ValidationError):
        approval.approve_minutes(meeting=meeting, by=someone.user)
    assert not BoardResult.objects.exists()
    approval.approve_minutes(meeting=meeting, by=chair.user)
    assert BoardResult.objects.count() == 4


@pytest.mark.django_db
def test_the_meeting_does_not_close_while_its_election_is_open():
    board = secretary()
    meeting, people = published_meeting(board, members=4)
    question = services.create_question(
        meeting=meeting, by=board, kind=Question.Kind.ELECTION, title_ar="انتخاب", title_en="E", candidates=people[:2]
    )
    services.open_question(question=question, by=board)
    held_now(meeting, board, present=people[:3])

    with pytest.raises(ValidationError) as caught:
        conduct.close_meeting(meeting=meeting, by=board)
    assert caught.value.code == "undecided"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_chair_and_the_secretary_approving_at_the_same_instant_apply_the_result_once(election):
    board, meeting, question, _candidates, _outgoing, _staying, _people = election
    other = UserFactory()
    other.groups.add(Group.objects.get_or_create(name=Role.BOARD)[0])

    results = at_once(
        lambda: approval.approve_minutes(meeting=meeting, by=board),
        lambda: approval.approve_minutes(meeting=meeting, by=other),
    )

    assert sum(not isinstance(result, BaseException) for result in results) == 1
    assert BoardResult.objects.filter(question=question).count() == 4
