"""A broker that is down costs one request its connection timeout, not every request."""

import pytest
from kombu.exceptions import OperationalError

from members_portal import enqueue


class FakeTask:
    name = "fake.task"

    def __init__(self, error: Exception | None = None):
        self.error = error
        self.calls = []

    def apply_async(self, args):
        self.calls.append(args)
        if self.error:
            raise self.error


def test_after_a_broker_failure_the_next_publishes_skip_the_broker(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(enqueue.time, "monotonic", lambda: clock[0])
    down = FakeTask(OperationalError("Error 111 connecting to 127.0.0.1:6379"))
    later = FakeTask()

    enqueue._send(down, (1,))
    enqueue._send(later, (2,))
    clock[0] += enqueue.BROKER_RETRY_AFTER_S + 1
    enqueue._send(later, (3,))

    assert down.calls == [(1,)]
    assert later.calls == [(3,)]  # (2,) was left to the sweep, (3,) tried the broker again


def test_a_failing_task_in_eager_mode_does_not_mark_the_broker_down():
    failing = FakeTask(ValueError("a bug in the task"))
    after = FakeTask()

    enqueue._send(failing, (1,))
    enqueue._send(after, (2,))

    assert after.calls == [(2,)]


@pytest.mark.django_db
def test_the_task_is_published_when_the_transaction_commits(django_capture_on_commit_callbacks):
    task = FakeTask()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue.after_commit(task, 7)

    assert len(callbacks) == 1 and task.calls == [(7,)]
