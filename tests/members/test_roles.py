import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from members.roles import Role, has_role, role_required, roles_of

pytestmark = pytest.mark.django_db


def test_every_role_of_the_design_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_a_supervisor_is_also_staff(make_user):
    supervisor = make_user("sup@example.org", Role.SUPERVISOR)

    assert has_role(supervisor, Role.STAFF)
    assert not has_role(supervisor, Role.BOARD)


def test_a_person_can_hold_several_roles(make_user):
    board_member = make_user("board@example.org", Role.BOARD, Role.MEMBER)

    assert roles_of(board_member) == {Role.BOARD, Role.MEMBER}


def test_roles_are_read_once_per_user(make_user, django_assert_num_queries):
    user = make_user("staff@example.org", Role.STAFF)

    with django_assert_num_queries(1):
        has_role(user, Role.STAFF)
        has_role(user, Role.BOARD)


def test_anonymous_and_inactive_people_hold_no_role(make_user, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    inactive = make_user("old@example.org", Role.STAFF, is_active=False)

    assert roles_of(AnonymousUser()) == frozenset()
    assert roles_of(inactive) == frozenset()


def test_role_required_refuses_a_signed_in_user_without_the_role(member_user):
    view = role_required(Role.BOARD)(lambda request: HttpResponse("reports"))
    request = RequestFactory().get("/reports/")
    request.user = member_user

    with pytest.raises(PermissionDenied):
        view(request)


def test_role_required_sends_an_anonymous_visitor_to_sign_in():
    from django.contrib.auth.models import AnonymousUser

    view = role_required(Role.BOARD)(lambda request: HttpResponse("reports"))
    request = RequestFactory().get("/reports/")
    request.user = AnonymousUser()

    response = view(request)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
