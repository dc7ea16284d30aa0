"""The applicant's profile leads to the membership application: the form to apply, then the application made."""

import pytest
from django.urls import reverse

from members.models import Member
from members.roles import Role
from requests_app.models import RequestType, ServiceRequest
from tests.requests_app.factories import MemberFactory, ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant_client(client):
    applicant = MemberFactory(
        membership_no="", status=Member.Status.APPLICANT, user=UserFactory(roles=[Role.APPLICANT])
    )
    client.force_login(applicant.user)
    client.applicant = applicant
    return client


def membership_service() -> RequestType:
    return RequestType.objects.get(kind=RequestType.Kind.MEMBERSHIP_APPLICATION, active=True)


def test_an_applicant_without_an_application_is_offered_the_form(applicant_client):
    page = applicant_client.get(reverse("members:profile")).content.decode()

    assert reverse("requests_app:request-submit", args=[membership_service().code]) in page
    assert "تقديم طلب العضوية" in page


def test_an_applicant_with_an_open_application_is_led_to_it(applicant_client):
    application = ServiceRequestFactory(
        member=applicant_client.applicant,
        request_type=membership_service(),
        status=ServiceRequest.Status.PENDING_BOARD_DECISION,
    )

    page = applicant_client.get(reverse("members:profile")).content.decode()

    assert application.get_absolute_url() in page
    assert application.reference_no in page
    assert reverse("requests_app:request-submit", args=[membership_service().code]) not in page
