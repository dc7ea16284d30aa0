"""The adjourned meeting (issue 17 item 7): when the quorum fails, one action holds the meeting again 15 days later
at 10 %, with the same list, agenda and accepted proxies, and tells every eligible member; refused otherwise."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assembly import adjournment, door, notices, proxies
from assembly.attendance import attendance
from assembly.models import AgendaItem, EligibleMember, Meeting, Proxy
from members.models import Notification
from members.roles import Role
from requests_app.models import RequestType
from tests.assembly.conftest import accept_proxy
from tests.assembly.on_the_day import meeting_today, this_hour
from tests.concurrency import at_once, needs_postgresql
from tests.members.factories import MemberFactory
from tests.requests_app.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    return MemberFactory.create_batch(10, shares=2)


def with_proxies(secretary, members):
    """A meeting today whose members gave proxies before the cut-off: 0→1 accepted, 2→3 offered, 4→5 revoked."""
    meeting = meeting_today(secretary)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + datetime.timedelta(days=5))
    accepted = proxies.appoint(meeting=meeting, principal=members[0], holder_national_id=members[1].national_id)
    accept_proxy(accepted, members[1])
    proxies.appoint(meeting=meeting, principal=members[2], holder_national_id=members[3].national_id)
    revoked = proxies.appoint(meeting=meeting, principal=members[4], holder_national_id=members[5].national_id)
    proxies.revoke(proxy=revoked, principal=members[4])
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=this_hour())
    meeting.refresh_from_db()
    return meeting


def test_a_meeting_without_quorum_meets_again_15_days_later_with_its_list_agenda_and_proxies(
    secretary, members, django_capture_on_commit_callbacks
):
    meeting = with_proxies(secretary, members)
    door.register(meeting=meeting, member=members[9], by=secretary, desk="1")
    assert not attendance(meeting).quorum_met

    with django_capture_on_commit_callbacks(execute=True):
        later = adjournment.adjourn(meeting=meeting, by=secretary)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ADJOURNED
    assert later.status == Meeting.Status.PUBLISHED and later.adjourned_from == meeting
    assert timezone.localtime(later.starts_at) == timezone.localtime(meeting.starts_at) + datetime.timedelta(days=15)
    assert (later.place_ar, later.kind, later.record_date) == (meeting.place_ar, meeting.kind, meeting.record_date)
    assert attendance(later).required_percent == 10
    assert list(later.agenda_items.values_list("order", "kind", "title_ar")) == list(
        meeting.agenda_items.values_list("order", "kind", "title_ar")
    )
    assert set(later.eligible.values_list("member_id", "membership_no", "shares")) == set(
        meeting.eligible.values_list("member_id", "membership_no", "shares")
    )
    carried = list(later.proxies.values_list("principal_id", "holder_id", "status"))
    assert carried == [(members[0].pk, members[1].pk, Proxy.Status.ACCEPTED)]
    told = Notification.objects.filter(event=notices.ADJOURNED_EVENT, channel="inbox", key__contains=f":{later.pk}:")
    assert told.count() == EligibleMember.objects.filter(meeting=later).count() == 10
    assert "لم يكتمل نصابه" in told.first().body
    assert Meeting.objects.get(pk=later.pk).notice_queued_at is not None


def test_an_appeal_on_the_agenda_moves_to_the_later_meeting(secretary, members):
    service = RequestType.objects.get(code="GOV-03")
    appeal = ServiceRequestFactory(request_type=service, department=service.department)
    meeting = meeting_today(secretary)
    assert meeting.agenda_items.filter(appeal=appeal).exists()

    later = adjournment.adjourn(meeting=meeting, by=secretary)

    assert AgendaItem.objects.get(appeal=appeal).meeting == later
    assert meeting.agenda_items.filter(kind=AgendaItem.Kind.APPEAL).count() == 1  # the item stays, its title says which


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("quorum_met", "اكتمل نصاب"),
        ("twice", "مؤجل"),
        ("draft", "مسودة"),
        ("early", "قبل"),
        ("second", "نفسه"),
    ],
)
def test_each_refusal_is_in_arabic_and_changes_nothing(secretary, members, case, message):
    meeting = meeting_today(secretary)
    if case == "quorum_met":
        for member in members[:3]:
            door.register(meeting=meeting, member=member, by=secretary, desk="1")
    if case == "twice":
        adjournment.adjourn(meeting=meeting, by=secretary)
    if case == "draft":
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    if case == "early":
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + datetime.timedelta(hours=2))
    if case == "second":
        meeting = adjournment.adjourn(meeting=meeting, by=secretary)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=this_hour())
    before = list(Meeting.objects.order_by("pk").values_list("pk", "status"))

    with pytest.raises(ValidationError) as refused:
        adjournment.adjourn(meeting=meeting, by=secretary)

    assert message in refused.value.messages[0]
    assert list(Meeting.objects.order_by("pk").values_list("pk", "status")) == before


def test_only_the_board_adjourns(secretary, member_user):
    meeting = meeting_today(secretary)

    with pytest.raises(ValidationError):
        adjournment.adjourn(meeting=meeting, by=member_user)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_board_members_adjourning_at_once_create_one_later_meeting(make_user):
    secretary = make_user("secretary@example.org", Role.BOARD)
    chair = make_user("chair@example.org", Role.BOARD)
    MemberFactory.create_batch(6, shares=2)
    meeting = meeting_today(secretary)

    results = at_once(
        lambda: adjournment.adjourn(meeting=meeting, by=secretary),
        lambda: adjournment.adjourn(meeting=meeting, by=chair),
    )

    assert sorted(type(result).__name__ for result in results) == ["Meeting", "ValidationError"], results
    assert Meeting.objects.filter(adjourned_from=meeting).count() == 1
    assert Notification.objects.filter(event=notices.ADJOURNED_EVENT, channel="inbox").count() == 6
