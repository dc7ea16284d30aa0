"""The queue's open requests are read in the order of an index, whatever the sort (issue 15).

At 1,000,000 requests PostgreSQL walked an index of the whole table and skipped, row by row, what the filter did
not want: the "late" view by request number walked every reference (53 ms), late requests newest first read the
table to skip the on-time ones (152 ms). Each sort of the open requests now has a partial index of its own that
carries the columns the filters check. The planner's choice on a few rows is not the one on a million, so the
test turns sequential and bitmap scans and sorts off, and asks which index the page's query would walk.
"""

import pytest
from django.db import connection

from requests_app.desk import queue
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import days, make_request

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans (EXPLAIN)"),
]

EXPECTED = {
    queue.Sort.DUE: "request_open_due_idx",
    queue.Sort.DUE_DESC: "request_open_due_idx",
    queue.Sort.NEWEST: "request_open_submitted_idx",
    queue.Sort.SUBMITTED: "request_open_submitted_idx",
    queue.Sort.REFERENCE: "request_open_reference_idx",
}


def plan_of_the_page(user, filters: queue.QueueFilters) -> str:
    page_ids = queue.matching(user, filters).order_by(*queue.Sort.ORDER[filters.sort]).values("pk")[:51]
    sql, params = page_ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("sort", list(EXPECTED))
@pytest.mark.parametrize(
    "filters",
    [
        {"view": queue.SavedView.LATE},
        {"view": queue.SavedView.UNASSIGNED},
        {"sla_state": "on_time"},
    ],
    ids=["late", "unassigned", "on-time"],
)
def test_each_sort_of_the_open_requests_walks_its_own_index_and_not_the_table(clerk, seedlings, sort, filters):
    for n in range(-3, 3):
        make_request(seedlings, due_date=days(n))

    plan = plan_of_the_page(clerk, queue.QueueFilters(sort=sort, **filters))

    assert f"using {EXPECTED[sort]}" in plan, plan
    assert "Sort" not in plan, plan  # read in the index's order


def test_every_request_of_the_department_newest_first_walks_the_department_index(clerk, seedlings):
    for n in range(-3, 3):
        make_request(seedlings, due_date=days(n))

    plan = plan_of_the_page(clerk, queue.QueueFilters(status=queue.ANY, sort=queue.Sort.NEWEST))

    assert "using request_submitted_idx" in plan, plan  # not the whole table's submission index, skipping others
    assert "Sort" not in plan, plan
