"""The day's pages: who sees the pass, the desk and the quorum panel, and what the desk answers (htmx fragments)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assembly import notices, passes
from assembly.models import Meeting, Registration
from members.models import Member, Notification
from members.roles import Role
from tests.assembly.on_the_day import meeting_today
from tests.members.factories import MemberFactory, member_account

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(user) -> Client:
    """A client of one's own: the `client` fixture is one object, and signing a second person in on it would sign
    the first out."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(make_user):
    return signed_in(make_user("desk@example.org", Role.STAFF))


@pytest.fixture
def board_client(secretary):
    return signed_in(secretary)


@pytest.fixture
def outsider_client(member_user):
    return signed_in(member_user)


def test_the_member_sees_their_pass_with_its_qr_and_code_and_never_another_s(client, secretary):
    saad = member_account(shares=3)
    meeting = meeting_today(secretary)
    outsider = member_account(shares=3)  # joined after the record date: not on the list
    client.force_login(saad.user)

    page = client.get(reverse("assembly:meeting-pass", args=[meeting.pk]))

    assert page.status_code == 200
    assert passes.short_code(meeting, meeting.eligible.get(member=saad)) in page.content.decode()
    assert "data:image/svg+xml" in page.content.decode()
    assert saad.national_id not in page.content.decode()
    client.force_login(outsider.user)
    assert client.get(reverse("assembly:meeting-pass", args=[meeting.pk])).status_code == 404


def test_the_pass_needs_sign_in_and_an_adjourned_meeting_s_pass_leads_to_the_later_one(client, secretary):
    saad = member_account(shares=3)
    meeting = meeting_today(secretary)
    url = reverse("assembly:meeting-pass", args=[meeting.pk])

    assert client.get(url).status_code == 302 and "/accounts/login/" in client.get(url).url
    later = Meeting.objects.create(
        kind=meeting.kind,
        starts_at=meeting.starts_at + datetime.timedelta(days=15),
        status=Meeting.Status.PUBLISHED,
        created_by=secretary,
        published_at=timezone.now(),
        record_date=meeting.record_date,
        adjourned_from=meeting,
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.ADJOURNED)
    client.force_login(saad.user)
    assert client.get(url).url == reverse("assembly:meeting-pass", args=[later.pk])


def test_the_desk_is_for_staff_and_the_board(secretary, staff_client, board_client, outsider_client):
    meeting = meeting_today(secretary)
    url = reverse("assembly:door-desk", args=[meeting.pk])

    assert staff_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 403
    assert board_client.get(url).status_code == 200


def test_the_desk_registers_by_code_then_says_already_registered(staff_client, secretary):
    saad = MemberFactory(shares=3, full_name_ar="سعد بن محمد آل مريح")
    meeting = meeting_today(secretary)
    code = passes.short_code(meeting, meeting.eligible.get(member=saad))
    url = reverse("assembly:door-register", args=[meeting.pk])

    first = staff_client.post(url, {"code": code, "desk": "2"}, **HTMX)
    second = staff_client.post(url, {"code": code, "desk": "3"}, **HTMX)

    assert "تم التسجيل" in first.content.decode() and "سعد بن محمد آل مريح" in first.content.decode()
    assert "<html" not in first.content.decode()  # the fragment only
    assert "مسجّل مسبقًا" in second.content.decode()
    assert Registration.objects.get(meeting=meeting, member=saad).desk == "2"


def test_the_desk_refuses_a_pass_for_another_meeting_and_changes_nothing(staff_client, secretary):
    saad = MemberFactory(shares=3)
    meeting, other = meeting_today(secretary), meeting_today(secretary)

    answer = staff_client.post(
        reverse("assembly:door-register", args=[meeting.pk]), {"token": passes.token(other, saad)}, **HTMX
    )

    assert "لاجتماع آخر" in answer.content.decode()
    assert not Registration.objects.exists()


def test_the_search_shows_only_the_name_and_membership_number(staff_client, secretary):
    saad = MemberFactory(shares=3, full_name_ar="سعد بن محمد آل مريح", email="saad@example.org")
    meeting = meeting_today(secretary)

    found = staff_client.post(
        reverse("assembly:door-search", args=[meeting.pk]), {"q": saad.national_id}, **HTMX
    ).content.decode()

    assert "سعد بن محمد آل مريح" in found and saad.membership_no in found
    assert str(saad.mobile) not in found and "saad@example.org" not in found
    assert f'value="{saad.pk}"' in found
    missing = staff_client.post(reverse("assembly:door-search", args=[meeting.pk]), {"q": "12345"}, **HTMX)
    assert "لا يوجد عضو" in missing.content.decode()


def test_the_quorum_panel_answers_nothing_new_while_the_figures_stand(secretary, staff_client, board_client):
    saad = MemberFactory(shares=3)
    meeting = meeting_today(secretary)
    url = reverse("assembly:meeting-quorum", args=[meeting.pk])
    client = board_client

    assert staff_client.get(url).status_code == 403
    page = client.get(url)
    state = page.context["state"]
    assert client.get(url, {"seen": state}, **HTMX).status_code == 204
    Registration.objects.create(meeting=meeting, member=saad, registered_by=secretary)
    changed = client.get(url, {"seen": state}, **HTMX)
    assert changed.status_code == 200 and "aria-live" not in changed.content.decode()
    assert 'data-testid="quorum-present">1<' in changed.content.decode()


def test_the_board_adjourns_from_the_meeting_page_and_a_refusal_is_shown(secretary, board_client, outsider_client):
    MemberFactory.create_batch(4, shares=2)
    meeting = meeting_today(secretary)
    client = board_client
    url = reverse("assembly:meeting-adjourn", args=[meeting.pk])

    assert outsider_client.post(url).status_code == 403
    assert "أجّل الاجتماع لعدم اكتمال النصاب" in client.get(meeting.get_absolute_url()).content.decode()
    answer = client.post(url, follow=True)
    later = Meeting.objects.get(adjourned_from=meeting)
    assert answer.redirect_chain[-1][0] == later.get_absolute_url()
    again = client.post(url, follow=True)
    assert "مؤجل من قبل" in again.content.decode()


def test_the_reminder_links_to_the_pass(secretary, django_capture_on_commit_callbacks):
    member_account(shares=3)
    meeting = meeting_today(secretary)
    tomorrow_noon = datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=1), datetime.time(12))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.make_aware(tomorrow_noon))  # tomorrow at any hour

    notices.send_reminders(today=timezone.localdate())

    reminder = Notification.objects.filter(event="assembly_reminder", channel="inbox").first()
    assert reminder is not None and reminder.link == reverse("assembly:meeting-pass", args=[meeting.pk])
    assert Member.objects.count() == 1
