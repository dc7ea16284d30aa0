import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member
from requests_app.models import Attachment, Draft, ServiceRequest
from tests.requests_app.factories import (
    PDF_BYTES,
    FrequentQuestionFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status


def _submit_url(request_type):
    return reverse("requests_app:request-submit", args=[request_type.code])


def _document_field(request_type):
    return f"document_{request_type.documents.get().pk}"


def _post(client, request_type, *, token=None, seedlings="40", deed=None, **extra):
    data = {"token": str(token or uuid.uuid4()), "seedlings": seedlings, "season": "winter", **extra}
    if deed is not None:
        data[_document_field(request_type)] = deed
    return client.post(_submit_url(request_type), data)


# --- The public guide ------------------------------------------------------------------------------------------


def test_the_guide_is_public_and_lists_the_seeded_catalogue(client):
    response = client.get(reverse("requests_app:guide"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "طلب شتلات بن" in content
    assert "طلب زيارة إرشادية" in content
    assert "كيف أتحقق من صحة إيصال طلب؟" in content


def test_searching_the_guide_folds_arabic_spellings(client):
    response = client.get(reverse("requests_app:guide"), {"q": "شتلات البن"})

    content = response.content.decode()
    assert "طلب شتلات بن" in content
    assert "طلب زيارة إرشادية" not in content


def test_searching_finds_questions_too(client):
    response = client.get(reverse("requests_app:guide"), {"q": "نفاذ"})

    assert "هل تحتاج الجمعية كلمة مرور النفاذ الوطني؟" in response.content.decode()


def test_a_service_page_shows_documents_time_and_its_questions(client, request_type):
    FrequentQuestionFactory(request_type=request_type, question_ar="هل الشتلات مجانية؟")

    response = client.get(reverse("requests_app:guide-service", args=[request_type.code]))

    content = response.content.decode()
    assert "صك الملكية" in content
    assert "هل الشتلات مجانية؟" in content
    assert "5" in content


def test_the_guide_reads_in_english(client):
    client.cookies["django_language"] = "en"

    response = client.get(reverse("requests_app:guide"), HTTP_ACCEPT_LANGUAGE="en")

    assert "Coffee seedlings request" in response.content.decode()


def test_an_inactive_service_is_not_in_the_guide(client, request_type):
    request_type.active = False
    request_type.save()

    assert client.get(reverse("requests_app:guide-service", args=[request_type.code])).status_code == 404


# --- Submitting ------------------------------------------------------------------------------------------------


def test_signing_in_is_needed_to_submit(client, request_type):
    response = client.get(_submit_url(request_type))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_member_submits_with_a_document(member_client, member, request_type, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(member_client, request_type, deed=SimpleUploadedFile("صك.pdf", PDF_BYTES))

    service_request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == service_request.get_absolute_url()
    assert service_request.member == member
    assert service_request.answers[0]["label_ar"] == "عدد الشتلات"
    assert service_request.answers[0]["value"] == "40"
    attachment = service_request.attachments.get()
    assert attachment.original_name == "صك.pdf"
    assert attachment.file.name.startswith("attachments/")
    assert "صك" not in attachment.file.name
    assert service_request.receipts.count() == 1


def test_arabic_indic_digits_are_accepted(member_client, request_type):
    _post(member_client, request_type, seedlings="٤٠", deed=SimpleUploadedFile("deed.pdf", PDF_BYTES))

    assert ServiceRequest.objects.get().answers[0]["value"] == "40"


def test_a_missing_field_keeps_the_uploaded_file_and_what_was_typed(member_client, request_type):
    token = uuid.uuid4()

    response = _post(
        member_client, request_type, token=token, seedlings="", deed=SimpleUploadedFile("d.pdf", PDF_BYTES)
    )

    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()
    draft = Draft.objects.get(token=token)
    assert draft.attachments.count() == 1
    assert draft.answers["season"] == "winter"
    content = response.content.decode()
    assert "هذا الحقل مطلوب" in content
    assert "d.pdf" in content  # listed as already attached
    assert str(token) in content

    # Second try: only the missing field, no file again.
    response = _post(member_client, request_type, token=token, seedlings="12")

    service_request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert service_request.attachments.count() == 1


def test_a_bad_file_keeps_what_was_typed_and_says_why(member_client, request_type):
    token = uuid.uuid4()
    html = SimpleUploadedFile("deed.pdf", b"<html><body><script>alert(1)</script></body></html>")

    response = _post(member_client, request_type, token=token, deed=html)

    assert response.status_code == 400
    assert "ليس ملف" in response.content.decode() or "not a real" in response.content.decode()
    assert not Attachment.objects.exists()
    assert Draft.objects.get(token=token).answers["seedlings"] == "40"
    assert 'value="40"' in response.content.decode()


@pytest.mark.parametrize(
    "content",
    [b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", b"<!doctype html><p>x</p>"],
)
def test_svg_or_html_renamed_pdf_is_refused(member_client, request_type, content):
    response = _post(member_client, request_type, deed=SimpleUploadedFile("receipt.pdf", content))

    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()
    assert not Attachment.objects.exists()


def test_a_50_mb_upload_is_refused_without_saving_anything(member_client, request_type):
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (50 * 1024 * 1024))

    response = _post(member_client, request_type, deed=big)

    assert response.status_code == 400
    assert "10" in response.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Attachment.objects.exists()


def test_a_hostile_file_name_is_cleaned(member_client, request_type):
    _post(member_client, request_type, deed=SimpleUploadedFile("../../\u202etxt.exe.pdf", PDF_BYTES))

    attachment = Attachment.objects.get()
    assert attachment.original_name == "txt.exe.pdf"
    assert "\u202e" not in attachment.original_name
    assert ".." not in attachment.file.name


def test_a_double_click_submits_once(member_client, request_type):
    token = uuid.uuid4()

    first = _post(member_client, request_type, token=token, deed=SimpleUploadedFile("d.pdf", PDF_BYTES))
    second = _post(member_client, request_type, token=token, deed=SimpleUploadedFile("d.pdf", PDF_BYTES))

    service_request = ServiceRequest.objects.get()
    assert first["Location"] == second["Location"] == service_request.get_absolute_url()
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize("status", [Member.Status.WITHDRAWN, Member.Status.SUSPENDED])
def test_a_withdrawn_member_is_told_in_arabic(client, request_type, status):
    member = MemberFactory(status=status)
    client.force_login(member.user)

    response = _post(client, request_type, deed=SimpleUploadedFile("d.pdf", PDF_BYTES))

    assert response.status_code == 403
    assert "لا يمكنك تقديم طلبات جديدة" in response.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Attachment.objects.exists()


def test_an_account_without_a_member_record_cannot_submit(client, request_type, staff):
    client.force_login(staff)

    assert client.get(_submit_url(request_type)).status_code == 403


def test_a_draft_can_be_resumed_later(member_client, member, request_type):
    token = uuid.uuid4()
    _post(member_client, request_type, token=token, seedlings="", deed=SimpleUploadedFile("d.pdf", PDF_BYTES))

    listing = member_client.get(reverse("requests_app:request-list"))
    resumed = member_client.get(_submit_url(request_type), {"draft": str(token)})

    assert str(token) in listing.content.decode()
    assert "d.pdf" in resumed.content.decode()
    assert 'value="winter" selected' in resumed.content.decode()
