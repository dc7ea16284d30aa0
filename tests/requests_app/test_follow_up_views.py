"""The member follows their requests: the list, the request page, files, returns, cancelling and messages."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_app import services
from requests_app.models import Attachment, Receipt, ServiceRequest
from tests.requests_app.factories import (
    PDF_BYTES,
    PNG_BYTES,
    ServiceRequestFactory,
    department_staff,
)

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status


# --- Following up ----------------------------------------------------------------------------------------------


def test_my_requests_shows_status_dates_and_what_waits(member_client, member):
    ServiceRequestFactory(member=member, status=Status.RETURNED_TO_MEMBER, reference_no="NJC-2026-000777")
    ServiceRequestFactory(member=member, status=Status.IN_PROGRESS, reference_no="NJC-2026-000778")
    ServiceRequestFactory(reference_no="NJC-2026-000779")  # someone else's

    content = member_client.get(reverse("requests_app:request-list")).content.decode()

    assert "NJC-2026-000777" in content and "NJC-2026-000778" in content
    assert "NJC-2026-000779" not in content
    assert "معاد لاستكمال النواقص" in content
    assert "بانتظارك" in content or "Waiting for you" in content


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_requests_query_count_does_not_grow_with_requests(member_client, member):
    ServiceRequestFactory.create_batch(2, member=member)
    few = _count_queries(member_client, reverse("requests_app:request-list"))
    ServiceRequestFactory.create_batch(18, member=member, status=Status.RETURNED_TO_MEMBER)

    many = _count_queries(member_client, reverse("requests_app:request-list"))

    assert many == few


def test_the_request_page_query_count_does_not_grow_with_history(member_client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    service_request = ServiceRequestFactory(member=member, status=Status.UNDER_REVIEW)
    staff = department_staff(service_request.department)
    url = service_request.get_absolute_url()
    services.reply_to_member(service_request=service_request, by=staff, text="رد")
    with CaptureQueriesContext(connection) as before:
        member_client.get(url)
    for n in range(10):
        services.reply_to_member(service_request=service_request, by=staff, text=f"رد {n}")
        services.add_member_message(
            service_request=service_request,
            by=member.user,
            text="",
            files=[(None, SimpleUploadedFile(f"p{n}.png", PNG_BYTES))],
        )

    with CaptureQueriesContext(connection) as after:
        response = member_client.get(url)

    assert response.status_code == 200
    assert len(after) == len(before)


def test_the_request_page_shows_replies_but_never_internal_notes(member_client, member):
    service_request = ServiceRequestFactory(member=member, status=Status.UNDER_REVIEW)
    staff = department_staff(service_request.department)
    services.reply_to_member(service_request=service_request, by=staff, text="سنزورك يوم الأحد")
    services.add_internal_note(service_request=service_request, by=staff, text="ملاحظة داخلية سرية")

    content = member_client.get(service_request.get_absolute_url()).content.decode()

    assert "سنزورك يوم الأحد" in content
    assert "ملاحظة داخلية سرية" not in content


def test_the_request_page_never_shows_who_was_assigned(member_client, member):
    """An assignment's timeline event is kept from the member by visible_to_member alone (it is not a note kind)."""
    from requests_app.desk import assignment

    service_request = ServiceRequestFactory(member=member, status=Status.UNDER_REVIEW)
    staff = department_staff(service_request.department)
    staff.first_name, staff.last_name = "موظف", "لا يظهر للعضو"
    staff.save()
    assignment.take(service_request=service_request, by=staff)

    content = member_client.get(service_request.get_absolute_url()).content.decode()

    assert "لا يظهر للعضو" not in content


def test_another_members_request_is_a_404(member_client):
    other = ServiceRequestFactory()

    assert member_client.get(other.get_absolute_url()).status_code == 404
    assert member_client.get(reverse("requests_app:request-message", args=[other.reference_no])).status_code == 405
    assert member_client.post(reverse("requests_app:request-cancel", args=[other.reference_no])).status_code == 404
    assert other.status == Status.SUBMITTED


def test_another_members_attachment_and_receipt_are_404(member_client, private_storage):
    from django.core.files.base import ContentFile

    other = ServiceRequestFactory()
    attachment = Attachment(service_request=other, content_type="application/pdf", size=10, original_name="x.pdf")
    attachment.file.save("x", ContentFile(PDF_BYTES))
    receipt = Receipt(service_request=other, kind="submitted", status="submitted")
    receipt.file.save("r", ContentFile(PDF_BYTES))

    assert member_client.get(attachment.get_absolute_url()).status_code == 404
    assert member_client.get(receipt.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "case", ["another_members_draft", "own_file_kept_from_the_member", "staff_of_another_department"]
)
def test_files_outside_ones_own_or_ones_departments_are_404(client, member, private_storage, case):
    """Each of attachments_visible_to's and receipts_visible_to's conditions: a file of another member's unsent
    draft, a file of one's own request that staff keep from the member, a request of another department's."""
    from django.core.files.base import ContentFile

    from tests.requests_app.factories import DepartmentFactory, MemberFactory, RequestTypeFactory

    files = []
    if case == "another_members_draft":
        other = MemberFactory()
        draft = services.save_draft(
            member=other, request_type=RequestTypeFactory(), token=uuid.uuid4(), answers={}, files=[], by=other.user
        )
        files.append(Attachment(draft=draft, content_type="application/pdf", size=10, original_name="x.pdf"))
        client.force_login(member.user)
    elif case == "own_file_kept_from_the_member":
        own = ServiceRequestFactory(member=member)
        files.append(
            Attachment(
                service_request=own, content_type="application/pdf", size=10, original_name="x.pdf",
                visible_to_member=False,
            )
        )  # fmt: skip
        client.force_login(member.user)
    else:
        theirs = ServiceRequestFactory(member=member)
        files.append(Attachment(service_request=theirs, content_type="application/pdf", size=10, original_name="x"))
        files.append(Receipt(service_request=theirs, kind="submitted", status="submitted"))
        client.force_login(department_staff(DepartmentFactory()))
    for file in files:
        file.file.save("x", ContentFile(PDF_BYTES))

    assert [client.get(file.get_absolute_url()).status_code for file in files] == [404] * len(files)


def test_the_owner_and_department_staff_can_download_an_attachment(client, member):
    from django.core.files.base import ContentFile

    service_request = ServiceRequestFactory(member=member)
    attachment = Attachment(
        service_request=service_request, content_type="application/pdf", size=10, original_name="صك.pdf"
    )
    attachment.file.save("x", ContentFile(PDF_BYTES))

    client.force_login(member.user)
    own = client.get(attachment.get_absolute_url())
    client.force_login(department_staff(service_request.department))
    staff = client.get(attachment.get_absolute_url())

    assert own.status_code == staff.status_code == 200
    assert b"".join(own.streaming_content) == PDF_BYTES
    assert own["X-Content-Type-Options"] == "nosniff"
    assert own["Content-Type"] == "application/pdf"


def test_staff_whose_role_was_taken_away_no_longer_open_their_old_departments_files(client, private_storage):
    from django.core.files.base import ContentFile

    service_request = ServiceRequestFactory()
    files = [
        Attachment(service_request=service_request, content_type="application/pdf", size=10, original_name="x.pdf"),
        Receipt(service_request=service_request, kind="submitted", status="submitted"),
    ]
    for file in files:
        file.file.save("x", ContentFile(PDF_BYTES))
    former = department_staff(service_request.department)
    former.groups.clear()  # left the cooperative's staff: the role is gone, the department's membership stays
    client.force_login(former)

    assert [client.get(file.get_absolute_url()).status_code for file in files] == [404, 404]


def test_signed_out_visitors_get_no_files(client, private_storage):
    from django.core.files.base import ContentFile

    service_request = ServiceRequestFactory()
    attachment = Attachment(
        service_request=service_request, content_type="application/pdf", size=10, original_name="x.pdf"
    )
    attachment.file.save("x", ContentFile(PDF_BYTES))
    receipt = Receipt(service_request=service_request, kind="submitted", status="submitted")
    receipt.file.save("r", ContentFile(PDF_BYTES))

    assert client.get(attachment.get_absolute_url()).status_code == 302
    assert client.get(receipt.get_absolute_url()).status_code == 302


def test_a_returned_request_shows_what_is_missing_and_can_be_resubmitted(member_client, member):
    service_request = ServiceRequestFactory(member=member, status=Status.UNDER_REVIEW)
    staff = department_staff(service_request.department)
    services.return_to_member(service_request=service_request, by=staff, missing="صورة واضحة من الصك")
    url = reverse("requests_app:request-resubmit", args=[service_request.reference_no])

    page = member_client.get(service_request.get_absolute_url()).content.decode()
    form = member_client.get(url).content.decode()
    response = member_client.post(url, {"note": "أرفقت الصورة", "other": SimpleUploadedFile("deed.png", PNG_BYTES)})

    assert "صورة واضحة من الصك" in page and "صورة واضحة من الصك" in form
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == Status.UNDER_REVIEW
    assert service_request.attachments.get().original_name == "deed.png"


def test_resubmitting_with_nothing_is_refused_in_arabic(member_client, member):
    service_request = ServiceRequestFactory(member=member, status=Status.RETURNED_TO_MEMBER, missing_items="الصك")

    response = member_client.post(reverse("requests_app:request-resubmit", args=[service_request.reference_no]), {})

    assert response.status_code == 400
    service_request.refresh_from_db()
    assert service_request.status == Status.RETURNED_TO_MEMBER


def test_the_member_cancels_before_work_starts(member_client, member):
    service_request = ServiceRequestFactory(member=member, status=Status.SUBMITTED)

    member_client.post(
        reverse("requests_app:request-cancel", args=[service_request.reference_no]),
        {"reason": "خطأ", "confirm": "True"},
    )

    service_request.refresh_from_db()
    assert service_request.status == Status.CANCELLED


def test_cancelling_after_work_started_is_refused_with_a_message(member_client, member):
    service_request = ServiceRequestFactory(member=member, status=Status.IN_PROGRESS)

    response = member_client.post(
        reverse("requests_app:request-cancel", args=[service_request.reference_no]), follow=True
    )

    service_request.refresh_from_db()
    assert service_request.status == Status.IN_PROGRESS
    assert "لم يعد ممكنًا إلغاء" in response.content.decode() or "can no longer" in response.content.decode()


def test_the_member_writes_a_message(member_client, member):
    service_request = ServiceRequestFactory(member=member, status=Status.IN_PROGRESS)

    member_client.post(reverse("requests_app:request-message", args=[service_request.reference_no]), {"text": "متى؟"})

    assert service_request.timeline.get().note == "متى؟"


def test_an_empty_message_is_refused(member_client, member):
    service_request = ServiceRequestFactory(member=member)

    response = member_client.post(reverse("requests_app:request-message", args=[service_request.reference_no]), {})

    assert response.status_code == 400
    assert not service_request.timeline.exists()


def test_the_members_request_page_lists_only_the_files_staff_share_with_the_member(member_client, member):
    """selectors.member_attachments: a file staff keep from the member (a report of the field visit) is not listed."""
    service_request = ServiceRequestFactory(member=member)
    Attachment.objects.create(
        service_request=service_request, content_type="application/pdf", size=10, original_name="صك-الملكية.pdf"
    )
    Attachment.objects.create(
        service_request=service_request, content_type="application/pdf", size=10,
        original_name="تقرير-الزيارة-الداخلي.pdf", visible_to_member=False,
    )  # fmt: skip

    html = member_client.get(reverse("requests_app:request-detail", args=[service_request.reference_no])).content
    assert "صك-الملكية.pdf" in html.decode()
    assert "تقرير-الزيارة-الداخلي.pdf" not in html.decode()
