"""Reference data read from the shared cache (members_portal.reference), through a real kind: the holiday calendar.

These tests commit (transaction=True): a copy is kept only outside transactions, as on a page.
"""

import datetime
import threading
import time

import pytest
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, transaction

from members_portal import cache as members_cache
from members_portal import reference
from requests_app import calendar
from requests_app.models import Holiday
from requests_app.reference_data import DEPARTMENT_STAFF, HOLIDAYS
from tests.own_redis import own_redis
from tests.requests_app.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_cached")]

# Days no calendar the migrations load holds (they load the official holidays of the coming years).
EID = datetime.date(2041, 1, 6)
FOUNDING_DAY = datetime.date(2041, 2, 22)


@pytest.fixture
def loaded():
    """The days off the migrations loaded, if any (a flush by an earlier test removes them)."""
    return calendar.days_off()


def test_the_second_read_asks_the_database_nothing(loaded, django_assert_num_queries):
    Holiday.objects.create(date=EID, name_ar="عيد الفطر")
    with django_assert_num_queries(1):
        assert calendar.days_off() == loaded | {EID}
    with django_assert_num_queries(0):
        assert calendar.days_off() == loaded | {EID}


def test_a_holiday_added_is_counted_by_the_next_read(loaded):
    assert calendar.days_off() == loaded

    Holiday.objects.create(date=EID, name_ar="عيد الفطر")
    assert calendar.days_off() == loaded | {EID}

    Holiday.objects.get(date=EID).delete()
    assert calendar.days_off() == loaded


def test_a_change_not_committed_is_never_kept_for_others(loaded):
    assert calendar.days_off() == loaded
    with pytest.raises(RuntimeError), transaction.atomic():
        Holiday.objects.create(date=EID, name_ar="يوم لم يثبت")
        assert calendar.days_off() == loaded | {EID}  # the transaction sees its own change
        raise RuntimeError("rolled back")

    assert calendar.days_off() == loaded


def test_a_transaction_that_changed_nothing_of_the_kind_reads_the_copy(loaded, django_assert_num_queries):
    """A submission computes its due date inside its transaction: the calendar is read from the copy there."""
    assert calendar.days_off() == loaded
    with transaction.atomic():
        Holiday.objects.create(date=EID, name_ar="عيد الفطر")
    assert calendar.days_off() == loaded | {EID}  # a page after the change: the copy of the new generation

    with transaction.atomic(), django_assert_num_queries(0):
        assert calendar.days_off() == loaded | {EID}


def test_a_transaction_reads_its_own_change_until_it_ends(loaded, django_assert_num_queries):
    assert calendar.days_off() == loaded
    with transaction.atomic():
        Holiday.objects.create(date=EID, name_ar="عيد الفطر")
        with django_assert_num_queries(1):
            assert calendar.days_off() == loaded | {EID}
        with transaction.atomic():  # a savepoint within it: still the transaction's own change
            assert calendar.days_off() == loaded | {EID}

    with pytest.raises(RuntimeError), transaction.atomic():
        Holiday.objects.get(date=EID).delete()
        assert calendar.days_off() == loaded
        raise RuntimeError("rolled back")
    with transaction.atomic():
        assert calendar.days_off() == loaded | {EID}  # the delete never happened


def test_what_a_transaction_read_from_the_database_is_never_kept(loaded, django_assert_num_queries):
    reference.forget_all()  # no copy: the transaction reads the database
    with transaction.atomic():
        Holiday.objects.bulk_create([Holiday(date=EID, name_ar="يوم لم يثبت")])  # no signal: not known as changed
        assert calendar.days_off() == loaded | {EID}
        transaction.set_rollback(True)

    with django_assert_num_queries(1):
        assert calendar.days_off() == loaded


def test_a_copy_read_before_a_change_is_not_served_after_it(loaded):
    """A page reads the calendar while the administrator's change commits: the page's copy (read before the change)
    must not be what the next page gets."""
    reference.forget_all()  # no copy yet: the slow page reads the database
    read_the_database, change_committed = threading.Event(), threading.Event()
    seen = []

    def slow_page():
        def build():
            days = frozenset(Holiday.objects.values_list("date", flat=True))
            read_the_database.set()
            change_committed.wait(10)
            return days

        try:
            seen.append(reference.read(HOLIDAYS, (), build, shape=("date",)))
        finally:
            connection.close()

    page = threading.Thread(target=slow_page)
    page.start()
    assert read_the_database.wait(10)
    Holiday.objects.create(date=EID, name_ar="عيد الفطر")
    change_committed.set()
    page.join(10)

    assert seen == [loaded]  # the slow page showed what it read
    assert calendar.days_off() == loaded | {EID}  # the next one shows the change


def test_a_change_behind_the_signals_is_read_after_migrate(loaded):
    assert calendar.days_off() == loaded
    Holiday.objects.bulk_create([Holiday(date=FOUNDING_DAY, name_ar="يوم التأسيس")])  # no signal
    assert calendar.days_off() == loaded  # the copy, until it expires or migrate runs

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert calendar.days_off() == loaded | {FOUNDING_DAY}


def test_a_sign_in_keeps_the_staff_copies_and_a_new_name_does_not():
    user = UserFactory()
    generation = reference._generations()[DEPARTMENT_STAFF.name]

    user.save(update_fields=["last_login"])
    assert reference._generations()[DEPARTMENT_STAFF.name] == generation

    user.first_name = "سالم"
    user.save(update_fields=["first_name"])
    assert reference._generations()[DEPARTMENT_STAFF.name] != generation


def test_a_change_another_process_made_is_read_though_this_process_holds_a_copy(loaded, django_assert_num_queries):
    assert calendar.days_off() == loaded
    Holiday.objects.bulk_create([Holiday(date=EID, name_ar="عيد الفطر")])  # saved by another process: no signal here
    cache.set(reference._generation_key(HOLIDAYS), "another-process-generation", None)

    with django_assert_num_queries(1):
        assert calendar.days_off() == loaded | {EID}


def test_a_request_reads_the_generations_once_and_sees_its_own_change(loaded, django_assert_num_queries):
    from django.core.signals import request_finished, request_started

    request_started.send(sender=None)
    try:
        assert calendar.days_off() == loaded
        cache.set(reference._generation_key(HOLIDAYS), "changed-elsewhere-meanwhile", None)
        with django_assert_num_queries(0):
            assert calendar.days_off() == loaded  # one request, one view of the generations

        Holiday.objects.create(date=EID, name_ar="عيد الفطر")  # this request's own change
        assert calendar.days_off() == loaded | {EID}
    finally:
        request_finished.send(sender=None)


def test_a_copy_is_read_afresh_after_five_minutes_whatever_happened(loaded, monkeypatch, django_assert_num_queries):
    """The bound for a change no signal announced: the copy this process holds, then the one in the cache."""
    Holiday.objects.bulk_create([Holiday(date=EID, name_ar="عيد الفطر")])  # no signal: the copies know nothing
    assert calendar.days_off() == loaded
    later = time.time() + reference.TIMEOUT_S + 1
    monkeypatch.setattr(reference, "_now", lambda: later)  # the cache's own clock keeps its copy alive

    with django_assert_num_queries(1):
        assert calendar.days_off() == loaded | {EID}

    Holiday.objects.bulk_create([Holiday(date=FOUNDING_DAY, name_ar="يوم التأسيس")])
    reference._held.clear()  # another process: only the cache's copy, stored a moment ago
    with django_assert_num_queries(0):
        assert calendar.days_off() == loaded | {EID}
    monkeypatch.setattr(reference, "_now", lambda: later + reference.TIMEOUT_S + 1)
    with django_assert_num_queries(1):
        assert calendar.days_off() == loaded | {EID, FOUNDING_DAY}


def test_a_copy_of_other_fields_is_never_taken():
    """During a rolling upgrade two releases may read the same kind with other fields."""
    old = reference.read(HOLIDAYS, ("shape",), lambda: ("old release",), shape=("date",))
    new = reference.read(HOLIDAYS, ("shape",), lambda: ("new release",), shape=("date", "name_ar"))

    assert (old, new) == (("old release",), ("new release",))


def test_without_a_shared_cache_nothing_is_kept(loaded, settings, django_assert_num_queries):
    settings.REFERENCE_DATA_CACHED = False
    Holiday.objects.create(date=EID, name_ar="عيد الفطر")
    for _ in range(2):
        with django_assert_num_queries(1):
            assert calendar.days_off() == loaded | {EID}


def test_on_redis_a_change_shows_and_a_stopped_redis_falls_back_to_the_database(
    loaded, settings, tmp_path, django_assert_num_queries
):
    with own_redis(tmp_path) as redis:
        settings.CACHES = {
            "default": {
                "BACKEND": "members_portal.cache.TolerantRedisCache",
                "LOCATION": redis.url(),
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        reference._held.clear()
        assert calendar.days_off() == loaded
        with django_assert_num_queries(0):
            assert calendar.days_off() == loaded
        Holiday.objects.create(date=EID, name_ar="عيد الفطر")
        assert calendar.days_off() == loaded | {EID}

        redis.process.terminate()
        redis.process.wait(10)
        members_cache._down_until = 0.0
        Holiday.objects.get(date=EID).delete()  # its new generation is lost with Redis
        with django_assert_num_queries(1):
            assert calendar.days_off() == loaded


def test_without_redis_every_read_asks_the_database(loaded, settings, django_assert_num_queries):
    settings.CACHES = {
        "default": {
            "BACKEND": "members_portal.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    Holiday.objects.create(date=EID, name_ar="عيد الفطر")
    for _ in range(2):
        with django_assert_num_queries(1):
            assert calendar.days_off() == loaded | {EID}
    assert cache.get("anything") is None
