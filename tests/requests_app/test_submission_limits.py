"""A member submits at most so many requests in a while (30 in 3.5 s were accepted, each with an SMS); the form
says in Arabic from when the next one can go, and keeps what was typed."""

import datetime
import threading
import uuid

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from members.models import Notification
from members_portal import enqueue
from requests_app import services
from requests_app.models import Channel, Draft, ServiceRequest
from tests.requests_app.factories import MemberFactory, RequestTypeFactory, ServiceRequestFactory, department_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_in_ten_minutes(settings):
    settings.REQUEST_SUBMISSION_LIMITS = [(3, 600), (5, 86400)]


@pytest.fixture
def service(department):
    return RequestTypeFactory(department=department, code="TST-50")


def _submit(client, service):
    return client.post(reverse("requests_app:request-submit", args=[service.code]), {"token": str(uuid.uuid4())})


def test_submissions_beyond_the_limit_are_refused_with_a_clear_arabic_message(member_client, member, service):
    answers = [_submit(member_client, service) for _attempt in range(5)]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 400, 400]
    assert ServiceRequest.objects.filter(member=member).count() == 3
    refusal = answers[3].content.decode()
    assert "قدّمت عددًا كبيرًا من الطلبات" in refusal
    assert Notification.objects.filter(member=member, event="request_submitted", channel="sms").count() == 3


def test_the_refused_form_is_kept_as_a_draft(member_client, member, service):
    for _attempt in range(4):
        _submit(member_client, service)

    assert Draft.objects.filter(member=member, service_request__isnull=True).count() == 1


def test_the_window_slides_so_the_member_may_submit_again_later(member_client, member, service):
    earlier = timezone.now() - datetime.timedelta(minutes=11)
    ServiceRequestFactory.create_batch(3, member=member, request_type=service, submitted_at=earlier)

    assert _submit(member_client, service).status_code == 302


def test_the_daily_limit_counts_the_whole_day(member_client, member, service):
    earlier = timezone.now() - datetime.timedelta(hours=3)
    ServiceRequestFactory.create_batch(5, member=member, request_type=service, submitted_at=earlier)

    assert _submit(member_client, service).status_code == 400


def test_another_members_submissions_do_not_count(member_client, member, service):
    ServiceRequestFactory.create_batch(3, member=MemberFactory(), request_type=service)

    assert _submit(member_client, service).status_code == 302


def test_staff_entering_requests_on_a_members_behalf_are_not_limited(member, service, department):
    staff = department_staff(department)
    ServiceRequestFactory.create_batch(3, member=member, request_type=service)
    draft = services.save_draft(member=member, request_type=service, token=uuid.uuid4(), answers={}, files=[], by=staff)

    service_request = services.submit_request(draft=draft, answers=[], by=staff, channel=Channel.WALK_IN)

    assert service_request.channel == Channel.WALK_IN


def test_the_limit_is_configurable(member_client, member, service, settings):
    settings.REQUEST_SUBMISSION_LIMITS = [(1, 600)]

    assert [_submit(member_client, service).status_code for _attempt in range(2)] == [302, 400]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL's (SQLite serialises writes)")
def test_parallel_submissions_of_one_member_cannot_all_slip_under_the_limit(department, monkeypatch):
    """Eight forms of one member sent at once, each through the way the member's form submits (open_request), and
    each through a draft saved earlier (submit_request)."""
    monkeypatch.setattr(enqueue, "_send", lambda task, args: None)  # receipts render in the worker, not in threads
    member = MemberFactory()
    service = RequestTypeFactory(department=department, code="TST-51")
    for submitting in (_open_at_once, _submit_drafts_at_once):
        ServiceRequest.objects.filter(member=member).delete()
        _at_once(8, submitting(member, service))
        assert ServiceRequest.objects.filter(member=member).count() == 3, submitting.__name__


def _open_at_once(member, service):
    def submit():
        services.open_request(member=member, request_type=service, answers=[], by=member.user, token=uuid.uuid4())

    return submit


def _submit_drafts_at_once(member, service):
    drafts = iter(
        [
            services.save_draft(
                member=member, request_type=service, token=uuid.uuid4(), answers={}, files=[], by=member.user
            )
            for _attempt in range(8)
        ]
    )
    lock = threading.Lock()

    def submit():
        with lock:
            draft = next(drafts)
        services.submit_request(draft=draft, answers=[], by=member.user)

    return submit


def _at_once(count: int, submit) -> None:
    start = threading.Barrier(count)

    def run() -> None:
        start.wait()
        try:
            submit()
        except Exception:  # noqa: S110 - refusals are expected; the count afterwards is what matters
            pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _thread in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
