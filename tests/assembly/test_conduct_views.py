"""The conduct page and its forms: only officers open it; a bad form changes nothing and says why in Arabic."""

import pytest
from django.urls import reverse

from assembly.models import Decision, Meeting
from members.roles import Role
from requests_app.models import DepartmentMembership, RequestType
from tests.assembly.test_conduct import first_item, meeting_today, with_chair

pytestmark = pytest.mark.django_db


def test_only_officers_open_the_meetings_conduct(secretary, client, make_user):
    meeting = meeting_today(secretary)
    url = reverse("assembly:meeting-conduct", args=[meeting.pk])
    member = make_user("member@example.org", Role.MEMBER)
    staff = make_user("staff@example.org", Role.STAFF)
    supervisor = make_user("secretariat@example.org", Role.SUPERVISOR)
    DepartmentMembership.objects.create(
        department=RequestType.objects.get(code="GOV-03").department, user=supervisor, is_supervisor=True
    )

    for user, status in [(member, 403), (staff, 403), (supervisor, 200), (secretary, 200)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(secretary)
    draft = Meeting.objects.create(kind="ordinary", starts_at=meeting.starts_at, created_by=secretary)
    assert client.get(reverse("assembly:meeting-conduct", args=[draft.pk])).status_code == 404


def test_counts_that_do_not_add_up_change_nothing_and_say_why(secretary, client):
    meeting = meeting_today(secretary, present=6, eligible=10)
    with_chair(meeting, secretary)
    item = first_item(meeting)
    client.force_login(secretary)
    prefix = f"item{item.pk}-"

    response = client.post(
        reverse("assembly:item-counts", args=[meeting.pk, item.pk]),
        {prefix + "votes_for": "5", prefix + "votes_against": "2", prefix + "abstentions": "0"},
    )

    assert response.status_code == 400
    assert "أكثر من عدد الحاضرين أصالةً أو وكالةً (6)" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_chair_who_is_not_present_is_refused_beside_the_field(secretary, client):
    meeting = meeting_today(secretary, present=6, eligible=10)
    client.force_login(secretary)

    response = client.post(reverse("assembly:meeting-chair", args=[meeting.pk]), {"membership_no": "0", "votes": "4"})

    assert response.status_code == 400
    assert "لا يوجد عضو حاضر في الاجتماع بهذا الرقم" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.chair_id is None
