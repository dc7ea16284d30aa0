"""The embedded default holds real use: four members submitting at once on SQLite all get their request.

Before members_portal.settings.embedded, a deferred transaction that read and then wrote could not wait for
the write lock: `make run` with four people submitting for 45 s answered 68 HTTP 500 «database is locked».
"""

import threading
import time
import uuid

import pytest
from django.db import OperationalError, connection, connections

from members_portal import enqueue
from requests_app import services
from requests_app.models import RequestField, ServiceRequest
from tests.requests_app.factories import MemberFactory, RequestFieldFactory, RequestTypeFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite settings of the embedded default"),
]

PEOPLE = 4
SECONDS = 6.0


@pytest.fixture
def queued(monkeypatch):
    """The broker is outside the web process: tasks are only counted (receipts render in the worker, not here)."""
    sent: list[str] = []
    monkeypatch.setattr(enqueue, "_send", lambda task, args: sent.append(task.name))
    return sent


def test_four_members_submitting_at_once_for_seconds_get_no_database_is_locked(queued, settings):
    settings.REQUEST_SUBMISSION_LIMITS = []  # the database is measured here, not the per-member limit
    assert connections["default"].settings_dict["NAME"] != ":memory:"  # a file, as `make run` has
    request_type = RequestTypeFactory(code="TST-40", sla_days=5)
    RequestFieldFactory(request_type=request_type, key="seedlings", field_type=RequestField.FieldType.WHOLE_NUMBER)
    members = [MemberFactory() for _person in range(PEOPLE)]
    errors: list[str] = []
    submitted = [0] * PEOPLE
    start = threading.Barrier(PEOPLE)

    def person(index: int) -> None:
        member = members[index]
        start.wait()
        deadline = time.monotonic() + SECONDS
        try:
            while time.monotonic() < deadline:
                try:
                    draft = services.save_draft(
                        member=member,
                        request_type=request_type,
                        token=uuid.uuid4(),
                        answers={},
                        files=[],
                        by=member.user,
                    )
                    services.submit_request(draft=draft, answers=[{"key": "seedlings", "value": 3}], by=member.user)
                except OperationalError as error:
                    errors.append(str(error))
                else:
                    submitted[index] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=person, args=(index,)) for index in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert all(count > 0 for count in submitted)
    assert ServiceRequest.objects.count() == sum(submitted)
    references = list(ServiceRequest.objects.values_list("reference_no", flat=True))
    assert len(set(references)) == len(references)
    assert queued.count("requests_app.tasks.render_submission_receipt") == len(references)
