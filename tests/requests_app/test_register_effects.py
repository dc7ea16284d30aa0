"""Additional shares and the heirs' request take effect in the register: staff complete additional shares (not the
board's), the board decides the heirs' request (the chosen heir becomes a member with the inherited shares, or the
deceased member's membership ends with the refund due). All in the completing transaction, on the timeline and in
the access log; a rule broken rolls everything back."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import AccessLog, Member, Notification, ShareAcquisition
from members.roles import Role, has_role
from requests_app import completion, services, submission
from requests_app.desk import staff_services
from requests_app.models import BoardDecision, RequestType, ServiceRequest, TimelineEvent
from tests.requests_app.factories import (
    MemberFactory,
    RequestTypeFactory,
    ServiceRequestFactory,
    UserFactory,
    department_staff,
)

pytestmark = pytest.mark.django_db

Status = ServiceRequest.Status
Kind = RequestType.Kind


@pytest.fixture(autouse=True)
def capital(db):
    """Shares held by others, so the shares in these stories stay under the 10 % cap (5,000 shares)."""
    return MemberFactory(shares=5000, full_name_ar="مساهم كبير")


@pytest.fixture
def board():
    return UserFactory(roles=[Role.BOARD])


def request_of(kind: str, member: Member, *, status: str, needs_board: bool, **answers) -> ServiceRequest:
    request_type = RequestTypeFactory(kind=kind, needs_board_decision=needs_board)
    return ServiceRequestFactory(
        request_type=request_type,
        member=member,
        status=status,
        answers=[{"key": key, "label_ar": key, "label_en": key, "value": value} for key, value in answers.items()],
    )


def decide(service_request, board, **extra):
    return staff_services.record_board_decision(
        service_request=service_request, by=board, approved=True, meeting_reference="9/1448", note="قرار", **extra
    )


def applicant() -> Member:
    return MemberFactory(membership_no="", status=Member.Status.APPLICANT, user=UserFactory(roles=[Role.APPLICANT]))


def heirs_request(deceased: Member, *, by: Member, choice: str, heir_id: str = "") -> ServiceRequest:
    answers = {"deceased_id": deceased.national_id, "choice": choice, "heir_id": heir_id}
    return request_of(Kind.HEIRS_SUCCESSION, by, status=Status.PENDING_BOARD_DECISION, needs_board=True, **answers)


# --- Additional shares (MEM-02) --------------------------------------------------------------------------------


def test_staff_complete_additional_shares_and_the_register_holds_them_with_their_acquisition_date():
    member = MemberFactory(shares=20)
    purchase = request_of(Kind.ADDITIONAL_SHARES, member, status=Status.IN_PROGRESS, needs_board=False, shares=5)
    clerk = department_staff(purchase.department)

    services.complete_request(service_request=purchase, by=clerk, outcome="سُجلت الأسهم")

    member.refresh_from_db()
    purchase.refresh_from_db()
    assert (member.shares, purchase.status) == (25, Status.COMPLETED)
    assert not BoardDecision.objects.filter(service_request=purchase).exists()
    effect = purchase.timeline.get(kind=TimelineEvent.Kind.REGISTER_UPDATED)
    assert effect.visible_to_member and effect.actor == clerk
    assert "5" in effect.note and "25" in effect.note and str(timezone.localdate().year) in effect.note
    today = timezone.localdate().isoformat()
    assert AccessLog.objects.filter(member=member, viewer=clerk, detail=f"shares +5: subscription, acquired {today}")
    acquisition = ShareAcquisition.objects.get(member=member)
    assert (acquisition.shares, acquisition.how, acquisition.acquired_on) == (5, "subscription", timezone.localdate())


def test_additional_shares_above_the_cap_refuse_the_completion_and_change_nothing():
    member = MemberFactory(shares=20)
    purchase = request_of(Kind.ADDITIONAL_SHARES, member, status=Status.IN_PROGRESS, needs_board=False, shares=700)

    with pytest.raises(ValidationError):
        services.complete_request(service_request=purchase, by=department_staff(purchase.department), outcome="تم")

    member.refresh_from_db()
    purchase.refresh_from_db()
    assert (member.shares, purchase.status, purchase.version) == (20, Status.IN_PROGRESS, 1)
    assert not purchase.timeline.exists()
    assert not AccessLog.objects.filter(member=member).exists()
    assert not Notification.objects.filter(member=member).exists()
    assert not ShareAcquisition.objects.exists()


def test_whether_the_board_decides_comes_from_the_service_not_from_having_an_effect(board):
    """Additional shares marked as the board's go to the board and take effect with its approval only."""
    member = MemberFactory(shares=20)
    purchase = request_of(Kind.ADDITIONAL_SHARES, member, status=Status.IN_PROGRESS, needs_board=True, shares=5)

    with pytest.raises(services.ReservedToTheBoard):
        services.complete_request(service_request=purchase, by=department_staff(purchase.department), outcome="تم")
    assert Member.objects.get(pk=member.pk).shares == 20

    purchase.status = Status.PENDING_BOARD_DECISION
    purchase.save(update_fields=["status"])
    decide(purchase, board)
    assert Member.objects.get(pk=member.pk).shares == 25


def test_every_kind_reserved_to_the_board_has_an_effect_and_additional_shares_are_not_reserved():
    assert set(completion.EFFECTS) >= completion.RESERVED_TO_THE_BOARD
    assert Kind.ADDITIONAL_SHARES in completion.EFFECTS
    assert Kind.ADDITIONAL_SHARES not in completion.RESERVED_TO_THE_BOARD


def test_the_catalogue_marks_additional_shares_and_the_heirs_request_and_asks_for_the_heir():
    additional, heirs = RequestType.objects.get(code="MEM-02"), RequestType.objects.get(code="MEM-05")

    assert (additional.kind, additional.needs_board_decision) == (Kind.ADDITIONAL_SHARES, False)
    assert (heirs.kind, heirs.needs_board_decision) == (Kind.HEIRS_SUCCESSION, True)
    keys = [field.key for field in heirs.fields.all()]
    assert keys.index("heir_id") == keys.index("choice") + 1
    assert heirs.fields.get(key="heir_id").field_type == "national_id"
    assert {"substitute", "refund"} == {key for key, *_ in heirs.fields.get(key="choice").choice_options()}


# --- Heirs' succession or refund (MEM-05) ----------------------------------------------------------------------


def test_the_chosen_heir_becomes_a_member_with_the_inherited_shares(board):
    deceased = MemberFactory(shares=30, full_name_ar="صالح بن مانع اليامي")
    heir = applicant()
    succession = heirs_request(deceased, by=heir, choice="substitute", heir_id=heir.national_id)

    decide(succession, board)

    heir.refresh_from_db()
    deceased.refresh_from_db()
    assert (heir.status, heir.shares, heir.joined_on) == (Member.Status.ACTIVE, 30, timezone.localdate())
    assert heir.membership_no.isdigit() and heir.membership_no != deceased.membership_no
    assert has_role(type(heir.user).objects.get(pk=heir.user_id), Role.MEMBER)
    assert (deceased.status, deceased.shares, deceased.withdrawn_on) == (
        Member.Status.DECEASED,
        0,
        timezone.localdate(),
    )
    effect = succession.timeline.get(kind=TimelineEvent.Kind.REGISTER_UPDATED)
    assert heir.membership_no in effect.note and deceased.full_name_ar in effect.note and effect.visible_to_member
    assert AccessLog.objects.filter(member=deceased, viewer=board, detail__startswith="deceased").exists()
    assert AccessLog.objects.filter(member=heir, viewer=board, detail__startswith="heir of").exists()
    assert Notification.objects.filter(member=heir, event="membership_admitted", channel="sms").exists()
    assert ShareAcquisition.objects.filter(member=heir, shares=30, how="inheritance").exists()


def test_an_heir_already_a_member_keeps_their_number_and_adds_the_inherited_shares(board):
    deceased, heir = MemberFactory(shares=30), MemberFactory(shares=10, membership_no="70001")
    agent = applicant()  # the heirs' legal agent submits the request
    succession = heirs_request(deceased, by=agent, choice="substitute", heir_id=heir.national_id)

    decide(succession, board)

    heir.refresh_from_db()
    assert (heir.membership_no, heir.shares, heir.status) == ("70001", 40, Member.Status.ACTIVE)
    assert Member.objects.get(pk=deceased.pk).status == Member.Status.DECEASED
    assert Notification.objects.filter(member=heir, event="shares_received").exists()


def test_the_heirs_refund_ends_the_deceased_membership_with_the_refund_due(board):
    deceased = MemberFactory(shares=30)
    agent = applicant()
    refund = heirs_request(deceased, by=agent, choice="refund")
    assert completion.asks_for_refund(refund)

    decide(refund, board, refund_due=Decimal("3100.00"))

    deceased.refresh_from_db()
    assert (deceased.status, deceased.refund_due, deceased.withdrawn_on) == (
        Member.Status.DECEASED,
        Decimal("3100.00"),
        timezone.localdate(),
    )
    assert "3100.00" in refund.timeline.get(kind=TimelineEvent.Kind.REGISTER_UPDATED).note
    assert not Member.objects.filter(status=Member.Status.ACTIVE, pk=agent.pk).exists()


@pytest.mark.parametrize(
    "story",
    [
        "heir outside the register",
        "heir with an iqama",
        "heir not named",
        "heir above the cap",
        "deceased outside the register",
        "refund without the amount",
        "no choice",
    ],
)
def test_an_heirs_approval_that_cannot_take_effect_changes_nothing(story, board):
    deceased = MemberFactory(shares=30)
    heir = applicant()
    extra = {}
    if story == "heir outside the register":
        succession = heirs_request(deceased, by=heir, choice="substitute", heir_id="1999999993")
    elif story == "heir with an iqama":
        succession = heirs_request(deceased, by=heir, choice="substitute", heir_id="2000000006")
    elif story == "heir not named":
        succession = heirs_request(deceased, by=heir, choice="substitute")
    elif story == "heir above the cap":
        big_heir = MemberFactory(shares=550)  # 580 of 5,580 shares is above 10 %
        succession = heirs_request(deceased, by=heir, choice="substitute", heir_id=big_heir.national_id)
    elif story == "deceased outside the register":
        stranger = Member(national_id="1999999993")
        succession = heirs_request(stranger, by=heir, choice="substitute", heir_id=heir.national_id)
    elif story == "refund without the amount":
        succession, extra = heirs_request(deceased, by=heir, choice="refund"), {"refund_due": None}
    else:
        succession = heirs_request(deceased, by=heir, choice="")

    with pytest.raises(ValidationError):
        decide(succession, board, **extra)

    succession.refresh_from_db()
    deceased.refresh_from_db()
    heir.refresh_from_db()
    assert succession.status == Status.PENDING_BOARD_DECISION
    assert not BoardDecision.objects.filter(service_request=succession).exists()
    assert not succession.timeline.exists()
    assert (deceased.status, deceased.shares) == (Member.Status.ACTIVE, 30)
    assert (heir.status, heir.membership_no, heir.shares) == (Member.Status.APPLICANT, "", 0)
    assert not AccessLog.objects.exists()
    assert not Notification.objects.exists()
    assert not ShareAcquisition.objects.exists()


def test_a_deceased_members_record_takes_no_new_request():
    deceased = MemberFactory(status=Member.Status.DECEASED)

    with pytest.raises(ValidationError) as refused:
        submission.check_may_request(member=deceased, request_type=RequestTypeFactory())

    assert refused.value.code == "deceased"


@pytest.mark.parametrize(("choice", "asked"), [("refund", True), ("substitute", False)])
def test_the_boards_decision_page_asks_for_the_refund_only_when_the_heirs_ask_for_one(choice, asked, board):
    heirs = heirs_request(MemberFactory(shares=30), by=applicant(), choice=choice)
    client = Client()
    client.force_login(board)

    page = client.get(reverse("requests_app:board-decision", args=[heirs.reference_no]))

    assert page.status_code == 200
    assert ('name="refund_due"' in page.content.decode()) is asked


def test_a_deceased_members_shares_awaiting_the_refund_no_longer_count_in_the_capital(board):
    deceased, buyer = MemberFactory(shares=600), MemberFactory(shares=500)
    decide(heirs_request(deceased, by=applicant(), choice="refund"), board, refund_due=Decimal("60000.00"))
    purchase = request_of(Kind.ADDITIONAL_SHARES, buyer, status=Status.IN_PROGRESS, needs_board=False, shares=60)

    # 560 of 5,560 shares is above 10 %; had the deceased member's 600 still counted, 560 of 6,160 would not be.
    with pytest.raises(ValidationError):
        services.complete_request(service_request=purchase, by=department_staff(purchase.department), outcome="تم")

    assert Member.objects.get(pk=buyer.pk).shares == 500


def test_staff_asked_to_complete_additional_shares_over_the_cap_read_why_in_arabic_and_nothing_changes():
    member = MemberFactory(shares=20, full_name_ar="سعد بن محمد آل مريح")
    purchase = request_of(Kind.ADDITIONAL_SHARES, member, status=Status.IN_PROGRESS, needs_board=False, shares=700)
    client = Client()
    client.force_login(department_staff(purchase.department))

    page = client.post(
        reverse("requests_app:staff-request-move", args=[purchase.reference_no, "complete"]),
        {"complete-version": purchase.version, "complete-outcome": "سُجلت الأسهم"},
        HTTP_ACCEPT_LANGUAGE="ar",
    )

    assert page.status_code == 400
    assert "لا يجوز أن يملك عضو أكثر من 10٪ من أسهم الجمعية" in page.content.decode()
    purchase.refresh_from_db()
    assert (purchase.status, Member.objects.get(pk=member.pk).shares) == (Status.IN_PROGRESS, 20)
