"""What the board approves takes effect: the applicant becomes a member, shares move, a member withdraws; all in
the transaction that records the decision, on the timeline and in the access log. A refusal tells the person why."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members.models import AccessLog, Member, Notification, ShareAcquisition
from members.roles import Role, has_role
from requests_app import completion, services, status_changes
from requests_app.desk import staff_services
from requests_app.models import BoardDecision, RequestType, ServiceRequest, TimelineEvent
from tests.requests_app.factories import MemberFactory, RequestTypeFactory, ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = ServiceRequest.Status
Kind = RequestType.Kind


@pytest.fixture(autouse=True)
def capital(db):
    """Shares held by others, so the shares in these stories stay under the 10 % cap."""
    return MemberFactory(shares=5000, full_name_ar="مساهم كبير")


@pytest.fixture
def board():
    return UserFactory(roles=[Role.BOARD])


def pending(kind: str, member: Member, **answers) -> ServiceRequest:
    request_type = RequestTypeFactory(kind=kind, needs_board_decision=True)
    return ServiceRequestFactory(
        request_type=request_type,
        member=member,
        status=Status.PENDING_BOARD_DECISION,
        answers=[{"key": key, "label_ar": key, "label_en": key, "value": value} for key, value in answers.items()],
    )


def decide(service_request, board, *, approved=True, **extra):
    return staff_services.record_board_decision(
        service_request=service_request, by=board, approved=approved, meeting_reference="9/1448", note="قرار", **extra
    )


def applicant() -> Member:
    return MemberFactory(membership_no="", status=Member.Status.APPLICANT, user=UserFactory(roles=[Role.APPLICANT]))


def test_every_kind_the_board_decides_on_has_an_effect():
    assert {
        Kind.MEMBERSHIP_APPLICATION,
        Kind.SHARE_TRANSFER,
        Kind.WITHDRAWAL,
        Kind.HEIRS_SUCCESSION,
    } == completion.RESERVED_TO_THE_BOARD
    assert set(completion.EFFECTS) >= completion.RESERVED_TO_THE_BOARD


def test_an_approved_application_makes_the_applicant_a_member(board, django_capture_on_commit_callbacks):
    person = applicant()
    application = pending(Kind.MEMBERSHIP_APPLICATION, person, shares=25)

    with django_capture_on_commit_callbacks(execute=False):
        decide(application, board)

    person.refresh_from_db()
    user = type(person.user).objects.get(pk=person.user_id)
    assert person.status == Member.Status.ACTIVE and person.membership_no.isdigit()
    assert person.shares == 25
    assert has_role(user, Role.MEMBER) and not has_role(user, Role.APPLICANT)
    told = Notification.objects.filter(member=person, event="membership_admitted")
    assert {"inbox", "sms"} <= set(told.values_list("channel", flat=True))
    assert person.membership_no in told.get(channel="sms").body
    effect = application.timeline.get(kind=TimelineEvent.Kind.REGISTER_UPDATED)
    assert person.membership_no in effect.note and effect.visible_to_member
    assert AccessLog.objects.filter(member=person, viewer=board, detail__startswith="admitted").exists()
    assert ShareAcquisition.objects.filter(member=person, shares=25, how="admission", acquired_on=person.joined_on)


def test_a_refused_application_tells_the_applicant_why(board):
    person = applicant()
    application = pending(Kind.MEMBERSHIP_APPLICATION, person, shares=25)

    staff_services.record_board_decision(
        service_request=application, by=board, approved=False, meeting_reference="9/1448", note="الحيازة غير موثقة"
    )

    person.refresh_from_db()
    assert person.status == Member.Status.APPLICANT and person.membership_no == ""
    inbox = Notification.objects.get(member=person, channel="inbox", event="request_status_changed")
    assert "الحيازة غير موثقة" in inbox.body and "9/1448" in inbox.body


def test_an_approved_share_transfer_moves_the_shares_in_the_register(board):
    giver, taker = MemberFactory(shares=40), MemberFactory(shares=10)
    transfer = pending(Kind.SHARE_TRANSFER, giver, transferee_id=taker.national_id, shares=15)

    decide(transfer, board)

    assert (Member.objects.get(pk=giver.pk).shares, Member.objects.get(pk=taker.pk).shares) == (25, 25)
    assert transfer.timeline.filter(kind=TimelineEvent.Kind.REGISTER_UPDATED).exists()
    assert Notification.objects.filter(member=taker, event="shares_received").exists()
    assert list(ShareAcquisition.objects.values_list("member", "shares", "how")) == [(taker.pk, 15, "transfer")]


def test_an_approved_withdrawal_ends_the_membership_with_the_refund_due(board):
    member = MemberFactory(shares=20)
    withdrawal = pending(Kind.WITHDRAWAL, member, reason="السفر")

    decision = decide(withdrawal, board, refund_due=Decimal("2000.00"))

    member.refresh_from_db()
    assert (member.status, member.refund_due) == (Member.Status.WITHDRAWN, Decimal("2000.00"))
    assert decision.refund_due == Decimal("2000.00")
    assert "2000.00" in withdrawal.timeline.get(kind=TimelineEvent.Kind.REGISTER_UPDATED).note


@pytest.mark.parametrize("story", ["transfer to someone outside the register", "withdrawal without a refund"])
def test_an_approval_that_cannot_take_effect_changes_nothing(story, board):
    member = MemberFactory(shares=40)
    if story.startswith("transfer"):
        service_request = pending(Kind.SHARE_TRANSFER, member, transferee_id="1999999993", shares=5)
        extra = {}
    else:
        service_request = pending(Kind.WITHDRAWAL, member, reason="السفر")
        extra = {"refund_due": None}

    with pytest.raises(ValidationError):
        decide(service_request, board, **extra)

    service_request.refresh_from_db()
    member.refresh_from_db()
    assert service_request.status == Status.PENDING_BOARD_DECISION
    assert not BoardDecision.objects.filter(service_request=service_request).exists()
    assert not service_request.timeline.exists()
    assert (member.status, member.shares) == (Member.Status.ACTIVE, 40)
    assert not Notification.objects.filter(member=member).exists()


def test_staff_cannot_complete_a_reserved_kind_without_the_board_even_if_the_service_skips_the_board():
    """A service reserved by kind but misconfigured as not needing the board still needs its decision."""
    person = applicant()
    request_type = RequestTypeFactory(kind=Kind.MEMBERSHIP_APPLICATION, needs_board_decision=False)
    application = ServiceRequestFactory(request_type=request_type, member=person, status=Status.IN_PROGRESS)
    from tests.requests_app.factories import department_staff

    with pytest.raises(ValidationError):
        services.complete_request(
            service_request=application, by=department_staff(application.department), outcome="تم"
        )

    person.refresh_from_db()
    assert person.status == Member.Status.APPLICANT


@pytest.mark.django_db(transaction=True)
def test_board_approvals_recorded_at_the_same_moment_admit_everyone_with_distinct_numbers(monkeypatch):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions and advisory locks need PostgreSQL")
    # The receipts are not the subject here: six PDFs rendered at once on a small machine only slow it down.
    monkeypatch.setattr(status_changes, "after_commit", lambda *args, **kwargs: None)
    highest = max(int(number) for number in Member.objects.values_list("membership_no", flat=True) if number.isdigit())
    board = UserFactory(roles=[Role.BOARD])
    applications = [pending(Kind.MEMBERSHIP_APPLICATION, applicant(), shares=10) for _ in range(6)]
    errors = []
    start = threading.Barrier(len(applications))

    def approve(application):
        try:
            start.wait()
            decide(application, board)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(application,)) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    admitted = Member.objects.filter(requests__in=applications)
    assert sorted(admitted.values_list("membership_no", flat=True)) == [str(highest + n) for n in range(1, 7)]
    assert all(member.shares == 10 and member.status == Member.Status.ACTIVE for member in admitted)
