"""The Assembly's documents window (Law art. 20): PDF only (by content), the size limit, publishing refused later than
ASSEMBLY_DOCUMENTS_DAYS before the meeting or before the notice; members on the list read them through a checked view,
each member's first look counted once; the board sees the count, never the names."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assembly import documents, services
from assembly.models import Document, DocumentView, Meeting
from members.roles import Role
from requests_app import uploads
from tests.assembly.conftest import days_from_now, draft_meeting
from tests.concurrency import at_once, needs_postgresql
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="accounts.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def meeting(secretary, django_capture_on_commit_callbacks):
    MemberFactory(shares=3)
    meeting = draft_meeting(secretary, days=20)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)
    return meeting


def test_the_board_uploads_a_pdf_stored_privately_under_a_random_name(meeting, secretary):
    document = documents.upload_document(meeting=meeting, by=secretary, kind="accounts", upload=pdf("../../x.pdf"))

    assert document.file.name.startswith("assembly/") and "x" not in document.file.name.split("/")[-1][:-4]
    assert default_storage.exists(document.file.name)
    assert (document.original_name, document.published_at) == ("x.pdf", None)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("report.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50), "يجب أن يكون المستند ملف PDF"),
        (pdf("report.pdf", b"MZ this is an exe renamed"), "يجب أن يكون المستند ملف PDF"),
        (pdf("report.pdf", b""), "الملف فارغ"),
        (pdf("big.pdf", b"%PDF-" + b"0" * uploads.MAX_UPLOAD_BYTES), "أكبر من"),
    ],
)
def test_a_file_that_is_not_a_pdf_or_too_large_is_refused_in_arabic_and_nothing_is_stored(
    meeting, secretary, upload, message
):
    with pytest.raises(documents.ValidationError) as refused:
        documents.upload_document(meeting=meeting, by=secretary, kind="accounts", upload=upload)

    assert message in " ".join(refused.value.messages)
    assert not Document.objects.exists()
    assert not default_storage.exists("assembly")


def test_only_the_board_uploads(meeting, make_user):
    member = make_user("member@example.org", Role.MEMBER)
    with pytest.raises(documents.ValidationError):
        documents.upload_document(meeting=meeting, by=member, kind="accounts", upload=pdf())


def test_an_unpublished_document_is_replaced_a_published_one_is_not(meeting, secretary):
    first = documents.upload_document(meeting=meeting, by=secretary, kind="accounts", upload=pdf("a.pdf"))
    second = documents.upload_document(meeting=meeting, by=secretary, kind="accounts", upload=pdf("b.pdf"))
    documents.publish_documents(meeting=meeting, by=secretary)

    with pytest.raises(documents.ValidationError) as refused:
        documents.upload_document(meeting=meeting, by=secretary, kind="accounts", upload=pdf("c.pdf"))

    assert list(Document.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.pk != second.pk
    assert "منشور" in refused.value.messages[0]


def test_publishing_is_refused_later_than_fourteen_days_before_the_meeting(meeting, secretary, settings):
    documents.upload_document(meeting=meeting, by=secretary, kind="accounts", upload=pdf())
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=days_from_now(settings.ASSEMBLY_DOCUMENTS_DAYS - 1))

    with pytest.raises(documents.ValidationError) as refused:
        documents.publish_documents(meeting=meeting, by=secretary)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=days_from_now(settings.ASSEMBLY_DOCUMENTS_DAYS))
    published = documents.publish_documents(meeting=meeting, by=secretary)

    assert "14" in refused.value.messages[0] and "لم يُنشر شيء" in refused.value.messages[0]
    assert published == 1


def test_publishing_needs_the_notice_and_a_document(secretary, meeting):
    draft = draft_meeting(secretary, days=30)
    documents.upload_document(meeting=draft, by=secretary, kind="accounts", upload=pdf())

    with pytest.raises(documents.ValidationError) as no_notice:
        documents.publish_documents(meeting=draft, by=secretary)
    with pytest.raises(documents.ValidationError) as none:
        documents.publish_documents(meeting=meeting, by=secretary)

    assert "الدعوة" in no_notice.value.messages[0]
    assert "ارفع" in none.value.messages[0]
    assert not Document.objects.filter(published_at__isnull=False).exists()


def test_a_member_on_the_list_reads_a_published_document_and_is_counted_once(client, meeting, secretary, make_user):
    document = documents.upload_document(meeting=meeting, by=secretary, kind="board_report", upload=pdf())
    saad = MemberFactory(user=make_user("saad@example.org", Role.MEMBER), shares=2)
    meeting.eligible.create(member=saad, membership_no=saad.membership_no, shares=2)
    url = reverse("assembly:document-file", args=[meeting.pk, document.pk])
    client.force_login(saad.user)

    assert client.get(url).status_code == 404  # not published yet
    documents.publish_documents(meeting=meeting, by=secretary)
    first, again = client.get(url), client.get(url)

    assert first.status_code == again.status_code == 200
    assert first["Content-Type"] == "application/pdf" and "private" in first["Cache-Control"]
    assert b"".join(first.streaming_content) == PDF
    assert DocumentView.objects.filter(document=document).count() == 1
    page = client.get(reverse("assembly:meeting-member", args=[meeting.pk])).content.decode()
    assert url in page


def test_a_member_not_on_the_list_and_a_visitor_get_nothing(client, meeting, secretary, make_user):
    document = documents.upload_document(meeting=meeting, by=secretary, kind="accounts", upload=pdf())
    documents.publish_documents(meeting=meeting, by=secretary)
    url = reverse("assembly:document-file", args=[meeting.pk, document.pk])

    visitor = client.get(url)
    client.force_login(MemberFactory(user=make_user("late@example.org", Role.MEMBER), shares=2).user)
    outsider = client.get(url)

    assert visitor.status_code == 302 and outsider.status_code == 404
    assert not DocumentView.objects.exists()


def test_the_board_sees_how_many_opened_each_document_never_who(client, meeting, secretary):
    document = documents.upload_document(meeting=meeting, by=secretary, kind="auditor_report", upload=pdf())
    documents.publish_documents(meeting=meeting, by=secretary)
    readers = [MemberFactory(shares=1, full_name_ar=f"قارئ رقم {n}") for n in range(3)]
    for reader in readers:
        meeting.eligible.create(member=reader, membership_no=reader.membership_no, shares=1)
        documents.record_view(document=document, member=reader)
    documents.record_view(document=document, member=readers[0])
    client.force_login(secretary)

    page = client.get(reverse("assembly:meeting-documents", args=[meeting.pk])).content.decode()

    assert "عدد الأعضاء الذين فتحوه: 3" in page
    assert all(reader.full_name_ar not in page for reader in readers)


def test_the_board_page_refuses_a_non_pdf_beside_the_field_and_stores_nothing(client, meeting, secretary):
    client.force_login(secretary)

    response = client.post(
        reverse("assembly:meeting-documents", args=[meeting.pk]),
        {"kind": "accounts", "file": pdf("accounts.pdf", b"GIF89a not a pdf")},
    )

    assert response.status_code == 400
    assert "يجب أن يكون المستند ملف PDF" in response.content.decode()
    assert not Document.objects.exists()


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_member_opening_a_document_in_two_tabs_at_once_is_counted_once(make_user, tmp_path, settings):
    secretary = make_user("secretary@example.org", Role.BOARD)
    saad = MemberFactory(shares=2)
    meeting = draft_meeting(secretary, days=20)
    services.publish_notice(meeting=meeting, by=secretary)
    document = documents.upload_document(meeting=meeting, by=secretary, kind="accounts", upload=pdf())
    documents.publish_documents(meeting=meeting, by=secretary)

    for _round in range(3):
        DocumentView.objects.all().delete()
        results = at_once(*(lambda: documents.record_view(document=document, member=saad) for _ in range(4)))
        assert not [result for result in results if isinstance(result, Exception)], results
        assert DocumentView.objects.filter(document=document, member=saad).count() == 1


def test_a_member_on_one_meetings_list_cannot_read_another_meetings_document_through_it(
    client, meeting, secretary, make_user, django_capture_on_commit_callbacks
):
    other = draft_meeting(secretary, days=30)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=other, by=secretary)
    document = documents.upload_document(meeting=other, by=secretary, kind="accounts", upload=pdf())
    documents.publish_documents(meeting=other, by=secretary)
    saad = MemberFactory(user=make_user("saad@example.org", Role.MEMBER), shares=2)
    meeting.eligible.create(member=saad, membership_no=saad.membership_no, shares=2)
    through_his_meeting = reverse("assembly:document-file", args=[meeting.pk, document.pk])
    client.force_login(saad.user)

    assert client.get(through_his_meeting).status_code == 404
    assert client.get(reverse("assembly:document-file", args=[other.pk, document.pk])).status_code == 404
    assert not DocumentView.objects.exists()
    client.force_login(secretary)
    assert client.get(through_his_meeting).status_code == 404  # the board too: a document has one address
