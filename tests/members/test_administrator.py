"""The administrator of the README administers: the Django admin and the staff access log, by the role alone."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from members import demo, permissions
from members.models import AccessLog, User
from members.roles import Role
from tests.members.factories import PASSWORD, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_administrator():
    """An account given only the administrator role, as the admin's user page does: no superuser, no is_staff."""
    return UserFactory(roles=[Role.ADMINISTRATOR], is_staff=False, is_superuser=False)


def test_an_account_given_the_administrator_role_can_open_every_list_of_the_admin(client, plain_administrator):
    client.force_login(plain_administrator)

    refused = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        if client.get(url).status_code != 200:
            refused.append(url)

    assert refused == []


def test_the_readme_administrator_keeps_the_catalogue_and_reads_the_access_log(client):
    demo._accounts()
    administrator = User.objects.get(email="admin@najran-coffee.example")
    client.force_login(administrator)

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:requests_app_requesttype_add")).status_code == 200
    assert client.get(reverse("admin:requests_app_holiday_add")).status_code == 200
    assert client.get(reverse("admin:members_accesslog_changelist")).status_code == 200
    assert client.get(reverse("members:access-log")).status_code == 200


def sign_in_with_second_factor(client, user) -> None:
    """The portal's sign-in (the admin has none of its own): password, then the authenticator app's code."""
    from members.two_factor import current_totp_code
    from tests.conftest import TEST_TOTP_SECRET

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code(TEST_TOTP_SECRET)})


def test_an_administrator_signs_in_to_the_admin_by_the_role_not_the_staff_flag(client, plain_administrator):
    assert client.get(reverse("admin:login")).url.startswith(reverse("account_login"))

    sign_in_with_second_factor(client, plain_administrator)

    assert client.get(reverse("admin:index")).status_code == 200


def test_a_staff_member_with_the_staff_flag_still_cannot_sign_in_to_the_admin(client):
    clerk = UserFactory(roles=[Role.STAFF], is_staff=True)

    sign_in_with_second_factor(client, clerk)

    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:login")).status_code == 403


def test_the_administrator_still_cannot_edit_or_delete_the_access_log(client, plain_administrator, staff_user):
    entry = AccessLog.objects.create(viewer=staff_user, member=MemberFactory(), action=AccessLog.Action.VIEWED_RECORD)
    client.force_login(plain_administrator)

    change = client.post(reverse("admin:members_accesslog_change", args=[entry.pk]), {"detail": "edited"})
    delete = client.post(reverse("admin:members_accesslog_delete", args=[entry.pk]), {"post": "yes"})

    assert change.status_code == 403 and delete.status_code == 403


def test_role_permissions_drifted_by_hand_come_back_from_the_table():
    group = Group.objects.get(name=Role.ADMINISTRATOR)
    group.permissions.clear()
    Group.objects.get(name=Role.STAFF).permissions.add(Permission.objects.get(codename="view_accesslog"))

    permissions.grant_role_permissions()

    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert held == set(permissions.ROLE_PERMISSIONS[Role.ADMINISTRATOR])
    assert not Group.objects.get(name=Role.STAFF).permissions.exists()


def test_a_permission_the_table_names_wrongly_stops_the_grant(monkeypatch):
    monkeypatch.setitem(permissions.ROLE_PERMISSIONS, Role.SUPERVISOR, ("members.view_nothing",))

    with pytest.raises(ImproperlyConfigured, match=r"members\.view_nothing"):
        permissions.grant_role_permissions()


# --- The access log in the portal: the privacy officer's page ----------------------------------------------


def _log(viewer, member, n=1):
    for _ in range(n):
        AccessLog.objects.create(viewer=viewer, member=member, action=AccessLog.Action.VIEWED_RECORD, detail="/x/")


def test_the_privacy_officer_reads_the_access_log_by_member_and_by_staff(client, plain_administrator):
    saeed, fatima = MemberFactory(full_name_ar="سعيد آل مريح"), MemberFactory(full_name_ar="فاطمة آل حارث")
    clerk = UserFactory(roles=[Role.STAFF], first_name="هادي", last_name="اليامي")
    other = UserFactory(roles=[Role.STAFF], first_name="ناصر", last_name="الصقور")
    _log(clerk, saeed)
    _log(other, fatima)
    client.force_login(plain_administrator)
    url = reverse("members:access-log")

    everything = client.get(url).content.decode()
    by_member = client.get(url, {"member": saeed.membership_no}).content.decode()
    by_staff = client.get(url, {"viewer": other.pk}).content.decode()

    assert "سعيد آل مريح" in everything and "فاطمة آل حارث" in everything
    assert "سعيد آل مريح" in by_member and "فاطمة آل حارث" not in by_member
    assert "فاطمة آل حارث" in by_staff and "سعيد آل مريح" not in by_staff


def test_the_access_log_page_is_for_administrators_only(client, staff_user, board_user):
    for user in (staff_user, board_user):
        client.force_login(user)
        assert client.get(reverse("members:access-log")).status_code == 403


def test_the_access_log_page_is_paginated_with_a_constant_number_of_queries(
    client, plain_administrator, django_assert_num_queries
):
    clerk = UserFactory(roles=[Role.STAFF])
    client.force_login(plain_administrator)
    _log(clerk, MemberFactory())
    client.get(reverse("members:access-log"))
    # session, user, roles, the staff for the filter, count, rows with their staff and member
    with django_assert_num_queries(6):
        client.get(reverse("members:access-log"))
    for member in MemberFactory.create_batch(60):
        _log(UserFactory(roles=[Role.STAFF]), member)
    with django_assert_num_queries(6):
        response = client.get(reverse("members:access-log"))

    assert response.context["page"].paginator.num_pages == 2
    assert len(response.context["page"].object_list) == 50
