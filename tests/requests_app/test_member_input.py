"""What members type reaches staff as typed: a NUL is refused before anything is stored, and invisible
direction controls (an RLO that makes «ﻉﺮﻓ» read backwards) are removed on the way in and isolated on staff pages."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_app import services
from requests_app.models import Draft, RequestField, ServiceRequest, TimelineEvent
from surveys.forms import SurveyForm
from surveys.models import QuestionnaireVersion
from tests.requests_app.factories import PDF_BYTES, RequestFieldFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db

RLO, PDF_MARK, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"


def _submit(client, request_type, **answers):
    deed = SimpleUploadedFile("deed.pdf", PDF_BYTES, content_type="application/pdf")
    data = {"token": str(uuid.uuid4()), "seedlings": "40", f"document_{request_type.documents.get().pk}": deed}
    return client.post(reverse("requests_app:request-submit", args=[request_type.code]), {**data, **answers})


def test_nul_in_an_answer_of_a_request_form_with_files_is_a_clear_400_and_keeps_no_draft(member_client, request_type):
    response = _submit(member_client, request_type, seedlings="4\x000")

    assert response.status_code == 400
    assert "400_nul.html" in [template.name for template in response.templates]
    assert not Draft.objects.exists()
    assert not ServiceRequest.objects.exists()


def test_nul_in_a_message_to_staff_is_a_clear_400(member_client, member):
    service_request = ServiceRequestFactory(member=member)

    response = member_client.post(
        reverse("requests_app:request-message", args=[service_request.reference_no]), {"text": "مرحبا\x00"}
    )

    assert response.status_code == 400
    assert not service_request.timeline.exists()


def test_direction_controls_are_removed_from_a_requests_answers(member_client, member, request_type):
    RequestFieldFactory(request_type=request_type, key="variety", field_type=RequestField.FieldType.TEXT)

    response = _submit(member_client, request_type, variety=f"خولاني{RLO}txe.fdp{PDF_MARK} {LRI}x{PDI}")

    assert response.status_code == 302
    answers = {answer["key"]: answer for answer in ServiceRequest.objects.get().answers}
    assert answers["variety"]["value"] == "خولانيtxe.fdp x"
    assert answers["variety"]["display_ar"] == "خولانيtxe.fdp x"


def test_direction_controls_are_removed_from_a_members_message(member_client, member):
    service_request = ServiceRequestFactory(member=member)

    member_client.post(
        reverse("requests_app:request-message", args=[service_request.reference_no]),
        {"text": f"أرجو {RLO}٣٢١{PDF_MARK} شتلة\u200f"},
    )

    assert service_request.timeline.get(kind=TimelineEvent.Kind.MEMBER_MESSAGE).note == "أرجو ٣٢١ شتلة"


def test_direction_controls_are_removed_from_a_survey_comment():
    version = QuestionnaireVersion.objects.first()
    form = SurveyForm(version, {"overall": "4", "comment": f"جيد {RLO}ًادج{PDF_MARK}"})

    assert form.is_valid(), form.errors
    assert form.answer().comment == "جيد ًادج"


def test_staff_read_member_text_isolated_so_older_text_cannot_reorder_the_page(client, member, staff, request_type):
    service_request = ServiceRequestFactory(
        member=member,
        request_type=request_type,
        department=request_type.department,
        answers=[
            {"key": "v", "label_ar": "الصنف", "label_en": "Variety", "value": f"{RLO}abc", "display_ar": f"{RLO}abc"}
        ],
    )
    services.add_member_message(service_request=service_request, by=member.user, text="رسالة", files=[])
    client.force_login(staff)

    page = client.get(reverse("requests_app:staff-request", args=[service_request.reference_no])).content.decode()

    assert f"<bdi>{RLO}abc</bdi>" in page
    assert "<bdi>رسالة</bdi>" in page
