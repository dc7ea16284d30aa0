"""Only one Celery beat: a second one refuses to start (the same check also ran by hand with two `celery beat`
processes: the second logged the refusal and exited with status 1)."""

import pytest

from members_portal import one_beat
from tests.concurrency import needs_postgresql

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def first_beat():
    assert one_beat.take_beat_lock()
    yield
    one_beat._held.close()
    one_beat._held = None


def test_a_second_beat_refuses_to_start_while_the_first_runs(first_beat):
    held = one_beat._held

    with pytest.raises(SystemExit, match="Another Celery beat is running"):
        one_beat.refuse_a_second_beat()

    assert one_beat._held is held  # the first keeps its lock


def test_a_beat_starts_once_the_previous_one_is_gone():
    assert one_beat.take_beat_lock()
    one_beat._held.close()  # the first beat's process ends: its connection, and the lock, go with it
    one_beat._held = None

    assert one_beat.take_beat_lock()
    one_beat._held.close()
    one_beat._held = None
