"""The secretary's pages and the member's: who may open them, and what a refusal says."""

import pytest
from django.urls import reverse

from assembly import services
from assembly.models import Meeting
from members.models import Member
from tests.assembly.conftest import days_from_now, draft_meeting
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


def test_the_secretary_drafts_a_meeting_and_its_agenda_on_the_portal(secretary_client):
    day = days_from_now(30)

    response = secretary_client.post(
        reverse("assembly:meeting-create"),
        {"kind": "ordinary", "date": day.date().isoformat(), "time": "16:00", "place_ar": "", "place_en": ""},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    secretary_client.post(
        meeting.get_absolute_url(), {"kind": "accounts", "title_ar": "الحسابات الختامية", "title_en": "Final accounts"}
    )

    page = secretary_client.get(meeting.get_absolute_url())
    assert "الحسابات الختامية" in page.content.decode()
    assert meeting.agenda_items.get().order == 1


def test_publishing_too_late_shows_the_arabic_refusal_and_publishes_nothing(secretary_client, secretary):
    meeting = draft_meeting(secretary, days=10)

    response = secretary_client.post(reverse("assembly:meeting-publish", args=[meeting.pk]), follow=True)

    assert "15 يومًا على الأقل" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_members_and_staff_cannot_open_the_secretarys_pages(member_client, secretary):
    meeting = draft_meeting(secretary)

    for url in [
        reverse("assembly:meeting-list"),
        reverse("assembly:meeting-create"),
        meeting.get_absolute_url(),
        reverse("assembly:meeting-publish", args=[meeting.pk]),
    ]:
        assert member_client.get(url).status_code in (403, 405)


def test_a_member_reads_the_next_meeting_on_their_home_and_a_member_not_eligible_does_not(
    client, member_user, secretary, django_capture_on_commit_callbacks
):
    eligible = MemberFactory(user=member_user, shares=3)
    meeting = draft_meeting(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)
    client.force_login(member_user)

    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="next-meeting"' in home and "البند 1: تقرير مجلس الإدارة" in home
    assert client.get(reverse("assembly:meeting-member", args=[meeting.pk])).status_code == 200

    Member.objects.filter(pk=eligible.pk).update(user=None)
    assert client.get(reverse("assembly:meeting-member", args=[meeting.pk])).status_code == 404
    assert 'data-testid="next-meeting"' not in client.get(reverse("home")).content.decode()


def test_the_home_panel_shows_the_first_five_items_and_says_where_the_whole_agenda_is(
    client, member_user, secretary, django_capture_on_commit_callbacks
):
    MemberFactory(user=member_user, shares=3)
    meeting = draft_meeting(secretary, items=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)
    client.force_login(member_user)

    home = client.get(reverse("home")).content.decode()
    page = client.get(reverse("assembly:meeting-member", args=[meeting.pk])).content.decode()

    assert "البند 5:" in home and "البند 6:" not in home
    assert "جدول الأعمال كاملًا (7 بنود) في صفحة الاجتماع." in home
    assert "البند 7:" in page and "جدول الأعمال كاملًا" not in page


def test_a_draft_is_not_shown_to_members(member_client, member_user, secretary):
    MemberFactory(user=member_user, shares=3)
    meeting = draft_meeting(secretary)

    assert member_client.get(reverse("assembly:meeting-member", args=[meeting.pk])).status_code == 404


def test_a_draft_has_no_members_page_even_for_the_board_until_its_notice_is_out(secretary_client, secretary):
    meeting = draft_meeting(secretary)
    url = reverse("assembly:meeting-member", args=[meeting.pk])

    assert secretary_client.get(url).status_code == 404
    services.publish_notice(meeting=meeting, by=secretary)
    assert secretary_client.get(url).status_code == 200


def test_the_delivery_list_names_the_members_not_reached(
    secretary_client, secretary, django_capture_on_commit_callbacks
):
    MemberFactory(shares=3, full_name_ar="عضو بلا قناة", sms_consent=False)
    MemberFactory(shares=3, full_name_ar="عضو وصله النص")
    meeting = draft_meeting(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)

    page = secretary_client.get(reverse("assembly:meeting-delivery", args=[meeting.pk])).content.decode()

    assert "عضو بلا قناة" in page and "عضو وصله النص" not in page


def test_each_mobile_shown_for_a_phone_call_is_written_to_the_access_log(
    secretary_client, secretary, django_capture_on_commit_callbacks
):
    from members.models import AccessLog

    unreached = MemberFactory(shares=3, sms_consent=False)
    MemberFactory(shares=3)
    meeting = draft_meeting(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)

    secretary_client.get(reverse("assembly:meeting-delivery", args=[meeting.pk]))

    lines = AccessLog.objects.filter(viewer=secretary)
    assert list(lines.values_list("member_id", "action", "detail")) == [(unreached.pk, "revealed", "mobile")]


def test_the_delivery_list_reads_in_a_few_queries_however_many_members_it_shows(
    secretary_client, secretary, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    MemberFactory.create_batch(15, shares=3, sms_consent=False)
    meeting = draft_meeting(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)
    url = reverse("assembly:meeting-delivery", args=[meeting.pk])

    # session, user, roles, second factor, meeting, eligible rows with members, notices, access-log insert, messages
    with django_assert_max_num_queries(12):
        page = secretary_client.get(url)

    assert page.content.decode().count('href="tel:') == 15


def test_the_secretary_corrects_a_drafts_date_and_place_but_not_a_published_ones(
    secretary_client, secretary, django_capture_on_commit_callbacks
):
    meeting = draft_meeting(secretary)
    day = days_from_now(40)
    edit = reverse("assembly:meeting-edit", args=[meeting.pk])

    assert secretary_client.get(edit).status_code == 200
    secretary_client.post(
        edit, {"kind": "ordinary", "date": day.date().isoformat(), "time": "10:00", "place_ar": "قاعة", "place_en": ""}
    )
    meeting.refresh_from_db()
    assert meeting.starts_at == day.replace(hour=10) and meeting.place_ar == "قاعة"
    assert meeting.place_en == "The cooperative's headquarters, Najran"

    MemberFactory(shares=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)
    response = secretary_client.post(
        edit, {"kind": "ordinary", "date": days_from_now(50).date().isoformat(), "time": "10:00"}, follow=True
    )
    meeting.refresh_from_db()
    assert meeting.starts_at == day.replace(hour=10)
    assert "لم يعد تغيير موعده" in response.content.decode()
