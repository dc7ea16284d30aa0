"""The staff pages read their reference data (services, the department's staff, saved views, canned replies, the
holiday calendar) from the shared cache, and a change shows on the next page, not five minutes later.

These tests commit (transaction=True), as pages and the administrator's saves do.
"""

import pytest
from django.urls import reverse

from members_portal import reference
from requests_app.models import CannedReply, DepartmentMembership, SavedQueueView
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import make_request, staff_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_cached")]

QUEUE = "requests_app:queue"
# session, user, roles, departments, count, rows; the staff, services, holidays and saved views come from the cache.
QUEUE_PAGE_QUERIES_WARM = 6
QUEUE_PAGE_QUERIES_COLD = QUEUE_PAGE_QUERIES_WARM + 4


def queue_html(client) -> str:
    response = client.get(reverse(QUEUE))
    assert response.status_code == 200
    return response.content.decode()


def test_the_queue_asks_the_database_four_queries_less_once_its_reference_data_is_read(
    clerk_client, seedlings, django_assert_num_queries
):
    make_request(seedlings)
    queue_html(clerk_client)  # the session is saved at the first page
    reference.forget_all()

    with django_assert_num_queries(QUEUE_PAGE_QUERIES_COLD):
        queue_html(clerk_client)
    with django_assert_num_queries(QUEUE_PAGE_QUERIES_WARM):
        queue_html(clerk_client)


def test_a_renamed_service_shows_in_the_filter_on_the_next_page(clerk_client, seedlings):
    assert seedlings.name_ar in queue_html(clerk_client)

    seedlings.name_ar = "شتلات البن العربي"
    seedlings.save()

    assert f"{seedlings.code} · شتلات البن العربي" in queue_html(clerk_client)


def test_a_renamed_department_shows_in_the_filter_on_the_next_page(clerk_client, coffee, seedlings):
    assert coffee.name_ar in queue_html(clerk_client)

    coffee.name_ar = "إدارة البن والشتلات"
    coffee.save()

    assert ">إدارة البن والشتلات</option>" in queue_html(clerk_client)


def test_a_new_colleague_is_in_the_assign_menu_at_once_and_gone_when_deactivated(supervisor_client, coffee, seedlings):
    make_request(seedlings)
    assert "نوال" not in queue_html(supervisor_client)

    newcomer = staff_in(coffee, first_name="نوال", last_name="القحطاني")
    assert f'<option value="{newcomer.pk}">نوال القحطاني</option>' in queue_html(supervisor_client)

    newcomer.is_active = False
    newcomer.save()
    assert "نوال" not in queue_html(supervisor_client)

    newcomer.is_active = True
    newcomer.save()
    DepartmentMembership.objects.filter(user=newcomer).get().delete()
    assert "نوال" not in queue_html(supervisor_client)


def test_a_saved_view_is_a_tab_at_once_and_only_its_owners(clerk_client, colleague, seedlings):
    tab = 'href="?view=late">متأخرات الإرشاد</a>'
    assert tab not in queue_html(clerk_client)

    clerk_client.post(reverse("requests_app:queue-view-create"), {"name": "متأخرات الإرشاد", "query": "view=late"})
    queue_html(clerk_client)  # the page it goes back to, with "saved" on it
    assert tab in queue_html(clerk_client)

    clerk_client.force_login(colleague)
    assert tab not in queue_html(clerk_client)

    clerk_client.force_login(SavedQueueView.objects.get().owner)
    clerk_client.post(reverse("requests_app:queue-view-delete", args=[SavedQueueView.objects.get().pk]))
    assert tab not in queue_html(clerk_client)


def test_a_new_canned_reply_is_offered_on_the_next_view_of_a_request(clerk_client, coffee, seedlings):
    service_request = make_request(seedlings)
    page = reverse("requests_app:staff-request", args=[service_request.reference_no])
    assert "استلمنا شتلاتكم" not in clerk_client.get(page).content.decode()

    reply = CannedReply.objects.create(
        department=coffee, request_type=seedlings, title_ar="استلمنا شتلاتكم", text_ar="استلمنا طلب الشتلات."
    )
    assert "استلمنا شتلاتكم" in clerk_client.get(page).content.decode()

    reply.active = False
    reply.save()
    assert "استلمنا شتلاتكم" not in clerk_client.get(page).content.decode()


# session, user, roles, departments, the request with its member and staff, the access-log line (one statement),
# documents, timeline; the service, its department, canned replies and the calendar come from the cache.
REQUEST_PAGE_QUERIES_WARM = 8


def request_html(client, service_request) -> str:
    response = client.get(reverse("requests_app:staff-request", args=[service_request.reference_no]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_request_page_reads_its_service_and_department_from_the_cache(
    clerk_client, seedlings, django_assert_num_queries
):
    service_request = make_request(seedlings)
    request_html(clerk_client, service_request)

    with django_assert_num_queries(REQUEST_PAGE_QUERIES_WARM):
        html = request_html(clerk_client, service_request)
    assert f"{seedlings.name_ar} · " in html
    assert f"<dd>{seedlings.department.name_ar}</dd>" in html


def test_a_request_page_shows_a_renamed_service_and_the_department_the_request_was_sent_to(
    clerk_client, coffee, finance, seedlings
):
    service_request = make_request(seedlings)
    request_html(clerk_client, service_request)

    seedlings.name_ar = "شتلات البن العربي"
    seedlings.save()
    assert "شتلات البن العربي · " in request_html(clerk_client, service_request)

    seedlings.department = finance  # the service is handled elsewhere from now on; this request stays in coffee
    seedlings.active = False
    seedlings.save()
    html = request_html(clerk_client, service_request)
    assert "شتلات البن العربي · " in html
    assert f"<dd>{coffee.name_ar}</dd>" in html

    coffee.name_ar = "إدارة البن والشتلات"
    coffee.save()
    assert "<dd>إدارة البن والشتلات</dd>" in request_html(clerk_client, service_request)
