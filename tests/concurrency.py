"""Running calls really at once: threads released together by a barrier, each on its own database connection.

Use in `django_db(transaction=True)` tests on PostgreSQL (row and advisory locks); SQLite serialises every writer,
so a race there proves nothing (`needs_postgresql`).
"""

import contextlib
import threading
from collections.abc import Callable

import pytest
from django.db import connection

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a race needs PostgreSQL's concurrent writers (SQLite serialises them)"
)


def at_once(*calls: Callable[[], object], timeout: float = 120) -> list[object]:
    """Run the calls in threads released at the same instant; returns each one's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a call did not finish"
    return results


def raised(results: list[object]) -> list[BaseException]:
    return [result for result in results if isinstance(result, BaseException)]


def meet_before(monkeypatch: pytest.MonkeyPatch, target: object, name: str, parties: int, wait_s: float = 1.0) -> None:
    """Make `parties` calls of `target.name` wait for each other (at most `wait_s`) before they run.

    Put it between a guarded read and the write it decides (a lock taken, a version compared): with the guard, the
    other calls are held at the lock and the first waits out `wait_s` alone; without it, every call has read
    before any writes, so a race that threads alone would lose only now and then is lost every time."""
    real, meeting = getattr(target, name), threading.Barrier(parties)

    def wait_then_call(*args: object, **kwargs: object) -> object:
        with contextlib.suppress(threading.BrokenBarrierError):  # the others are held by the guard: go on alone
            meeting.wait(timeout=wait_s)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, wait_then_call)
