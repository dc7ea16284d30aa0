"""The register changes a board decision makes: admission, share transfer, withdrawal (members.register)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from members import register
from members.models import AccessLog, Member, Notification
from members.roles import Role, has_role
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def capital(db):
    """Enough shares held by others that a few dozen stay under the 10 % cap."""
    return MemberFactory(shares=5000)


def applicant_account(**fields) -> Member:
    return MemberFactory(
        membership_no="", status=Member.Status.APPLICANT, user=UserFactory(roles=[Role.APPLICANT]), **fields
    )


def test_admit_applicant_gives_the_next_membership_number_the_shares_and_the_member_role(board_user, capital):
    MemberFactory(membership_no="A-7")  # not all digits: not counted
    highest = max(int(number) for number in Member.objects.values_list("membership_no", flat=True) if number.isdigit())
    applicant = applicant_account()

    admitted = register.admit_applicant(member=applicant, by=board_user, shares=30)

    user = type(applicant.user).objects.get(pk=applicant.user.pk)  # roles are read once per user object
    assert admitted.membership_no == str(highest + 1)
    assert (admitted.status, admitted.shares, admitted.joined_on) == (Member.Status.ACTIVE, 30, timezone.localdate())
    assert has_role(user, Role.MEMBER) and not has_role(user, Role.APPLICANT)
    assert set(
        Notification.objects.filter(member=admitted, event="membership_admitted").values_list("channel", flat=True)
    ) >= {"inbox", "sms"}
    assert AccessLog.objects.filter(member=admitted, viewer=board_user, detail__startswith="admitted").exists()


def test_only_an_applicant_can_be_admitted(board_user):
    member = MemberFactory()

    with pytest.raises(ValidationError):
        register.admit_applicant(member=member, by=board_user)


def test_an_admission_above_the_share_cap_changes_nothing(board_user):
    MemberFactory(shares=100)
    applicant = applicant_account()

    with pytest.raises(ValidationError):
        register.admit_applicant(member=applicant, by=board_user, shares=50)

    applicant.refresh_from_db()
    assert (applicant.status, applicant.membership_no, applicant.shares) == (Member.Status.APPLICANT, "", 0)


def test_a_transfer_moves_shares_between_two_members_and_tells_the_transferee(board_user, capital):
    giver = MemberFactory(shares=40)
    taker = MemberFactory(shares=10)

    register.transfer_shares(from_member=giver, to_national_id=taker.national_id, shares=15, by=board_user)

    giver.refresh_from_db()
    taker.refresh_from_db()
    assert (giver.shares, taker.shares) == (25, 25)
    assert Notification.objects.filter(member=taker, event="shares_received", channel="sms").exists()
    assert AccessLog.objects.filter(member=giver, detail__contains="-15").exists()
    assert AccessLog.objects.filter(member=taker, detail__contains="+15").exists()


@pytest.mark.parametrize("problem", ["unknown transferee", "more than held", "withdrawn transferee"])
def test_a_transfer_that_cannot_happen_changes_nothing(problem, board_user, capital):
    giver = MemberFactory(shares=40)
    taker = MemberFactory(shares=10, status=Member.Status.WITHDRAWN if problem == "withdrawn transferee" else "active")
    national_id = "1999999993" if problem == "unknown transferee" else taker.national_id
    shares = 41 if problem == "more than held" else 5

    with pytest.raises(ValidationError):
        register.transfer_shares(from_member=giver, to_national_id=national_id, shares=shares, by=board_user)

    assert Member.objects.get(pk=giver.pk).shares == 40
    assert Member.objects.get(pk=taker.pk).shares == 10


def test_a_member_who_transfers_every_share_is_no_longer_a_member(board_user, capital):
    giver = MemberFactory(shares=40)
    taker = MemberFactory(shares=10)

    register.transfer_shares(from_member=giver, to_national_id=taker.national_id, shares=40, by=board_user)

    giver.refresh_from_db()
    assert (giver.status, giver.shares, giver.refund_due) == (Member.Status.WITHDRAWN, 0, None)
    assert giver.withdrawn_on == timezone.localdate()
    assert AccessLog.objects.filter(member=giver, detail__contains="membership ended").exists()


def test_a_transfer_that_leaves_fewer_than_the_minimum_holding_changes_nothing(board_user, capital, settings):
    settings.MEMBERSHIP_MIN_SHARES = 10
    giver = MemberFactory(shares=40)
    taker = MemberFactory(shares=10)

    with pytest.raises(ValidationError) as refused:
        register.transfer_shares(from_member=giver, to_national_id=taker.national_id, shares=35, by=board_user)

    assert refused.value.code == "below_minimum"
    assert (Member.objects.get(pk=giver.pk).shares, Member.objects.get(pk=taker.pk).shares) == (40, 10)
    assert Member.objects.get(pk=giver.pk).status == Member.Status.ACTIVE


def test_a_withdrawal_ends_the_membership_with_the_refund_due(board_user):
    member = MemberFactory(shares=20)

    register.withdraw_member(member=member, by=board_user, refund_due=Decimal("2150.50"))

    member.refresh_from_db()
    assert member.status == Member.Status.WITHDRAWN
    assert (member.withdrawn_on, member.refund_due) == (timezone.localdate(), Decimal("2150.50"))
    assert AccessLog.objects.filter(member=member, detail__startswith="withdrawn").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_admissions_never_share_a_membership_number():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions and advisory locks need PostgreSQL")
    MemberFactory(membership_no="20000", shares=5000)
    board = UserFactory(roles=[Role.BOARD])
    applicants = [applicant_account() for _ in range(8)]
    numbers, errors = [], []
    start = threading.Barrier(len(applicants))

    def admit(applicant):
        from django.db import connections

        try:
            start.wait()
            numbers.append(register.admit_applicant(member=applicant, by=board, shares=5).membership_no)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=admit, args=(applicant,)) for applicant in applicants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(numbers) == [str(n) for n in range(20001, 20009)]
