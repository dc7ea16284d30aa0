"""One meaning of "supervisor" everywhere: the supervisor role AND the supervisor mark in that department."""

import pytest

from members.roles import Role
from requests_app import access, workflow
from requests_app.models import DepartmentMembership
from tests.requests_app.factories import DepartmentFactory, ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = workflow.Status


def account(department, *, role: Role, marked: bool):
    user = UserFactory(roles=[role])
    DepartmentMembership.objects.create(department=department, user=user, is_supervisor=marked)
    return user


@pytest.mark.parametrize(
    ("role", "marked", "supervises"),
    [
        (Role.SUPERVISOR, True, True),
        (Role.SUPERVISOR, False, False),  # the role alone leads no department
        (Role.STAFF, True, False),  # the mark alone, on a plain staff account, leads nothing
    ],
)
def test_a_supervisor_holds_the_role_and_the_departments_mark(role, marked, supervises):
    service_request = ServiceRequestFactory(status=Status.PENDING_BOARD_DECISION)
    user = account(service_request.department, role=role, marked=marked)

    assert access.is_department_supervisor(user, service_request) is supervises
    assert access.scope_of(user).supervises(service_request.department_id) is supervises
    # Recording the board's decision (the board, or a supervisor of the department) follows the same rule.
    assert workflow.may_move(user, service_request, Status.COMPLETED) is supervises


def test_staff_of_another_department_neither_work_nor_lead_the_request():
    service_request = ServiceRequestFactory()
    user = account(DepartmentFactory(), role=Role.SUPERVISOR, marked=True)

    assert not access.is_department_staff(user, service_request)
    assert not access.is_department_supervisor(user, service_request)
    assert service_request not in access.requests_for_staff(user)
