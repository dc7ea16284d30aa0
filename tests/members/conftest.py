import json

import pytest
from django.core.cache import cache

from members.roles import Role
from tests.members.factories import UserFactory, member_account


@pytest.fixture(autouse=True)
def _fresh_cache_and_sms_file(settings, tmp_path):
    """Rate limits live in the cache; text messages go to a file per test, where tests read the codes."""
    cache.clear()
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    yield
    cache.clear()


@pytest.fixture
def sent_sms(settings):
    """The text messages sent so far in this test, as dicts with "to" and "text"."""

    def read() -> list[dict]:
        if not settings.SMS_FILE_PATH.exists():
            return []
        return [json.loads(line) for line in settings.SMS_FILE_PATH.read_text(encoding="utf-8").splitlines()]

    return read


@pytest.fixture
def staff_user(db):
    """Staff of the department that keeps the register (it handles admissions), so the directory shows everyone."""
    from requests_app.models import DepartmentMembership
    from tests.requests_app.factories import RequestTypeFactory

    user = UserFactory(roles=[Role.STAFF])
    admissions = RequestTypeFactory(needs_board_decision=True)
    DepartmentMembership.objects.create(department=admissions.department, user=user)
    return user


@pytest.fixture
def board_user(db):
    return UserFactory(roles=[Role.BOARD])


@pytest.fixture
def admin_user(db):
    return UserFactory(roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True)


@pytest.fixture
def member(db):
    return member_account(full_name_ar="سعيد بن محمد آل مريح", email="saeed@example.org")


@pytest.fixture
def other_member(db):
    return member_account(full_name_ar="فاطمة بنت علي آل حارث")
