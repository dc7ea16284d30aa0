"""The board's decisions (by the board, or a supervisor on its behalf) and requests opened on a member's behalf."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from members.models import Notification
from members.roles import Role
from requests_app import selectors
from requests_app.desk import staff_services
from requests_app.models import BoardDecision, Channel, RequestField, ServiceRequest
from tests.requests_app.factories import MemberFactory, RequestFieldFactory, RequestTypeFactory, UserFactory
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import Status, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def share_transfer(coffee):
    return RequestTypeFactory(
        department=coffee, code="TQ-MEM03", name_ar="التنازل عن الأسهم", needs_board_decision=True
    )


@pytest.fixture
def board_member():
    return UserFactory(roles=[Role.BOARD], first_name="علي", last_name="آل حارث")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def decide(client, service_request, **data):
    return client.post(
        reverse("requests_app:board-decision", args=[service_request.reference_no]),
        {"version": service_request.version, **data},
    )


def test_a_board_member_approves_with_the_meeting_and_the_member_is_told(board_member, share_transfer):
    service_request = make_request(share_transfer, status=Status.PENDING_BOARD_DECISION)

    response = decide(
        client_for(board_member), service_request, decision="approve", meeting_reference="12/1448", note="نُقلت الأسهم."
    )

    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == Status.COMPLETED
    decision = BoardDecision.objects.get(service_request=service_request)
    assert (decision.approved, decision.meeting_reference, decision.on_behalf_of_board) == (True, "12/1448", False)
    assert "12/1448" in service_request.outcome
    notice = Notification.objects.get(member=service_request.member, channel="inbox")
    assert "12/1448" in notice.body


def test_a_supervisor_records_a_rejection_on_the_boards_behalf(supervisor, share_transfer):
    service_request = make_request(share_transfer, status=Status.PENDING_BOARD_DECISION)

    decide(client_for(supervisor), service_request, decision="reject", meeting_reference="13/1448", note="يتجاوز الحد.")

    service_request.refresh_from_db()
    assert service_request.status == Status.REJECTED
    assert BoardDecision.objects.get(service_request=service_request).on_behalf_of_board


def test_staff_who_are_neither_board_nor_supervisor_cannot_record(clerk, share_transfer):
    service_request = make_request(share_transfer, status=Status.PENDING_BOARD_DECISION)
    client = client_for(clerk)

    assert client.get(reverse("requests_app:board-decisions")).status_code == 403
    assert decide(client, service_request, decision="approve", meeting_reference="1", note="x").status_code == 403
    service_request.refresh_from_db()
    assert service_request.status == Status.PENDING_BOARD_DECISION


def test_a_decision_without_a_meeting_reference_is_refused_in_arabic(board_member, share_transfer):
    service_request = make_request(share_transfer, status=Status.PENDING_BOARD_DECISION)

    response = decide(client_for(board_member), service_request, decision="approve", meeting_reference="", note="تم")

    assert response.status_code == 400
    assert "اذكر رقم الاجتماع" in response.content.decode()
    assert not BoardDecision.objects.exists()


def test_a_request_not_pending_the_board_is_not_found_on_the_board_pages(board_member, share_transfer):
    service_request = make_request(share_transfer, status=Status.IN_PROGRESS)

    response = decide(client_for(board_member), service_request, decision="approve", meeting_reference="1", note="x")

    assert response.status_code == 404


def test_the_board_list_shows_what_waits_for_the_board(board_member, share_transfer, seedlings):
    waiting = make_request(share_transfer, status=Status.PENDING_BOARD_DECISION)
    in_work = make_request(seedlings, status=Status.IN_PROGRESS)

    body = client_for(board_member).get(reverse("requests_app:board-decisions")).content.decode()

    assert waiting.reference_no in body
    assert in_work.reference_no not in body


def test_staff_refer_a_board_service_and_may_not_complete_it_themselves(clerk_client, share_transfer):
    service_request = make_request(share_transfer, status=Status.IN_PROGRESS)
    move = "requests_app:staff-request-move"

    page = clerk_client.get(reverse("requests_app:staff-request", args=[service_request.reference_no])).content.decode()
    refused = clerk_client.post(
        reverse(move, args=[service_request.reference_no, "complete"]),
        {"complete-version": 1, "complete-outcome": "تم"},
    )
    service_request.refresh_from_db()
    assert "إكمال الطلب" not in page and "رفع الطلب لمجلس الإدارة" in page
    assert refused.status_code == 400 and service_request.status == Status.IN_PROGRESS

    clerk_client.post(
        reverse(move, args=[service_request.reference_no, "refer-to-board"]), {"refer-to-board-version": 1}
    )

    service_request.refresh_from_db()
    assert service_request.status == Status.PENDING_BOARD_DECISION


# --- On a member's behalf ---------------------------------------------------------------------------------------


@pytest.fixture
def visit_with_field(visit):
    RequestFieldFactory(
        request_type=visit, key="trees", label_ar="عدد الأشجار", field_type=RequestField.FieldType.NUMBER
    )
    return visit


def test_staff_open_a_request_for_a_member_who_phoned(clerk_client, clerk, visit_with_field):
    member = MemberFactory()
    url = reverse("requests_app:staff-request-new-form", args=[member.pk, visit_with_field.code])
    form = clerk_client.get(url)
    token = form.context["form"].initial["token"]

    response = clerk_client.post(url, {"channel": Channel.PHONE, "trees": "١٢٠", "token": token})
    clerk_client.post(url, {"channel": Channel.PHONE, "trees": "120", "token": token})  # resent form: same request

    service_request = ServiceRequest.objects.get(member=member)
    assert response.status_code == 302
    assert (service_request.channel, service_request.submitted_by) == (Channel.PHONE, clerk)
    assert service_request.answers[0]["value"] == "120"
    assert list(selectors.requests_for_member(member)) == [service_request]
    assert Notification.objects.filter(member=member, event="request_submitted").exists()


def test_a_request_on_behalf_needs_how_the_member_asked(clerk, visit):
    with pytest.raises(ValidationError) as refused:
        staff_services.open_request_for_member(
            member=MemberFactory(), request_type=visit, answers=[], channel=Channel.PORTAL, by=clerk
        )

    assert "بالهاتف" in str(refused.value) or "phone" in str(refused.value)
    assert not ServiceRequest.objects.exists()


def test_members_cannot_open_requests_on_someone_elses_behalf(visit):
    member, other = MemberFactory(), MemberFactory()

    response = client_for(member.user).get(reverse("requests_app:staff-request-new-form", args=[other.pk, visit.code]))

    assert response.status_code == 403


def test_staff_find_the_member_then_choose_the_service(clerk_client, visit):
    member = MemberFactory(full_name_ar="ناصر بن سعيد آل عباس", membership_no="70777")
    url = reverse("requests_app:staff-request-new")

    found = clerk_client.get(url, {"q": "ناصر"}).content.decode()
    chosen = clerk_client.get(url, {"member": member.pk, "code": visit.code})

    assert "70777" in found
    assert chosen.status_code == 302
    assert chosen["Location"] == reverse("requests_app:staff-request-new-form", args=[member.pk, visit.code])


def test_a_supervisor_cannot_reject_a_request_pending_the_board_without_recording_the_boards_decision(
    supervisor, share_transfer
):
    service_request = make_request(share_transfer, status=Status.PENDING_BOARD_DECISION)

    response = client_for(supervisor).post(
        reverse("requests_app:staff-request-move", args=[service_request.reference_no, "reject"]),
        {"reject-version": service_request.version, "reject-reason": "لا"},
    )

    service_request.refresh_from_db()
    assert response.status_code == 409
    assert service_request.status == Status.PENDING_BOARD_DECISION
    assert not BoardDecision.objects.filter(service_request=service_request).exists()


def test_a_supervisor_who_is_a_member_cannot_approve_their_own_request_on_the_boards_behalf(supervisor, share_transfer):
    own = MemberFactory(user=supervisor)
    service_request = make_request(share_transfer, member=own, status=Status.PENDING_BOARD_DECISION)

    decide(client_for(supervisor), service_request, decision="approve", meeting_reference="14/1448", note="موافقة")

    service_request.refresh_from_db()
    assert service_request.status == Status.PENDING_BOARD_DECISION
    assert not BoardDecision.objects.filter(service_request=service_request).exists()


def test_staff_who_are_members_cannot_complete_their_own_request(clerk_client, clerk, seedlings):
    service_request = make_request(seedlings, member=MemberFactory(user=clerk), status=Status.IN_PROGRESS)

    response = clerk_client.post(
        reverse("requests_app:staff-request-move", args=[service_request.reference_no, "complete"]),
        {"complete-version": service_request.version, "complete-outcome": "تم"},
    )

    service_request.refresh_from_db()
    assert response.status_code == 409
    assert service_request.status == Status.IN_PROGRESS


def test_a_service_code_that_is_not_a_slug_shows_the_search_again_instead_of_an_error(clerk_client):
    member = MemberFactory()

    response = clerk_client.get(reverse("requests_app:staff-request-new"), {"member": member.pk, "code": "a b"})

    assert response.status_code == 200


def test_a_board_member_opens_the_files_of_a_request_waiting_on_the_board_and_of_no_other(
    board_member, share_transfer, seedlings, private_storage
):
    from django.core.files.base import ContentFile

    from requests_app.models import Attachment, Receipt
    from tests.requests_app.factories import PDF_BYTES

    waiting = make_request(share_transfer, status=Status.PENDING_BOARD_DECISION)
    in_work = make_request(seedlings, status=Status.IN_PROGRESS)
    files = [
        Attachment(service_request=waiting, content_type="application/pdf", size=10, original_name="x.pdf"),
        Attachment(service_request=in_work, content_type="application/pdf", size=10, original_name="y.pdf"),
        Receipt(service_request=in_work, kind="submitted", status="submitted"),
    ]
    for file in files:
        file.file.save("x", ContentFile(PDF_BYTES))
    client = client_for(board_member)

    assert [client.get(file.get_absolute_url()).status_code for file in files] == [200, 404, 404]
