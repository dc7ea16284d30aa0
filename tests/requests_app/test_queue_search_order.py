"""A search that resolved its members is read by the member index and sorted after reading (rows_between, few=True):
its pages must come in exactly the order the queue promises, page after page, as a plain sort of the matches gives."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from requests_app.desk import queue
from requests_app.desk.queue_paging import PAGE_SIZE
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import MemberFactory, Status, days, make_request

pytestmark = pytest.mark.django_db

# The queue's sorts, as a plain sort of the requests would order them.
EXPECTED_ORDER = {
    queue.Sort.DUE: lambda r: (r.due_date, r.pk),
    queue.Sort.DUE_DESC: lambda r: (-r.due_date.toordinal(), -r.pk),
    queue.Sort.NEWEST: lambda r: (-r.submitted_at.timestamp(), -r.pk),
    queue.Sort.SUBMITTED: lambda r: (r.submitted_at, r.pk),
    queue.Sort.REFERENCE: lambda r: r.reference_no,
}


@pytest.fixture
def matches(seedlings, statement):
    """Seven requests of two members named سالم, with due dates and submission times that tie and cross; others
    that must not show: another name, another department's."""
    salem = MemberFactory(full_name_ar="سالم بن فهد آل يام")
    salem_too = MemberFactory(full_name_ar="سالم بن علي آل مريح")
    now = timezone.now()
    found = []
    for n, (due, hours_ago, status) in enumerate(
        [(3, 5, Status.SUBMITTED), (1, 5, Status.IN_PROGRESS), (3, 1, Status.COMPLETED), (-2, 9, Status.SUBMITTED),
         (1, 2, Status.REJECTED), (7, 7, Status.UNDER_REVIEW), (3, 3, Status.SUBMITTED)]
    ):  # fmt: skip
        found.append(
            make_request(
                seedlings,
                member=salem if n % 2 else salem_too,
                due_date=days(due),
                submitted_at=now - datetime.timedelta(hours=hours_ago),
                status=status,
                reference_no=f"NJC-2026-{(n * 37) % 11 + 100:06d}",
            )
        )
    make_request(seedlings, member=MemberFactory(full_name_ar="سعيد بن محمد"))
    make_request(statement, member=salem, due_date=days(-9))  # the same member, another department: not ours
    return found


@pytest.mark.parametrize("sort", list(EXPECTED_ORDER))
def test_a_name_searchs_pages_follow_the_sort_as_a_plain_sort_of_the_matches(clerk, matches, sort):
    selected = queue.selection(clerk, queue.QueueFilters(q="سالم", status=queue.ANY, sort=sort))
    assert selected.few

    pages = [queue.rows_between(selected.requests, sort, start, start + 2, few=True) for start in range(0, 8, 2)]

    expected = [r.reference_no for r in sorted(matches, key=EXPECTED_ORDER[sort])]
    assert [row["reference_no"] for page in pages for row in page] == expected


def test_a_common_word_keeps_the_queues_index_order(clerk, matches, monkeypatch):
    monkeypatch.setattr(queue, "NAME_MATCHES_RESOLVED", 1)

    selected = queue.selection(clerk, queue.QueueFilters(q="سالم", status=queue.ANY))

    assert not selected.few
    rows = queue.rows_between(selected.requests, queue.Sort.DUE, 0, PAGE_SIZE)
    assert [row["reference_no"] for row in rows] == [r.reference_no for r in sorted(matches, key=EXPECTED_ORDER["due"])]


def test_the_queue_page_shows_a_name_searchs_requests_soonest_due_first(clerk_client, matches):
    page = clerk_client.get(reverse("requests_app:queue"), {"q": "سالم"}).content.decode()

    expected = [r.reference_no for r in sorted(matches, key=EXPECTED_ORDER[queue.Sort.DUE])]
    assert [page.index(f">{reference_no}<") for reference_no in expected] == sorted(
        page.index(f">{reference_no}<") for reference_no in expected
    )


@pytest.mark.parametrize(("ids", "sql_end", "params"), [([3, 5], "IN (%s, %s)", [3, 5]), ([], "1 = 0", [])])
def test_without_arrays_the_resolved_members_are_an_in_list(ids, sql_end, params):
    """PostgreSQL gets the ids as one array (= ANY); SQLite, the embedded default, has no arrays."""
    from django.db import connection

    from requests_app.models import ServiceRequest

    query = ServiceRequest.objects.filter(queue._one_of_members(ids)).query
    lookup = query.where.children[0]

    class SQLite:
        vendor = "sqlite"

    sql, sql_params = lookup.as_sql(query.get_compiler(connection=connection), SQLite())
    assert sql.endswith(sql_end)
    assert sql_params == params
    if connection.vendor == "postgresql":
        assert lookup.as_sql(query.get_compiler(connection=connection), connection) == (
            '"requests_app_servicerequest"."member_id" = ANY(%s)',
            [ids],
        )


@pytest.mark.parametrize(("typed", "sorted_after_reading"), [("سالم", True), ("", False)])
def test_the_queue_page_sorts_after_reading_only_when_a_search_resolved_its_members(
    clerk_client, matches, typed, sorted_after_reading
):
    with CaptureQueriesContext(connection) as queries:
        clerk_client.get(reverse("requests_app:queue"), {"q": typed})

    (rows_query,) = [
        query["sql"]
        for query in queries
        if query["sql"].startswith('SELECT "requests_app_servicerequest"') and "LIMIT" in query["sql"]
    ]
    assert ("COALESCE(" in rows_query) is sorted_after_reading
