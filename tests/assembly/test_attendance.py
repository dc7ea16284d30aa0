"""Attendance and quorum: one definition, checked against a count made member by member."""

import pytest
from django.utils import timezone

from assembly.attendance import attendance
from assembly.models import EligibleMember, Meeting, Proxy, Registration
from tests.assembly.conftest import draft_meeting
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def meeting_of(secretary, members, **fields):
    """A published meeting whose eligible list is exactly these members (written as publishing writes it)."""
    meeting = draft_meeting(secretary)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.PUBLISHED, published_at=timezone.now(), record_date=timezone.localdate(), **fields
    )
    meeting.refresh_from_db()
    EligibleMember.objects.bulk_create(
        EligibleMember(meeting=meeting, member=member, membership_no=member.membership_no, shares=member.shares)
        for member in members
    )
    return meeting


def by_hand(members, present, proxies):
    """Count member by member: present in person, else represented by an accepted holder who is present."""
    holder_of = {principal: holder for principal, holder, status in proxies if status == Proxy.Status.ACCEPTED}
    counted = sum(1 for m in members if m in present or (m in holder_of and holder_of[m] in present))
    return counted


def test_members_count_once_in_person_or_through_a_present_holder(secretary):
    members = MemberFactory.create_batch(12, shares=2)
    meeting = meeting_of(secretary, members)
    present = set(members[3:8])
    proxies = []
    others = [m for m in members if m not in present]
    # Holders: two present (their principals count), one absent (theirs does not); one offer never accepted.
    for holder, principal, status in [
        (sorted(present, key=lambda m: m.pk)[0], others[0], Proxy.Status.ACCEPTED),
        (sorted(present, key=lambda m: m.pk)[1], others[1], Proxy.Status.ACCEPTED),
        (others[2], others[3], Proxy.Status.ACCEPTED),
        (sorted(present, key=lambda m: m.pk)[2], others[4], Proxy.Status.OFFERED),
    ]:
        Proxy.objects.create(meeting=meeting, principal=principal, holder=holder, status=status)
        proxies.append((principal, holder, status))
    for member in present:
        Registration.objects.create(meeting=meeting, member=member, registered_by=secretary)

    seen = attendance(meeting)

    assert (seen.eligible, seen.present, seen.represented) == (12, 5, 2)
    assert seen.counted == by_hand(members, present, proxies) == 7


@pytest.mark.parametrize(
    ("kind", "adjourned", "eligible", "counted", "met"),
    [
        ("ordinary", False, 100, 25, True),
        ("ordinary", False, 100, 24, False),
        ("ordinary", False, 10, 3, True),  # 25 % of 10 is 2.5: three members make it, two do not
        ("ordinary", False, 10, 2, False),
        ("ordinary", True, 100, 10, True),
        ("ordinary", True, 100, 9, False),
        ("extraordinary", False, 10, 6, True),
        ("extraordinary", False, 10, 5, False),  # half is not a majority
    ],
)
def test_the_quorum_follows_the_law_for_the_kind_of_meeting(secretary, kind, adjourned, eligible, counted, met):
    members = MemberFactory.create_batch(eligible, shares=1)
    fields = {"kind": kind}
    if adjourned:
        fields["adjourned_from"] = draft_meeting(secretary)
    meeting = meeting_of(secretary, members, **fields)
    for member in members[:counted]:
        Registration.objects.create(meeting=meeting, member=member, registered_by=secretary)

    seen = attendance(meeting)

    assert seen.quorum_met is met
    percent = 10 if adjourned else 25
    assert seen.quorum_met is (counted * 100 >= eligible * percent if kind == "ordinary" else counted * 2 > eligible)


def test_an_empty_list_never_has_a_quorum(secretary):
    meeting = meeting_of(secretary, [])

    assert attendance(meeting).quorum_met is False
