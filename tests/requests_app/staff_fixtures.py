"""Fixtures for the staff queue tests: two departments, their staff and supervisors, requests in them.

Import the fixtures into a test module with `from tests.requests_app.staff_fixtures import *`.
"""

import datetime

import pytest
from django.utils import timezone

from members.roles import Role
from requests_app import sla
from requests_app.models import DepartmentMembership, ServiceRequest
from tests.requests_app.factories import (
    DepartmentFactory,
    MemberFactory,
    RequestTypeFactory,
    ServiceRequestFactory,
    UserFactory,
)

Status = ServiceRequest.Status


def staff_in(department, *, supervisor: bool = False, **fields):
    """A staff account (or a supervisor) working in `department`."""
    user = UserFactory(roles=[Role.SUPERVISOR if supervisor else Role.STAFF], **fields)
    DepartmentMembership.objects.create(department=department, user=user, is_supervisor=supervisor)
    return user


def make_request(request_type, **fields) -> ServiceRequest:
    """A request of `request_type` (its department), submitted now, due in a week unless told otherwise."""
    return ServiceRequestFactory(request_type=request_type, department=request_type.department, **fields)


def days(n: int) -> datetime.date:
    return sla.today() + datetime.timedelta(days=n)


@pytest.fixture
def coffee(db):
    return DepartmentFactory(code="tq-coffee", name_ar="الإرشاد الزراعي", name_en="Extension")


@pytest.fixture
def finance(db):
    return DepartmentFactory(code="tq-finance", name_ar="الشؤون المالية", name_en="Finance")


@pytest.fixture
def seedlings(coffee):
    return RequestTypeFactory(department=coffee, code="TQ-01", name_ar="طلب شتلات بن", name_en="Seedlings")


@pytest.fixture
def visit(coffee):
    return RequestTypeFactory(department=coffee, code="TQ-03", name_ar="طلب زيارة إرشادية", name_en="Visit")


@pytest.fixture
def statement(finance):
    return RequestTypeFactory(department=finance, code="TQ-91", name_ar="كشف الأرباح", name_en="Statement")


@pytest.fixture
def clerk(coffee):
    return staff_in(coffee, first_name="فهد", last_name="آل سالم")


@pytest.fixture
def colleague(coffee):
    return staff_in(coffee, first_name="سالم", last_name="آل يام")


@pytest.fixture
def supervisor(coffee):
    return staff_in(coffee, supervisor=True, first_name="نورة", last_name="آل منصور")


@pytest.fixture
def finance_clerk(finance):
    return staff_in(finance, first_name="ماجد", last_name="المالي")


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client


__all__ = [
    "MemberFactory",
    "Status",
    "clerk",
    "clerk_client",
    "coffee",
    "colleague",
    "days",
    "finance",
    "finance_clerk",
    "make_request",
    "seedlings",
    "staff_in",
    "statement",
    "supervisor",
    "supervisor_client",
    "timezone",
    "visit",
]
