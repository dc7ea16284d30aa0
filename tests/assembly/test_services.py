"""Drafting a meeting and publishing its notice: the 15-day rule, the eligibility snapshot, once only."""

import pytest
from django.core.exceptions import ValidationError

from assembly import services
from assembly.models import EligibleMember, Meeting
from members.models import Member, Notification
from members.roles import Role
from tests.assembly.conftest import days_from_now, draft_meeting
from tests.concurrency import at_once, needs_postgresql
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_drafted_meeting_is_held_at_the_headquarters_without_remote_attendance_by_default(secretary, settings):
    settings.ASSEMBLY_REMOTE_ATTENDANCE = False

    meeting = services.create_meeting(
        by=secretary, kind="ordinary", starts_at=days_from_now(30), remote_attendance=True
    )

    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.place_ar == settings.ASSEMBLY_HEADQUARTERS_AR
    assert meeting.remote_attendance is False


def test_remote_attendance_is_offered_when_the_cooperative_allows_it(secretary, settings):
    settings.ASSEMBLY_REMOTE_ATTENDANCE = True

    meeting = services.create_meeting(
        by=secretary, kind="extraordinary", starts_at=days_from_now(30), remote_attendance=True
    )

    assert meeting.remote_attendance is True


def test_only_the_board_drafts_a_meeting(make_user):
    staff = make_user("clerk@example.org", Role.STAFF)

    with pytest.raises(ValidationError):
        services.create_meeting(by=staff, kind="ordinary", starts_at=days_from_now(30))

    assert not Meeting.objects.exists()


def test_agenda_items_are_numbered_in_order_and_renumbered_when_one_is_removed(secretary):
    meeting = draft_meeting(secretary, items=3)
    first = meeting.agenda_items.order_by("order").first()

    services.remove_agenda_item(item=first, by=secretary)

    assert list(meeting.agenda_items.order_by("order").values_list("order", flat=True)) == [1, 2]


def test_publishing_less_than_15_days_ahead_is_refused_in_arabic_and_changes_nothing(secretary):
    MemberFactory(shares=5)
    meeting = draft_meeting(secretary, days=14)

    with pytest.raises(ValidationError) as refused:
        services.publish_notice(meeting=meeting, by=secretary)

    assert "15 يومًا على الأقل" in refused.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT and meeting.record_date is None
    assert not EligibleMember.objects.exists()
    assert not Notification.objects.exists()


def test_publishing_exactly_15_days_ahead_is_accepted(secretary, django_capture_on_commit_callbacks):
    MemberFactory(shares=5)
    meeting = draft_meeting(secretary, days=15)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_notice(meeting=meeting, by=secretary) == 1


def test_publishing_without_an_agenda_is_refused(secretary):
    meeting = draft_meeting(secretary, items=0)

    with pytest.raises(ValidationError):
        services.publish_notice(meeting=meeting, by=secretary)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_the_eligible_list_is_the_active_members_with_shares_on_the_record_date(
    secretary, django_capture_on_commit_callbacks
):
    active = MemberFactory(shares=4)
    MemberFactory(shares=0)
    MemberFactory(shares=3, status=Member.Status.SUSPENDED)
    MemberFactory(shares=3, status=Member.Status.WITHDRAWN, membership_no="")
    meeting = draft_meeting(secretary)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED and meeting.record_date is not None
    assert list(meeting.eligible.values_list("member_id", "shares")) == [(active.pk, 4)]


def test_a_member_withdrawn_after_the_record_date_stays_on_the_list_and_is_shown_as_changed(
    secretary, django_capture_on_commit_callbacks
):
    from assembly import selectors

    leaving = MemberFactory(shares=4)
    meeting = draft_meeting(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)

    Member.objects.filter(pk=leaving.pk).update(status=Member.Status.WITHDRAWN)

    assert meeting.eligible.filter(member=leaving).exists()
    assert [row.member_id for row in selectors.changed_since_record_date(meeting)] == [leaving.pk]


def test_a_published_meeting_is_not_published_again_nor_its_agenda_changed(
    secretary, django_capture_on_commit_callbacks
):
    MemberFactory(shares=4)
    meeting = draft_meeting(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)

    with pytest.raises(ValidationError):
        services.publish_notice(meeting=meeting, by=secretary)
    with pytest.raises(ValidationError):
        services.add_agenda_item(meeting=meeting, by=secretary, kind="appeal", title_ar="تظلم", title_en="Appeal")

    assert EligibleMember.objects.filter(meeting=meeting).count() == 1
    assert meeting.agenda_items.count() == 2


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_board_members_publishing_at_once_write_the_list_and_the_notice_once(make_user):
    secretary = make_user("secretary@example.org", Role.BOARD)
    chair = make_user("chair@example.org", Role.BOARD)
    members = [MemberFactory(shares=2, email=f"m{n}@example.org", email_consent=True) for n in range(5)]
    meeting = draft_meeting(secretary)

    results = at_once(
        lambda: services.publish_notice(meeting=meeting, by=secretary),
        lambda: services.publish_notice(meeting=meeting, by=chair),
    )

    published = [result for result in results if result == len(members)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert (len(published), len(refused)) == (1, 1), results
    assert EligibleMember.objects.filter(meeting=meeting).count() == len(members)
    # inbox, SMS and e-mail for each member, once
    notices = Notification.objects.filter(event="assembly_notice")
    assert notices.count() == 3 * len(members)
    assert notices.filter(channel="inbox").values("member").distinct().count() == len(members)
