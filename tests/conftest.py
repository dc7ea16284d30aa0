import os

import pytest
from django.contrib.auth.models import Group

from members.roles import Role

# Playwright's sync API runs an event loop in the test thread; the ORM calls in browser tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Qahwa-Najran-2026"
pytest_plugins = ["tests.own_redis"]  # frozen_redis_server: a Redis of a test's own, to stop or freeze
# Every staff, supervisor, board and administrator account made in a test has this authenticator-app secret, as
# people set one up (members/two_factor.py); tests.browser.helpers.login types its current code at sign-in.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


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


@pytest.fixture
def reference_data_cached(settings):
    """Reference data kept as with CACHE_URL (the tests' cache is this process's own), from nothing, and forgotten
    afterwards (members_portal.reference)."""
    from members_portal import reference

    settings.REFERENCE_DATA_CACHED = True
    reference.forget_all()
    yield
    reference.forget_all()


@pytest.fixture(autouse=True)
def privileged_accounts_have_a_second_factor(request):
    """A test account given a privileged role (or made a superuser) gets an authenticator app with TEST_TOTP_SECRET,
    so tests of staff pages sign in as staff do. Mark a test `no_second_factor` to make such accounts without one."""
    if request.node.get_closest_marker("no_second_factor"):
        yield
        return
    from django.db.models.signals import m2m_changed, post_save

    from members.models import User

    def give(user) -> None:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        privileged = (
            user.is_superuser
            or user.groups.filter(name__in=[Role.STAFF, Role.SUPERVISOR, Role.BOARD, Role.ADMINISTRATOR]).exists()
        )
        if privileged and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, TEST_TOTP_SECRET)

    def on_groups(sender, instance, action, **kwargs) -> None:
        if action == "post_add" and isinstance(instance, User):
            give(instance)

    def on_save(sender, instance, **kwargs) -> None:
        if instance.is_superuser:
            give(instance)

    m2m_changed.connect(on_groups, sender=User.groups.through, dispatch_uid="tests.second_factor.groups")
    post_save.connect(on_save, sender=User, dispatch_uid="tests.second_factor.superuser")
    yield
    m2m_changed.disconnect(dispatch_uid="tests.second_factor.groups", sender=User.groups.through)
    post_save.disconnect(dispatch_uid="tests.second_factor.superuser", sender=User)
