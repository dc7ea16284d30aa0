import pytest
from django.urls import reverse

from members.models import AccessLog
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_administrators_read_the_access_log_but_cannot_change_it(client, admin_user, staff_user):
    member = MemberFactory()
    entry = AccessLog.objects.create(viewer=staff_user, member=member, action=AccessLog.Action.VIEWED_RECORD)
    client.force_login(admin_user)

    listing = client.get(reverse("admin:members_accesslog_changelist"))
    change = client.post(reverse("admin:members_accesslog_change", args=[entry.pk]), {"detail": "edited"})
    delete = client.post(reverse("admin:members_accesslog_delete", args=[entry.pk]), {"post": "yes"})

    assert listing.status_code == 200
    assert member.full_name_ar in listing.content.decode()
    assert change.status_code == 403 and delete.status_code == 403
    entry.refresh_from_db()
    assert entry.detail == ""


def test_staff_cannot_open_the_access_log(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("admin:members_accesslog_changelist"))

    assert response.status_code == 302  # the admin sends anyone but an administrator to its sign-in


def test_opening_a_member_in_the_admin_is_logged(client, admin_user):
    member = MemberFactory()
    client.force_login(admin_user)

    client.get(reverse("admin:members_member_change", args=[member.pk]))

    assert AccessLog.objects.filter(viewer=admin_user, member=member, detail="admin").exists()


def test_correction_list_query_count_is_constant(client, staff_user, django_assert_num_queries):
    from members.models import CorrectionRequest

    client.force_login(staff_user)
    client.get(reverse("members:correction-list"))
    for member in MemberFactory.create_batch(3):
        CorrectionRequest.objects.create(member=member, field="village", requested_value="ثار")
    # session, user, roles, count, rows with their members
    with django_assert_num_queries(5):
        client.get(reverse("members:correction-list"))
    for member in MemberFactory.create_batch(10):
        CorrectionRequest.objects.create(member=member, field="village", requested_value="ثار")
    with django_assert_num_queries(5):
        client.get(reverse("members:correction-list"))
