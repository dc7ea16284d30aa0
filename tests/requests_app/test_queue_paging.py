"""The queue's pages: counted without the display joins, "more than 10,000" past the cap, every page reachable."""

import pytest
from django.urls import reverse

from requests_app.desk import queue_paging
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import MemberFactory, days, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(queue_paging, "PAGE_SIZE", 2)
    monkeypatch.setattr(queue_paging, "COUNT_CAP", 4)


def numbers(response) -> list[str]:
    return [row["reference_no"] for row in response.context["page_obj"].object_list]


def test_the_count_and_the_pages_under_the_cap(clerk_client, seedlings, small_pages):
    made = [make_request(seedlings, due_date=days(n)) for n in range(3)]

    first = clerk_client.get(reverse("requests_app:queue"))
    last = clerk_client.get(reverse("requests_app:queue"), {"page": "9"})  # past the end: the last page

    assert first.context["page_obj"].count == 3
    assert numbers(first) == [made[0].reference_no, made[1].reference_no]
    assert "الصفحة 1 من 2" in first.content.decode()
    assert numbers(last) == [made[2].reference_no]
    assert not last.context["page_obj"].has_next


def test_past_the_cap_the_page_says_more_than_and_every_page_is_still_reachable(clerk_client, seedlings, small_pages):
    made = [make_request(seedlings, due_date=days(n), member=MemberFactory()) for n in range(7)]

    first = clerk_client.get(reverse("requests_app:queue"))
    fourth = clerk_client.get(reverse("requests_app:queue"), {"page": "4"})

    assert "أكثر من 10٬000 طلب" in first.content.decode()
    assert first.context["page_obj"].count_capped and first.context["page_obj"].has_next
    assert numbers(fourth) == [made[6].reference_no]
    assert not fourth.context["page_obj"].has_next
    assert "الصفحة 4" in fourth.content.decode()


def test_the_count_leaves_out_the_joins_the_rows_display(clerk_client, seedlings, django_assert_num_queries):
    make_request(seedlings)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        clerk_client.get(reverse("requests_app:queue"))

    [count] = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"]]
    assert "JOIN" not in count
