"""The queue selector: scoped to the user's departments, filtered, searched, sorted; a constant number of queries."""

import datetime

import pytest
from django.urls import reverse

from members.models import Governorate
from requests_app.desk import queue
from requests_app.desk.staff_home import home_summary
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import MemberFactory, Status, days, make_request

pytestmark = pytest.mark.django_db


def refs(requests) -> list[str]:
    return [service_request.reference_no for service_request in requests]


def test_staff_see_only_the_requests_of_their_departments(clerk, seedlings, statement):
    ours = make_request(seedlings)
    make_request(statement)

    assert refs(queue.queue_for(clerk)) == [ours.reference_no]


def test_someone_without_a_department_sees_an_empty_queue(seedlings):
    from members.roles import Role
    from tests.requests_app.factories import UserFactory

    make_request(seedlings)

    assert list(queue.queue_for(UserFactory(roles=[Role.STAFF]))) == []


def test_the_default_queue_shows_open_requests_soonest_due_first(clerk, seedlings):
    later = make_request(seedlings, due_date=days(5))
    sooner = make_request(seedlings, due_date=days(1))
    make_request(seedlings, status=Status.COMPLETED, due_date=days(0))

    assert refs(queue.queue_for(clerk)) == [sooner.reference_no, later.reference_no]


def test_status_filter_can_show_closed_requests(clerk, seedlings):
    make_request(seedlings)
    done = make_request(seedlings, status=Status.COMPLETED)

    assert refs(queue.queue_for(clerk, queue.QueueFilters(status=Status.COMPLETED))) == [done.reference_no]
    assert len(queue.queue_for(clerk, queue.QueueFilters(status=queue.ANY))) == 2


def test_assignee_filters_mine_unassigned_and_a_person(clerk, colleague, seedlings):
    mine = make_request(seedlings, assignee=clerk)
    theirs = make_request(seedlings, assignee=colleague)
    nobodys = make_request(seedlings)

    assert refs(queue.queue_for(clerk, queue.QueueFilters(assignee="mine"))) == [mine.reference_no]
    assert refs(queue.queue_for(clerk, queue.QueueFilters(assignee="none"))) == [nobodys.reference_no]
    assert refs(queue.queue_for(clerk, queue.QueueFilters(assignee=str(colleague.pk)))) == [theirs.reference_no]


def test_saved_views_my_open_work_unassigned_and_late(clerk, seedlings):
    mine = make_request(seedlings, assignee=clerk, due_date=days(3))
    make_request(seedlings, assignee=clerk, status=Status.COMPLETED)
    unassigned = make_request(seedlings, due_date=days(4))
    late = make_request(seedlings, due_date=days(-2))

    assert refs(queue.queue_for(clerk, queue.QueueFilters(view=queue.SavedView.MINE))) == [mine.reference_no]
    assert refs(queue.queue_for(clerk, queue.QueueFilters(view=queue.SavedView.UNASSIGNED))) == [
        late.reference_no,
        unassigned.reference_no,
    ]
    assert refs(queue.queue_for(clerk, queue.QueueFilters(view=queue.SavedView.LATE))) == [late.reference_no]


def test_service_level_filter_leaves_out_requests_waiting_on_the_member(clerk, seedlings):
    late = make_request(seedlings, due_date=days(-1))
    make_request(seedlings, due_date=days(-1), status=Status.RETURNED_TO_MEMBER)
    today = make_request(seedlings, due_date=days(0))
    on_time = make_request(seedlings, due_date=days(2))

    def state(value):
        return refs(queue.queue_for(clerk, queue.QueueFilters(sla_state=value)))

    assert state("late") == [late.reference_no]
    assert state("due_today") == [today.reference_no]
    assert state("on_time") == [on_time.reference_no]


def test_service_governorate_and_date_filters(clerk, seedlings, visit):
    sharurah = MemberFactory(governorate=Governorate.SHARURAH)
    wanted = make_request(visit, member=sharurah)
    make_request(seedlings, member=sharurah)
    make_request(visit)
    old = make_request(visit, member=sharurah)
    old.submitted_at -= datetime.timedelta(days=40)
    old.save(update_fields=["submitted_at"])

    filters = queue.QueueFilters(
        service=visit.pk, governorate=Governorate.SHARURAH, submitted_from=days(-3), submitted_to=days(0)
    )

    assert refs(queue.queue_for(clerk, filters)) == [wanted.reference_no]


@pytest.mark.parametrize("typed", ["NJC-2026-000042", "njc-2026-000042", "2026-42", "42", "٤٢"])
def test_search_finds_a_request_by_its_number_however_it_is_typed(clerk, seedlings, typed, monkeypatch):
    monkeypatch.setattr(queue.sla, "today", lambda: datetime.date(2026, 11, 25))
    wanted = make_request(seedlings, reference_no="NJC-2026-000042")
    make_request(seedlings, reference_no="NJC-2026-000420")

    assert refs(queue.queue_for(clerk, queue.QueueFilters(q=typed))) == [wanted.reference_no]


@pytest.mark.parametrize("typed", ["0551234567", "+966551234567", "055 123 4567", "٠٥٥١٢٣٤٥٦٧", "70123"])
def test_search_finds_a_members_requests_by_mobile_or_membership_number(clerk, seedlings, typed):
    member = MemberFactory(mobile="+966551234567", membership_no="70123")
    wanted = make_request(seedlings, member=member)
    make_request(seedlings)

    assert refs(queue.queue_for(clerk, queue.QueueFilters(q=typed))) == [wanted.reference_no]


def test_search_by_name_ignores_hamza_and_diacritics(clerk, seedlings):
    member = MemberFactory(full_name_ar="أحمد بن علي آل مريح")
    wanted = make_request(seedlings, member=member)
    make_request(seedlings, member=MemberFactory(full_name_ar="سعيد بن محمد"))

    assert refs(queue.queue_for(clerk, queue.QueueFilters(q="احمد مريح"))) == [wanted.reference_no]
    assert refs(queue.queue_for(clerk, queue.QueueFilters(q="أَحْمَد"))) == [wanted.reference_no]


@pytest.mark.parametrize("resolved", [5000, 1], ids=["few-members-by-id", "many-members-by-subquery"])
def test_a_name_shared_by_several_members_finds_each_ones_requests(clerk, seedlings, monkeypatch, resolved):
    monkeypatch.setattr(queue, "NAME_MATCHES_RESOLVED", resolved)  # a common name: more members than resolved
    first = make_request(seedlings, member=MemberFactory(full_name_ar="فهد بن سالم آل يام"))
    second = make_request(seedlings, member=MemberFactory(full_name_ar="فهد بن صالح آل يام"))
    make_request(seedlings, member=MemberFactory(full_name_ar="سعيد بن محمد"))

    found = refs(queue.queue_for(clerk, queue.QueueFilters(q="فهد يام")))
    assert sorted(found) == sorted([first.reference_no, second.reference_no])
    assert refs(queue.queue_for(clerk, queue.QueueFilters(q="فهد القحطاني"))) == []


def test_search_never_reaches_another_departments_requests(clerk, statement):
    member = MemberFactory(mobile="+966551234567")
    make_request(statement, member=member)

    assert list(queue.queue_for(clerk, queue.QueueFilters(q="0551234567"))) == []


def test_sorts_newest_first_and_by_number(clerk, seedlings):
    first = make_request(seedlings, reference_no="NJC-2026-000002")
    second = make_request(seedlings, reference_no="NJC-2026-000001")

    assert refs(queue.queue_for(clerk, queue.QueueFilters(sort=queue.Sort.NEWEST))) == [
        second.reference_no,
        first.reference_no,
    ]
    assert refs(queue.queue_for(clerk, queue.QueueFilters(sort=queue.Sort.REFERENCE))) == [
        second.reference_no,
        first.reference_no,
    ]


def test_staff_home_counts_my_work_and_my_departments(clerk, seedlings, statement):
    make_request(seedlings, assignee=clerk, due_date=days(-1))
    make_request(seedlings, assignee=clerk, due_date=days(0))
    make_request(seedlings, due_date=days(3))
    make_request(seedlings, status=Status.RETURNED_TO_MEMBER, due_date=days(-5))
    make_request(statement, due_date=days(-1))

    home = home_summary(clerk)

    assert (home["my_late"], home["my_due_today"], len(home["mine"])) == (1, 1, 2)
    [department] = home["departments"]
    assert (department.open, department.unassigned, department.late, department.due_today) == (4, 2, 1, 1)
    assert department.waiting_on_member == 1


def _queue_queries(client, django_assert_num_queries, expected: int, **params) -> None:
    with django_assert_num_queries(expected):
        response = client.get(reverse("requests_app:queue"), params)
    assert response.status_code == 200


# session, user, roles, departments, staff, services, count, holidays, rows, saved views; a running portal reads the
# staff, services, holidays and saved views from the cache (test_reference_pages.py), never inside a test's transaction.
QUEUE_PAGE_QUERIES = 10


def test_queue_page_query_count_does_not_grow_with_rows(clerk_client, seedlings, django_assert_num_queries):
    for _ in range(3):
        make_request(seedlings)
    _queue_queries(clerk_client, django_assert_num_queries, QUEUE_PAGE_QUERIES)

    for _ in range(30):
        make_request(seedlings, member=MemberFactory())
    _queue_queries(clerk_client, django_assert_num_queries, QUEUE_PAGE_QUERIES)


def test_queue_search_adds_one_query_whatever_it_finds(clerk_client, seedlings, django_assert_num_queries):
    member = MemberFactory(mobile="+966551234567")
    for _ in range(12):
        make_request(seedlings, member=member)

    _queue_queries(clerk_client, django_assert_num_queries, QUEUE_PAGE_QUERIES + 1, q="0551234567")


def test_the_department_filter_shows_one_department_of_several(clerk, seedlings, statement, finance):
    from requests_app.models import DepartmentMembership

    DepartmentMembership.objects.create(department=finance, user=clerk)
    ours = make_request(seedlings)
    finances = make_request(statement)

    assert refs(queue.queue_for(clerk, queue.QueueFilters(department=finance.pk))) == [finances.reference_no]
    assert set(refs(queue.queue_for(clerk))) == {ours.reference_no, finances.reference_no}


def test_a_department_filter_outside_ones_own_departments_shows_nothing_of_it(clerk, seedlings, statement, finance):
    ours = make_request(seedlings)
    make_request(statement)

    assert refs(queue.queue_for(clerk, queue.QueueFilters(department=finance.pk))) == [ours.reference_no]


def test_the_staff_homes_department_links_open_the_queue_filtered(clerk_client, clerk, seedlings, statement, finance):
    from requests_app.models import DepartmentMembership

    DepartmentMembership.objects.create(department=finance, user=clerk)
    make_request(seedlings)
    finances = make_request(statement, due_date=days(-1))
    home = clerk_client.get(reverse("requests_app:staff-home")).content.decode()
    link = f"{reverse('requests_app:queue')}?department={finance.pk}&amp;view=late"

    assert link in home
    page = clerk_client.get(reverse("requests_app:queue"), {"department": finance.pk, "view": "late"})
    assert [row["reference_no"] for row in page.context["page_obj"].object_list] == [finances.reference_no]
    assert f'<option value="{finance.pk}" selected>' in page.content.decode()


def test_take_is_not_offered_on_closed_requests(clerk_client, seedlings):
    closed = make_request(seedlings, status=Status.COMPLETED)
    open_one = make_request(seedlings)

    body = clerk_client.get(reverse("requests_app:queue"), {"status": "any"}).content.decode()

    assert f"{closed.reference_no}/take/" not in body
    assert f"{open_one.reference_no}/take/" in body


def test_a_bulk_assignment_on_a_mixed_selection_says_which_requests_it_refused(supervisor_client, colleague, seedlings):
    first = make_request(seedlings)
    closed = make_request(seedlings, status=Status.COMPLETED)

    response = supervisor_client.post(
        reverse("requests_app:queue-bulk-assign"),
        {"assignee": colleague.pk, "requests": [first.pk, closed.pk]},
        follow=True,
    )

    said = [str(message) for message in response.context["messages"]]
    assert "أُسند طلب واحد إلى سالم آل يام." in said
    assert any(closed.reference_no in text and first.reference_no not in text for text in said)


def test_a_row_escapes_what_members_typed(clerk_client, seedlings):
    make_request(seedlings, member=MemberFactory(full_name_ar='<script>alert("x")</script> سعيد'))

    body = clerk_client.get(reverse("requests_app:queue")).content.decode()

    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; سعيد" in body
