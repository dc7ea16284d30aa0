import io

import pytest
from django.urls import reverse

from members import demo
from members.models import Member, User
from members.roles import Role, has_role
from members.validators import normalise_member_national_id, normalise_saudi_mobile

pytestmark = pytest.mark.django_db


def test_the_demo_register_has_200_valid_members_across_governorates():
    demo.seed(io.StringIO())

    register = Member.objects.exclude(status=Member.Status.APPLICANT)
    assert register.count() == 200
    assert register.values("governorate").distinct().count() == 7
    for member in register:
        assert normalise_member_national_id(member.national_id) == member.national_id
        assert normalise_saudi_mobile(str(member.mobile)) == str(member.mobile)
    assert register.filter(user__isnull=False).count() == demo.ACTIVATED + 2  # the two board members too


def test_seeding_twice_changes_nothing():
    demo.seed(io.StringIO())
    counts = (Member.objects.count(), User.objects.count())

    logins = demo.seed(io.StringIO())

    assert (Member.objects.count(), User.objects.count()) == counts
    assert ("member (activated)", "0500000201", demo.DEMO_PASSWORD) in logins


def test_board_members_are_members_with_a_record():
    demo.seed(io.StringIO())

    board = User.objects.get(username="board")
    assert has_role(board, Role.BOARD) and has_role(board, Role.MEMBER)
    assert board.member.membership_no == "10199"
    assert str(board.member.mobile) == str(board.phone)


def test_the_demo_member_signs_in_with_the_mobile(client):
    demo.seed(io.StringIO())

    response = client.post(reverse("account_login"), {"login": "0500000201", "password": demo.DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("members:profile")).context["member"].membership_no == "10001"
