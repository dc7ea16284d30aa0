"""Holding the meeting: the chair first, then each item's counts entered by two officers who must agree, checked
against those present (assembly.attendance) and decided by the law's rule (assembly.voting); an appeal's outcome
reaches its request and its member; closing queues the minutes once."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assembly import conduct, voting
from assembly.models import AgendaItem, Decision, EligibleMember, Meeting, Registration
from members.models import Notification
from members.roles import Role
from members_portal.hijri import to_hijri
from requests_app.models import DepartmentMembership, RequestType, ServiceRequest
from tests.assembly.conftest import draft_meeting
from tests.concurrency import at_once, needs_postgresql
from tests.members.factories import MemberFactory
from tests.requests_app.factories import ServiceRequestFactory
from tests.seed_data import restore_seed_data

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status


@pytest.fixture
def second_officer(make_user):
    return make_user("board2@example.org", Role.BOARD, first_name="فهد", last_name="آل منصور")


def meeting_today(secretary, *, eligible: int = 10, present: int = 10, items: int = 2) -> Meeting:
    """A published meeting held today, `present` of its `eligible` members registered at the door."""
    meeting = draft_meeting(secretary, items=items)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.PUBLISHED,
        published_at=timezone.now(),
        record_date=timezone.localdate(),
        starts_at=timezone.now(),
    )
    meeting.refresh_from_db()
    members = MemberFactory.create_batch(eligible, shares=2)
    EligibleMember.objects.bulk_create(
        EligibleMember(meeting=meeting, member=member, membership_no=member.membership_no, shares=2)
        for member in members
    )
    for member in members[:present]:
        Registration.objects.create(meeting=meeting, member=member, registered_by=secretary)
    return meeting


def with_chair(meeting, secretary):
    chair = Registration.objects.filter(meeting=meeting).first().member
    return conduct.elect_chair(meeting=meeting, by=secretary, membership_no=chair.membership_no, votes=5)


def first_item(meeting):
    return meeting.agenda_items.order_by("order").first()


def test_the_chair_is_a_member_present_elected_with_their_votes(secretary):
    meeting = meeting_today(secretary, present=8)
    absent = meeting.eligible.exclude(member__in=Registration.objects.values("member")).first()

    with pytest.raises(ValidationError) as refused:
        conduct.elect_chair(meeting=meeting, by=secretary, membership_no=absent.membership_no, votes=5)
    assert "لا يوجد عضو حاضر" in str(refused.value)
    with pytest.raises(ValidationError):
        conduct.elect_chair(meeting=meeting, by=secretary, membership_no=absent.membership_no, votes=9)

    present = Registration.objects.filter(meeting=meeting).first().member
    conduct.elect_chair(meeting=meeting, by=secretary, membership_no=present.membership_no, votes=5)

    meeting.refresh_from_db()
    assert (meeting.chair, meeting.chair_votes, meeting.chair_elected_by) == (present, 5, secretary)


def test_nothing_is_decided_before_the_chair(secretary):
    meeting = meeting_today(secretary)

    with pytest.raises(ValidationError) as refused:
        conduct.enter_counts(item=first_item(meeting), by=secretary, votes_for=6, votes_against=2, abstentions=1)

    assert "انتخب رئيس الاجتماع أولًا" in refused.value.messages[0]
    assert not Decision.objects.exists()


def test_nothing_is_decided_without_the_quorum(secretary):
    meeting = meeting_today(secretary, eligible=20, present=6)
    with_chair(meeting, secretary)
    Registration.objects.filter(meeting=meeting).exclude(member=meeting.chair).delete()  # they left: 1 of 20 now

    with pytest.raises(ValidationError) as refused:
        conduct.enter_counts(item=first_item(meeting), by=secretary, votes_for=1, votes_against=0, abstentions=0)

    assert "النصاب غير مكتمل" in refused.value.messages[0]
    assert not Decision.objects.exists()


def test_two_officers_who_agree_record_the_decision(secretary, second_officer):
    meeting = meeting_today(secretary)
    with_chair(meeting, secretary)
    item = first_item(meeting)

    waiting = conduct.enter_counts(item=item, by=secretary, votes_for=6, votes_against=3, abstentions=1)
    assert not waiting.is_confirmed and waiting.adopted is None

    decided = conduct.enter_counts(item=item, by=second_officer, votes_for=6, votes_against=3, abstentions=1)

    assert decided.is_confirmed and decided.adopted is True
    assert (decided.entered_by, decided.confirmed_by, decided.present) == (secretary, second_officer, 10)


def test_officers_who_disagree_are_told_the_difference_and_nothing_is_confirmed(secretary, second_officer):
    meeting = meeting_today(secretary)
    with_chair(meeting, secretary)
    item = first_item(meeting)
    conduct.enter_counts(item=item, by=secretary, votes_for=6, votes_against=3, abstentions=1)

    with pytest.raises(ValidationError) as refused:
        conduct.enter_counts(item=item, by=second_officer, votes_for=7, votes_against=2, abstentions=1)

    message = refused.value.messages[0]
    assert "تختلف أعدادك عن أعداد المسؤول الأول" in message
    assert "الموافقون: 7 الآن، و6 في الإدخال الأول" in message
    decision = Decision.objects.get()
    assert not decision.is_confirmed and decision.votes_for == 6 and decision.entered_by == secretary


def test_the_same_officer_twice_corrects_their_entry_and_never_confirms_it(secretary):
    meeting = meeting_today(secretary)
    with_chair(meeting, secretary)
    item = first_item(meeting)
    conduct.enter_counts(item=item, by=secretary, votes_for=6, votes_against=3, abstentions=1)

    corrected = conduct.enter_counts(item=item, by=secretary, votes_for=7, votes_against=2, abstentions=1)

    assert not corrected.is_confirmed and corrected.votes_for == 7


@pytest.mark.parametrize(("votes_for", "against", "abstain"), [(6, 4, 1), (11, 0, 0), (-1, 2, 0)])
def test_counts_above_those_present_or_below_zero_are_refused(secretary, votes_for, against, abstain):
    meeting = meeting_today(secretary, eligible=12, present=10)
    with_chair(meeting, secretary)

    with pytest.raises(ValidationError):
        conduct.enter_counts(
            item=first_item(meeting), by=secretary, votes_for=votes_for, votes_against=against, abstentions=abstain
        )

    assert not Decision.objects.exists()


def test_a_tie_needs_the_chairs_vote_and_the_chairs_side_wins(secretary, second_officer):
    meeting = meeting_today(secretary)
    with_chair(meeting, secretary)
    item = first_item(meeting)

    with pytest.raises(ValidationError) as refused:
        conduct.enter_counts(item=item, by=secretary, votes_for=5, votes_against=4, abstentions=1)
    assert "كيف صوّت الرئيس" in refused.value.messages[0]

    conduct.enter_counts(item=item, by=secretary, votes_for=5, votes_against=4, abstentions=1, chair_side="against")
    decided = conduct.enter_counts(
        item=item, by=second_officer, votes_for=5, votes_against=4, abstentions=1, chair_side="against"
    )

    assert decided.adopted is False and decided.chair_side == "against"


def test_someone_who_is_not_an_officer_enters_nothing(secretary, make_user):
    meeting = meeting_today(secretary)
    with_chair(meeting, secretary)
    staff = make_user("staff@example.org", Role.STAFF)

    with pytest.raises(ValidationError):
        conduct.enter_counts(item=first_item(meeting), by=staff, votes_for=6, votes_against=3, abstentions=1)


@pytest.fixture
def governance_supervisor(make_user):
    """A supervisor of the department that handles the Assembly's requests: an officer, and the appeal's mover."""
    user = make_user("secretariat@example.org", Role.SUPERVISOR, first_name="علي", last_name="آل يام")
    department = RequestType.objects.get(code="GOV-03").department
    DepartmentMembership.objects.create(department=department, user=user, is_supervisor=True)
    return user


def appeal_on_agenda(secretary, *, status=Status.IN_PROGRESS):
    meeting = meeting_today(secretary)
    service = RequestType.objects.get(code="GOV-03")
    appellant = MemberFactory(full_name_ar="سالم بن حمد آل مريح", language="ar")
    appeal = ServiceRequestFactory(request_type=service, department=service.department, status=status, member=appellant)
    item = AgendaItem.objects.create(
        meeting=meeting, kind=AgendaItem.Kind.APPEAL, order=9, appeal=appeal, title_ar="تظلم", title_en="Appeal"
    )
    with_chair(meeting, secretary)
    return appeal, item


@pytest.mark.parametrize(
    ("votes_for", "status", "upheld"), [(7, Status.COMPLETED, "قُبل تظلمك."), (2, Status.REJECTED, "لم يُقبل تظلمك.")]
)
def test_the_assemblys_decision_on_an_appeal_reaches_its_request_and_member(
    secretary, governance_supervisor, votes_for, status, upheld
):
    appeal, item = appeal_on_agenda(secretary)
    conduct.enter_counts(item=item, by=secretary, votes_for=votes_for, votes_against=1, abstentions=0)

    conduct.enter_counts(item=item, by=governance_supervisor, votes_for=votes_for, votes_against=1, abstentions=0)

    appeal.refresh_from_db()
    assert appeal.status == status
    assert appeal.outcome.startswith(upheld) and "الجمعية العمومية" in appeal.outcome
    event = appeal.timeline.get(to_status=status)
    assert event.actor == governance_supervisor
    told = Notification.objects.filter(member=appeal.member, event="request_status_changed", channel="inbox").get()
    assert told.key == f"timeline:{event.pk}:inbox"
    assert upheld in told.body and to_hijri(timezone.localdate()).month_name("ar") in told.body


def test_an_appeal_no_officer_may_move_is_not_confirmed(secretary, second_officer):
    appeal, item = appeal_on_agenda(secretary)
    conduct.enter_counts(item=item, by=secretary, votes_for=7, votes_against=1, abstentions=0)

    with pytest.raises(ValidationError) as refused:
        conduct.enter_counts(item=item, by=second_officer, votes_for=7, votes_against=1, abstentions=0)

    assert appeal.reference_no in refused.value.messages[0]
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS
    assert not Decision.objects.get().is_confirmed


def test_closing_needs_every_item_decided_then_holds_the_meeting_once(
    secretary, second_officer, django_capture_on_commit_callbacks, monkeypatch
):
    meeting = meeting_today(secretary, items=1)
    with_chair(meeting, secretary)
    with pytest.raises(ValidationError):
        conduct.close_meeting(meeting=meeting, by=secretary)
    item = first_item(meeting)
    conduct.enter_counts(item=item, by=secretary, votes_for=6, votes_against=3, abstentions=1)
    conduct.enter_counts(item=item, by=second_officer, votes_for=6, votes_against=3, abstentions=1)
    queued = []
    monkeypatch.setattr("assembly.tasks.issue_minutes.apply_async", lambda args: queued.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        conduct.close_meeting(meeting=meeting, by=second_officer)
    with pytest.raises(ValidationError) as again, django_capture_on_commit_callbacks(execute=True):
        conduct.close_meeting(meeting=meeting, by=secretary)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.closed_by == second_officer
    assert "أُغلق الاجتماع من قبل" in again.value.messages[0]
    assert queued == [(meeting.pk,)]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_officers_confirming_at_once_record_the_decision_once(make_user, monkeypatch):
    restore_seed_data()
    secretary = make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")
    second = make_user("board2@example.org", Role.BOARD)
    third = make_user("board3@example.org", Role.BOARD)
    meeting = meeting_today(secretary)
    with_chair(meeting, secretary)
    item = first_item(meeting)
    conduct.enter_counts(item=item, by=secretary, votes_for=6, votes_against=3, abstentions=1)
    real = voting.outcome
    # Each confirmation dwells between reading the first entry and writing the result: without the meeting's lock
    # both would read it unconfirmed and both confirm.
    monkeypatch.setattr(voting, "outcome", lambda **counts: time.sleep(0.5) or real(**counts))

    results = at_once(
        lambda: conduct.enter_counts(item=item, by=second, votes_for=6, votes_against=3, abstentions=1),
        lambda: conduct.enter_counts(item=item, by=third, votes_for=6, votes_against=3, abstentions=1),
    )

    confirmed = [result for result in results if isinstance(result, Decision)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert (len(confirmed), len(refused)) == (1, 1), results
    assert "صدر القرار في هذا البند من قبل" in refused[0].messages[0]
    assert Decision.objects.get().confirmed_by == confirmed[0].confirmed_by
