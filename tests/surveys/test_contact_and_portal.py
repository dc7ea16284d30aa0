"""After a low rating, the member may ask to be contacted; and any closed request can be rated from its page."""

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from requests_app.models import RequestType, ServiceRequest
from surveys import services
from surveys.models import Invitation, Response
from tests.concurrency import at_once, needs_postgresql, raised
from tests.seed_data import restore_seed_data
from tests.surveys.factories import (
    MemberFactory,
    ServiceRequestFactory,
    age,
    closed_request,
    invitation_for,
)

pytestmark = pytest.mark.django_db

ANSWER = {"overall": "1", "speed": "1", "recommend": "0"}


def _link(invitation: Invitation) -> str:
    return reverse("surveys:survey-answer", args=[services.invitation_token(invitation)])


def _offer_from(page) -> str:
    html = page.content.decode()
    marker = 'name="offer" value="'
    assert marker in html, "no contact offer on the page"
    return html.split(marker, 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("overall", ["1", "2", "3", "4", "5"])
def test_every_rating_is_followed_by_the_offer_to_be_contacted(client, overall):
    # Offered after a low rating only, accepting it would tell staff the rating was low.
    invitation = invitation_for(closed_request())

    page = client.post(_link(invitation), {**ANSWER, "overall": overall})

    assert "نعم، تواصلوا معي" in page.content.decode()
    assert 'name="offer"' in page.content.decode()


def test_the_offer_says_what_staff_will_see(client):
    invitation = invitation_for(closed_request())

    html = client.post(_link(invitation), {**ANSWER, "overall": "5"}).content.decode()

    assert "سيرى الموظفون اسمك ورقم الطلب الذي قيّمته وأنك طلبت التواصل" in html
    assert "ولن يروا تقييمك ولا تعليقك" in html


def test_the_complaint_opened_after_a_good_rating_reads_like_one_after_a_bad_rating(client):
    texts = []
    for overall in ("1", "5"):
        invitation = invitation_for(closed_request())
        offer = _offer_from(client.post(_link(invitation), {**ANSWER, "overall": overall}))
        client.post(reverse("surveys:contact-accept"), {"offer": offer})
        invitation.refresh_from_db()
        complaint = invitation.contact_request
        rated = invitation.service_request.reference_no
        texts.append([(a["key"], str(a["value"]).replace(rated, "REF")) for a in complaint.answers])

    assert texts[0] == texts[1]


def test_declining_opens_nothing(client):
    invitation = invitation_for(closed_request())
    requests_before = ServiceRequest.objects.count()

    client.post(_link(invitation), ANSWER)

    assert ServiceRequest.objects.count() == requests_before
    invitation.refresh_from_db()
    assert invitation.contact_request is None


def test_accepting_opens_a_complaint_in_the_members_name_linked_to_the_rated_request(client):
    rated = closed_request()
    invitation = invitation_for(rated)
    offer = _offer_from(client.post(_link(invitation), ANSWER))

    page = client.post(reverse("surveys:contact-accept"), {"offer": offer})

    invitation.refresh_from_db()
    complaint = invitation.contact_request
    assert page.status_code == 200
    assert complaint.reference_no in page.content.decode()
    assert complaint.member == rated.member
    assert complaint.request_type.kind == RequestType.Kind.COMPLAINT
    assert rated.reference_no in [answer["value"] for answer in complaint.answers]
    assert not any(str(answer["value"]) == "1" for answer in complaint.answers)  # the rating is not copied


def test_the_response_stays_anonymous_after_the_member_accepts(client):
    invitation = invitation_for(closed_request())
    offer = _offer_from(client.post(_link(invitation), ANSWER))

    client.post(reverse("surveys:contact-accept"), {"offer": offer})

    response = Response.objects.get()
    assert {field.name for field in response._meta.get_fields() if field.is_relation} == {
        "questionnaire_version",
        "request_type",
        "department",
    }


def test_accepting_twice_opens_one_complaint(client):
    invitation = invitation_for(closed_request())
    offer = _offer_from(client.post(_link(invitation), ANSWER))
    client.post(reverse("surveys:contact-accept"), {"offer": offer})
    complaints = ServiceRequest.objects.filter(request_type__kind=RequestType.Kind.COMPLAINT).count()

    client.post(reverse("surveys:contact-accept"), {"offer": offer})

    assert ServiceRequest.objects.filter(request_type__kind=RequestType.Kind.COMPLAINT).count() == complaints == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_accepted_four_times_at_once_one_complaint_is_opened(client):
    """A member who taps «تواصلوا معي» on two devices, or twice on a slow line, gets one complaint, not four."""
    restore_seed_data()  # the complaint service and the questionnaire, after an earlier transactional test
    invitation = invitation_for(closed_request())
    offer = _offer_from(client.post(_link(invitation), ANSWER))

    results = at_once(*[lambda: services.request_contact(offer=offer)] * 4)

    assert raised(results) == []
    assert len({complaint.pk for complaint in results}) == 1
    assert ServiceRequest.objects.filter(request_type__kind=RequestType.Kind.COMPLAINT).count() == 1
    invitation.refresh_from_db()
    assert invitation.contact_request_id == results[0].pk


@pytest.mark.parametrize("offer", ["", "forged", "abc:def:ghi"])
def test_a_forged_offer_is_refused_with_a_clear_page(client, offer):
    page = client.post(reverse("surveys:contact-accept"), {"offer": offer})

    assert page.status_code == 404
    assert "رابط الاستبانة غير صالح" in page.content.decode()
    assert not ServiceRequest.objects.filter(request_type__kind=RequestType.Kind.COMPLAINT).exists()


def test_an_offer_for_an_unanswered_invitation_is_refused(client):
    invitation = invitation_for(closed_request())
    offer = signing.dumps(invitation.key.hex, salt=services.CONTACT_OFFER_SALT)

    page = client.post(reverse("surveys:contact-accept"), {"offer": offer})

    assert page.status_code == 404


# --- Rating from the request page --------------------------------------------------------------------------------


def test_a_member_rates_a_completed_request_from_its_page_even_after_opting_out(client):
    member = MemberFactory(surveys_opt_out=True)
    service_request = closed_request(member=member)
    client.force_login(member.user)
    url = reverse("surveys:request-rate", args=[service_request.reference_no])

    assert client.get(url).status_code == 200
    client.post(url, {"overall": "5"})

    assert Response.objects.get().overall == 5
    assert Invitation.objects.get(service_request=service_request).answered


def test_rating_from_the_page_answers_the_invitation_sent_by_sms(client):
    service_request = closed_request()
    invitation = invitation_for(service_request)
    client.force_login(service_request.member.user)

    client.post(reverse("surveys:request-rate", args=[service_request.reference_no]), {"overall": "4"})
    again = client.get(_link(invitation))

    assert again.status_code == 409
    assert Response.objects.count() == 1


def test_another_members_request_cannot_be_rated_from_the_page(client):
    service_request = closed_request()
    client.force_login(MemberFactory().user)

    page = client.get(reverse("surveys:request-rate", args=[service_request.reference_no]))

    assert page.status_code == 404


def test_an_open_request_cannot_be_rated(client):
    service_request = ServiceRequestFactory(status=ServiceRequest.Status.IN_PROGRESS)
    client.force_login(service_request.member.user)

    page = client.get(reverse("surveys:request-rate", args=[service_request.reference_no]))

    assert page.status_code == 404


def test_the_rate_button_shows_for_the_owner_of_a_closed_request_only(rf):
    from django.template.loader import render_to_string

    service_request = closed_request()
    request = rf.get("/")
    request.user = service_request.member.user

    html = render_to_string("surveys/_rate_button.html", {"service_request": service_request, "request": request})
    request.user = MemberFactory().user
    other = render_to_string("surveys/_rate_button.html", {"service_request": service_request, "request": request})

    assert reverse("surveys:request-rate", args=[service_request.reference_no]) in html
    assert other.strip() == ""


def test_the_request_page_offers_the_rating_and_then_thanks(client):
    service_request = closed_request()
    client.force_login(service_request.member.user)
    detail = reverse("requests_app:request-detail", args=[service_request.reference_no])
    rate = reverse("surveys:request-rate", args=[service_request.reference_no])

    before = client.get(detail).content.decode()
    client.post(rate, {"overall": "5"})
    after = client.get(detail).content.decode()

    assert rate in before
    assert rate not in after and "قيّمت هذا الطلب. شكرًا لك!" in after


# --- Opening a page never writes: only the member's answer does --------------------------------------------------


def test_opening_the_rating_page_of_a_request_creates_no_invitation(client):
    service_request = closed_request()
    client.force_login(service_request.member.user)

    page = client.get(reverse("surveys:request-rate", args=[service_request.reference_no]))

    assert page.status_code == 200
    assert 'name="overall"' in page.content.decode()
    assert not Invitation.objects.exists()


def test_opening_the_rating_page_does_not_renew_an_expired_link(client):
    service_request = closed_request()
    invitation = age(invitation_for(service_request), days=40)
    client.force_login(service_request.member.user)

    client.get(reverse("surveys:request-rate", args=[service_request.reference_no]))

    invitation.refresh_from_db()
    assert invitation.expires_at < timezone.now()


def test_opening_a_survey_link_writes_nothing(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    invitation = invitation_for(closed_request())

    with CaptureQueriesContext(connection) as queries:
        page = client.get(_link(invitation))

    assert page.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
