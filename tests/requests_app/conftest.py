import pytest

from requests_app.models import RequestField
from tests.requests_app.factories import (
    DepartmentFactory,
    MemberFactory,
    RequestDocumentFactory,
    RequestFieldFactory,
    RequestTypeFactory,
    department_staff,
)


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploads and receipts of a test go to its own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture
def department(db):
    return DepartmentFactory()


@pytest.fixture
def staff(department):
    return department_staff(department)


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def request_type(department):
    """A service with one required number field, one optional choice, one required document (PDF or image)."""
    request_type = RequestTypeFactory(department=department, code="FRM-99", name_ar="طلب شتلات بن", sla_days=5)
    RequestFieldFactory(
        request_type=request_type, key="seedlings", label_ar="عدد الشتلات", field_type=RequestField.FieldType.NUMBER
    )
    RequestFieldFactory(
        request_type=request_type,
        key="season",
        label_ar="الموسم",
        field_type=RequestField.FieldType.CHOICE,
        required=False,
        choices="winter|الشتاء|Winter\nspring|الربيع|Spring",
    )
    RequestDocumentFactory(request_type=request_type, name_ar="صك الملكية", required=True)
    return request_type


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture(autouse=True)
def no_signal_receivers(monkeypatch):
    """The requests app's tests stand alone: the surveys app's receiver of request_completed is tested there."""
    from requests_app.signals import request_completed

    monkeypatch.setattr(request_completed, "receivers", [])
