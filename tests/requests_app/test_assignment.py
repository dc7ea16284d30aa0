"""Take it, assign, reassign, bulk assign: who may, what is recorded, and races settled by the database."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import translation

from requests_app import services
from requests_app.desk import assignment
from requests_app.models import DepartmentMembership, ServiceRequest, TimelineEvent
from tests.concurrency import meet_before
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import Status, make_request, staff_in


@pytest.mark.django_db
def test_taking_assigns_and_records_an_event_the_member_does_not_see(clerk, seedlings):
    service_request = make_request(seedlings)

    assignment.take(service_request=service_request, by=clerk)

    service_request.refresh_from_db()
    assert (service_request.assignee, service_request.version) == (clerk, 2)
    event = TimelineEvent.objects.get(service_request=service_request, kind=TimelineEvent.Kind.ASSIGNED)
    assert (event.actor, event.visible_to_member) == (clerk, False)


@pytest.mark.django_db
def test_taking_a_request_someone_has_names_them_and_changes_nothing(clerk, colleague, seedlings):
    service_request = make_request(seedlings, assignee=colleague)

    with pytest.raises(assignment.AlreadyTaken) as refused:
        assignment.take(service_request=service_request, by=clerk)

    assert refused.value.assignee == colleague
    assert colleague.get_full_name() in refused.value.messages[0]
    service_request.refresh_from_db()
    assert service_request.assignee == colleague


@pytest.mark.django_db
def test_taking_a_closed_request_is_refused(clerk, seedlings):
    service_request = make_request(seedlings, status=Status.CANCELLED)

    with pytest.raises(ValidationError):
        assignment.take(service_request=service_request, by=clerk)


@pytest.mark.django_db
def test_staff_of_another_department_cannot_take(finance_clerk, seedlings):
    service_request = make_request(seedlings)

    with pytest.raises(PermissionDenied):
        assignment.take(service_request=service_request, by=finance_clerk)


@pytest.mark.django_db
def test_staff_who_are_not_supervisors_cannot_assign(clerk, colleague, seedlings):
    service_request = make_request(seedlings)

    with pytest.raises(PermissionDenied):
        assignment.assign(service_request=service_request, to=colleague, by=clerk)


@pytest.mark.django_db
def test_a_supervisor_cannot_assign_to_someone_outside_the_department(supervisor, finance_clerk, seedlings):
    service_request = make_request(seedlings)

    with pytest.raises(ValidationError):
        assignment.assign(service_request=service_request, to=finance_clerk, by=supervisor)

    service_request.refresh_from_db()
    assert service_request.assignee is None


@pytest.mark.django_db
def test_a_supervisor_reassigns_and_the_timeline_says_to_whom(supervisor, clerk, colleague, seedlings):
    service_request = make_request(seedlings, assignee=clerk)

    assignment.assign(service_request=service_request, to=colleague, by=supervisor, expected_version=1)

    service_request.refresh_from_db()
    assert service_request.assignee == colleague
    event = TimelineEvent.objects.get(service_request=service_request, kind=TimelineEvent.Kind.ASSIGNED)
    assert colleague.first_name in event.note


@pytest.mark.django_db
def test_a_supervisor_assigning_from_a_stale_page_changes_nothing(supervisor, clerk, colleague, seedlings):
    service_request = make_request(seedlings)
    services.start_review(service_request=service_request, by=clerk)

    with pytest.raises(services.StaleRequest):
        assignment.assign(service_request=service_request, to=colleague, by=supervisor, expected_version=1)

    service_request.refresh_from_db()
    assert service_request.assignee is None


@pytest.mark.django_db
def test_bulk_assign_on_a_mixed_selection_assigns_what_it_may_and_names_each_request_it_refused(
    supervisor, colleague, seedlings, statement, coffee
):
    first, second = make_request(seedlings), make_request(seedlings)
    closed = make_request(seedlings, status=Status.COMPLETED)
    already = make_request(seedlings, assignee=colleague)
    elsewhere = make_request(statement)  # a department the supervisor does not work in: counted, never named

    with translation.override("en"):
        outcome = assignment.bulk_assign(
            service_request_ids=[first.pk, second.pk, closed.pk, already.pk, elsewhere.pk], to=colleague, by=supervisor
        )

    assert sorted(outcome.assigned) == sorted([first.reference_no, second.reference_no])
    assert dict(outcome.refused) == {
        closed.reference_no: "it is closed",
        already.reference_no: "it is already with سالم آل يام",
    }
    assert outcome.not_found == 1
    closed.refresh_from_db()
    elsewhere.refresh_from_db()
    assert closed.assignee is None and elsewhere.assignee is None


@pytest.mark.django_db
def test_bulk_assign_names_the_requests_of_a_department_the_supervisor_does_not_lead(
    supervisor, colleague, seedlings, statement, finance
):
    DepartmentMembership.objects.create(department=finance, user=supervisor)  # works there, does not lead it
    DepartmentMembership.objects.create(department=finance, user=colleague)
    theirs = make_request(statement)

    with translation.override("en"):
        outcome = assignment.bulk_assign(service_request_ids=[theirs.pk], to=colleague, by=supervisor)

    assert outcome.assigned == []
    assert outcome.refused == [(theirs.reference_no, "you do not supervise its department")]


@pytest.mark.django_db
def test_bulk_assign_names_the_requests_of_a_department_the_assignee_does_not_work_in(
    supervisor, finance_clerk, seedlings
):
    ours = make_request(seedlings)

    with translation.override("en"):
        outcome = assignment.bulk_assign(service_request_ids=[ours.pk], to=finance_clerk, by=supervisor)

    assert outcome.refused == [(ours.reference_no, "ماجد المالي does not work in its department")]
    ours.refresh_from_db()
    assert ours.assignee is None


@pytest.mark.django_db
def test_taking_a_closed_request_is_refused_even_when_someone_had_it(clerk, colleague, seedlings):
    closed = make_request(seedlings, status=Status.COMPLETED, assignee=colleague)

    with pytest.raises(ValidationError) as refused:
        assignment.take(service_request=closed, by=clerk)

    assert refused.value.code == "closed"
    closed.refresh_from_db()
    assert closed.assignee == colleague


# --- Races (PostgreSQL: row locks and a conditional UPDATE; each thread has its own connection) --------------------


def _race(*calls):
    """Run the calls at the same moment in separate threads (separate connections); return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the loser's refusal is the point of the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and concurrent connections need PostgreSQL"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_staff_taking_at_once_exactly_one_wins_and_the_other_is_told_who(coffee, seedlings):
    service_request = make_request(seedlings)
    first, second = staff_in(coffee, first_name="أول"), staff_in(coffee, first_name="ثان")

    for _round in range(5):
        ServiceRequest.objects.filter(pk=service_request.pk).update(assignee=None)
        results = _race(
            lambda: assignment.take(service_request=service_request, by=first),
            lambda: assignment.take(service_request=service_request, by=second),
        )
        winners = [result for result in results if isinstance(result, ServiceRequest)]
        losers = [result for result in results if isinstance(result, assignment.AlreadyTaken)]
        assert (len(winners), len(losers)) == (1, 1), results
        service_request.refresh_from_db()
        assert losers[0].assignee == service_request.assignee
    assert TimelineEvent.objects.filter(service_request=service_request, kind="assigned").count() == 5


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_reassigning_at_once_exactly_one_wins(coffee, seedlings, monkeypatch):
    service_request = make_request(seedlings)
    boss_a, boss_b = staff_in(coffee, supervisor=True), staff_in(coffee, supervisor=True)
    worker_a, worker_b = staff_in(coffee), staff_in(coffee)
    # Both have read the request before either writes, unless the row lock holds the second back.
    meet_before(monkeypatch, ServiceRequest, "save", parties=2)

    results = _race(
        lambda: assignment.assign(service_request=service_request, to=worker_a, by=boss_a, expected_version=1),
        lambda: assignment.assign(service_request=service_request, to=worker_b, by=boss_b, expected_version=1),
    )

    winners = [result for result in results if isinstance(result, ServiceRequest)]
    stale = [result for result in results if isinstance(result, services.StaleRequest)]
    assert (len(winners), len(stale)) == (1, 1), results
    service_request.refresh_from_db()
    assert service_request.assignee == winners[0].assignee
    assert service_request.version == 2
    assert TimelineEvent.objects.filter(service_request=service_request, kind="assigned").count() == 1
