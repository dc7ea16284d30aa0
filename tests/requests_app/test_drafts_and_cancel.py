"""Drafts a member keeps on purpose, and cancelling only after the member confirmed it."""

import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_app.models import Attachment, Draft, ServiceRequest
from tests.requests_app.factories import PDF_BYTES, DraftFactory, MemberFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status


def _form_data(request_type, token, **answers):
    return {"token": str(token), "seedlings": "", "season": "winter", **answers}


def _save_draft(client, request_type, token, *, deed=True, **answers):
    data = _form_data(request_type, token, **answers)
    data["save_draft"] = "1"
    if deed:
        data[f"document_{request_type.documents.get().pk}"] = SimpleUploadedFile("deed.pdf", PDF_BYTES)
    return client.post(reverse("requests_app:request-submit", args=[request_type.code]), data)


def test_saving_a_draft_keeps_an_unfinished_form_without_submitting_it(member_client, member, request_type):
    token = uuid.uuid4()

    response = _save_draft(member_client, request_type, token)

    assert response.status_code == 302
    assert response.url == reverse("requests_app:draft-list")
    draft = Draft.objects.get(token=token)
    assert draft.answers["season"] == "winter"
    assert draft.attachments.count() == 1
    assert not ServiceRequest.objects.exists()


def test_the_drafts_list_dates_each_draft_in_both_calendars(member_client, member, request_type):
    _save_draft(member_client, request_type, uuid.uuid4())

    page = member_client.get(reverse("requests_app:draft-list")).content.decode()

    assert request_type.name_ar in page
    assert "هـ" in page and "الموافق" in page  # Hijri beside Gregorian
    assert "1 file attached" in page or "ملف" in page


def test_a_saved_draft_opens_and_submits_as_a_request(member_client, member, request_type):
    token = uuid.uuid4()
    _save_draft(member_client, request_type, token)

    opened = member_client.get(reverse("requests_app:request-submit", args=[request_type.code]), {"draft": str(token)})
    submitted = member_client.post(
        reverse("requests_app:request-submit", args=[request_type.code]), _form_data(request_type, token, seedlings="9")
    )

    assert "deed.pdf" in opened.content.decode()
    service_request = ServiceRequest.objects.get()
    assert submitted.url == service_request.get_absolute_url()
    assert service_request.attachments.count() == 1
    assert request_type.name_ar not in member_client.get(reverse("requests_app:draft-list")).content.decode()


def test_deleting_a_draft_asks_first_and_changes_nothing_until_confirmed(member_client, member, request_type):
    token = uuid.uuid4()
    _save_draft(member_client, request_type, token)

    page = member_client.get(reverse("requests_app:draft-delete", args=[token]))

    assert page.status_code == 200
    assert "requests_app/draft_delete.html" in [template.name for template in page.templates]
    assert Draft.objects.filter(token=token).exists()


def test_deleting_a_draft_removes_it_and_its_files(
    member_client, member, request_type, django_capture_on_commit_callbacks
):
    token = uuid.uuid4()
    _save_draft(member_client, request_type, token)
    stored = Attachment.objects.get().file.name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("requests_app:draft-delete", args=[token]))

    assert response.url == reverse("requests_app:draft-list")
    assert not Draft.objects.exists()
    assert not Attachment.objects.exists()
    assert not default_storage.exists(stored)


def test_another_members_draft_cannot_be_seen_or_deleted(member_client, request_type):
    theirs = DraftFactory(member=MemberFactory(), request_type=request_type)

    assert member_client.get(reverse("requests_app:draft-delete", args=[theirs.token])).status_code == 404
    assert member_client.post(reverse("requests_app:draft-delete", args=[theirs.token])).status_code == 404
    assert request_type.name_ar not in member_client.get(reverse("requests_app:draft-list")).content.decode()
    assert Draft.objects.filter(pk=theirs.pk).exists()


def test_a_submitted_draft_is_not_deletable(member_client, member, request_type):
    service_request = ServiceRequestFactory(member=member, request_type=request_type)
    submitted = DraftFactory(member=member, request_type=request_type, service_request=service_request)

    assert member_client.post(reverse("requests_app:draft-delete", args=[submitted.token])).status_code == 404
    assert Draft.objects.filter(pk=submitted.pk).exists()


# --- Cancelling ---------------------------------------------------------------------------------------------------


def test_cancelling_shows_a_confirmation_page_first(member_client, member):
    service_request = ServiceRequestFactory(member=member, status=Status.SUBMITTED)

    page = member_client.get(reverse("requests_app:request-cancel", args=[service_request.reference_no]))

    assert page.status_code == 200
    assert service_request.reference_no in page.content.decode()
    service_request.refresh_from_db()
    assert service_request.status == Status.SUBMITTED


def test_a_post_that_did_not_come_from_the_confirmation_page_cancels_nothing(member_client, member):
    service_request = ServiceRequestFactory(member=member, status=Status.SUBMITTED)

    response = member_client.post(
        reverse("requests_app:request-cancel", args=[service_request.reference_no]), {"reason": "خطأ"}
    )

    assert response.status_code == 400
    service_request.refresh_from_db()
    assert service_request.status == Status.SUBMITTED


def test_confirming_cancels_with_the_reason_on_the_timeline(member_client, member):
    service_request = ServiceRequestFactory(member=member, status=Status.UNDER_REVIEW)

    member_client.post(
        reverse("requests_app:request-cancel", args=[service_request.reference_no]),
        {"reason": "قدمته بالخطأ", "confirm": "True"},
    )

    service_request.refresh_from_db()
    assert service_request.status == Status.CANCELLED
    assert service_request.timeline.get(to_status=Status.CANCELLED).note == "قدمته بالخطأ"


def test_a_request_in_work_offers_no_confirmation_page(member_client, member):
    service_request = ServiceRequestFactory(member=member, status=Status.IN_PROGRESS)

    response = member_client.get(reverse("requests_app:request-cancel", args=[service_request.reference_no]))

    assert response.status_code == 302
    assert response.url == service_request.get_absolute_url()


def test_another_members_request_has_no_cancel_page(member_client):
    theirs = ServiceRequestFactory(member=MemberFactory(), status=Status.SUBMITTED)

    assert member_client.get(reverse("requests_app:request-cancel", args=[theirs.reference_no])).status_code == 404
