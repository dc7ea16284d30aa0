"""An answer keeps a dimension only when at least five answered invitations share it with the answer: else the join of
responses to invitations would narrow it to fewer than five members (surveys.services.coarsening)."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from members.models import Governorate
from surveys import services
from surveys.models import Invitation, Response
from tests.surveys.factories import MemberFactory, closed_request, invitation_for

pytestmark = pytest.mark.django_db

ANSWER = {"overall": "2", "speed": "2", "clarity": "3", "courtesy": "2", "ease": "3", "recommend": "4"}


def answer(client, invitation: Invitation, comment: str = "") -> Response:
    client.post(
        reverse("surveys:survey-answer", args=[services.invitation_token(invitation)]), {**ANSWER, "comment": comment}
    )
    return Response.objects.get(comment=comment) if comment else None


def like(first, *, governorate=Governorate.NAJRAN, **fields):
    """A closed request of the same service and department as `first`, by a member of the given governorate."""
    return closed_request(
        request_type=first.request_type,
        department=first.department,
        member=MemberFactory(governorate=governorate),
        **fields,
    )


def test_the_first_answer_of_its_kind_keeps_only_its_month_and_ratings(client):
    service_request = closed_request()

    response = answer(client, invitation_for(service_request), "وحيد")

    assert (response.request_type_id, response.department_id, response.governorate) == (None, None, "")
    assert (response.channel, response.outcome) == ("", "")
    assert (response.overall, response.month.day) == (2, 1)


def test_the_governorate_goes_first_when_only_it_is_rare(client):
    first = closed_request(member=MemberFactory(governorate=Governorate.SHARURAH))
    for _ in range(4):
        answer(client, invitation_for(like(first)))

    response = answer(client, invitation_for(first), "من شرورة")

    assert response.governorate == ""  # the only answer from Sharurah
    assert (response.request_type_id, response.department_id) == (first.request_type_id, first.department_id)
    assert (response.channel, response.outcome) == (first.channel, first.status)


def test_five_alike_keep_everything(client):
    first = closed_request()
    for _ in range(4):
        answer(client, invitation_for(like(first)))

    response = answer(client, invitation_for(first), "خامس")

    assert response.governorate == first.member.governorate
    assert (response.request_type_id, response.department_id) == (first.request_type_id, first.department_id)


def test_unanswered_invitations_and_those_older_than_last_month_do_not_count(client):
    first = closed_request()
    for _ in range(2):
        answer(client, invitation_for(like(first)))
    for _ in range(2):
        invitation_for(like(first))  # invited, not answered
    for _ in range(3):
        invitation = invitation_for(like(first))
        answer(client, invitation)
        Invitation.objects.filter(pk=invitation.pk).update(created_at=F("created_at") - datetime.timedelta(days=70))

    response = answer(client, invitation_for(first), "ثلاثة فقط")

    assert (response.request_type_id, response.department_id, response.governorate) == (None, None, "")
