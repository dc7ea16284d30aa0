import os

import pytest
from django.contrib.auth.models import Group

from members.roles import Role

# Playwright's sync API runs an event loop in the test thread; the ORM calls in browser tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Qahwa-Najran-2026"
pytest_plugins = ["tests.own_redis"]  # frozen_redis_server: a Redis of a test's own, to stop or freeze


@pytest.fixture
def make_user(django_user_model):
    """An active account holding the given roles, with a known password."""

    def make(email: str, *roles: Role, **fields):
        user = django_user_model.objects.create_user(
            username=email.split("@")[0], email=email, password=PASSWORD, **fields
        )
        # get_or_create: a transactional test (live_server) flushes the groups the data migration made.
        user.groups.add(*(Group.objects.get_or_create(name=role.value)[0] for role in roles))
        return user

    return make


@pytest.fixture
def member_user(make_user):
    return make_user("member@example.org", Role.MEMBER, first_name="سعيد", last_name="آل مريح")


@pytest.fixture
def administrator(make_user):
    return make_user("admin@example.org", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


@pytest.fixture(autouse=True)
def broker_not_marked_down(monkeypatch):
    """Each test starts with the broker and the cache taken as up, whatever an earlier test did to them."""
    from members_portal import cache, enqueue

    monkeypatch.setattr(enqueue, "_broker_down_until", 0.0)
    monkeypatch.setattr(cache, "_down_until", 0.0)
