"""The staff pages: access, the request page, transitions with their errors, stale forms, replies and notes."""

import pytest
from django.test import Client
from django.urls import reverse

from members.models import AccessLog, Notification
from requests_app.models import CannedReply, ServiceRequest, TimelineEvent
from tests.requests_app.factories import MemberFactory
from tests.requests_app.staff_fixtures import *  # noqa: F403
from tests.requests_app.staff_fixtures import Status, make_request, staff_in

pytestmark = pytest.mark.django_db


def page(service_request: ServiceRequest) -> str:
    return reverse("requests_app:staff-request", args=[service_request.reference_no])


def move(service_request: ServiceRequest, action: str) -> str:
    return reverse("requests_app:staff-request-move", args=[service_request.reference_no, action])


@pytest.mark.parametrize("name", ["requests_app:staff-home", "requests_app:queue", "requests_app:staff-request-new"])
def test_a_member_opening_a_staff_page_is_refused(client, name):
    member = MemberFactory()
    client.force_login(member.user)

    assert client.get(reverse(name)).status_code == 403


def test_a_member_opening_a_staff_request_url_of_their_own_request_is_refused(client, seedlings):
    service_request = make_request(seedlings)
    client.force_login(service_request.member.user)

    assert client.get(page(service_request)).status_code == 403


def test_staff_of_another_department_get_not_found(client, finance_clerk, seedlings):
    service_request = make_request(seedlings)
    client.force_login(finance_clerk)

    assert client.get(page(service_request)).status_code == 404
    assert client.post(move(service_request, "start-review"), {"start-review-version": 1}).status_code == 404
    service_request.refresh_from_db()
    assert service_request.status == Status.SUBMITTED


def test_staff_home_and_queue_open_for_staff(clerk_client, seedlings):
    service_request = make_request(seedlings)

    assert clerk_client.get(reverse("requests_app:staff-home")).status_code == 200
    queue_page = clerk_client.get(reverse("requests_app:queue"))
    assert service_request.reference_no in queue_page.content.decode()


def test_request_page_shows_internal_notes_to_staff_and_logs_the_look(clerk_client, clerk, seedlings):
    service_request = make_request(seedlings)
    TimelineEvent.objects.create(
        service_request=service_request,
        kind="internal_note",
        actor=clerk,
        note="ملاحظة داخلية سرية",
        visible_to_member=False,
    )

    response = clerk_client.get(page(service_request))

    assert "ملاحظة داخلية سرية" in response.content.decode()
    assert AccessLog.objects.filter(viewer=clerk, member=service_request.member).count() == 1


def test_staff_work_a_request_through_review_and_completion(clerk_client, seedlings):
    service_request = make_request(seedlings)

    clerk_client.post(move(service_request, "start-review"), {"start-review-version": 1})
    clerk_client.post(move(service_request, "start-work"), {"start-work-version": 2})
    response = clerk_client.post(move(service_request, "complete"), {"complete-version": 3, "complete-outcome": "تم"})

    assert response.status_code == 302
    service_request.refresh_from_db()
    assert (service_request.status, service_request.outcome) == (Status.COMPLETED, "تم")


def test_rejecting_without_a_reason_says_so_in_arabic_and_changes_nothing(clerk_client, seedlings):
    service_request = make_request(seedlings, status=Status.UNDER_REVIEW)

    response = clerk_client.post(move(service_request, "reject"), {"reject-version": 1, "reject-reason": "   "})

    assert response.status_code == 400
    assert "الرفض يحتاج إلى سبب" in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.status == Status.UNDER_REVIEW


def test_completing_a_cancelled_request_is_an_error(clerk_client, seedlings):
    service_request = make_request(seedlings, status=Status.CANCELLED)

    response = clerk_client.post(move(service_request, "complete"), {"complete-version": 1, "complete-outcome": "تم"})

    assert response.status_code == 409
    assert "لا يمكنك" in response.content.decode() or "cannot" in response.content.decode()
    service_request.refresh_from_db()
    assert (service_request.status, service_request.outcome) == (Status.CANCELLED, "")


def test_a_stale_form_says_the_request_changed_and_overwrites_nothing(clerk_client, colleague, seedlings):
    from requests_app import services

    service_request = make_request(seedlings, status=Status.UNDER_REVIEW)
    opened_version = service_request.version
    services.start_work(service_request=service_request, by=colleague)  # someone else moves it meanwhile

    response = clerk_client.post(
        move(service_request, "reject"), {"reject-version": opened_version, "reject-reason": "ناقص"}
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert "تغيّر هذا الطلب" in body or "changed after you opened it" in body
    assert "ناقص" in body  # what they typed is kept for a deliberate second try
    service_request.refresh_from_db()
    assert (service_request.status, service_request.outcome) == (Status.IN_PROGRESS, "")


def test_a_reply_with_html_is_shown_as_text_and_notifies_the_member(clerk_client, seedlings):
    service_request = make_request(seedlings, status=Status.UNDER_REVIEW)
    script = "<script>alert('x')</script><b>مرحبا</b>"

    clerk_client.post(
        reverse("requests_app:staff-request-reply", args=[service_request.reference_no]), {"text": script}
    )
    body = clerk_client.get(page(service_request)).content.decode()

    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert Notification.objects.filter(member=service_request.member, event="request_reply").exists()


def test_an_internal_note_never_reaches_the_member(client, clerk, seedlings):
    service_request = make_request(seedlings, status=Status.UNDER_REVIEW)
    client.force_login(clerk)
    client.post(
        reverse("requests_app:staff-request-note", args=[service_request.reference_no]),
        {"text": "العضو متأخر في السداد"},
    )
    client.force_login(service_request.member.user)

    body = client.get(service_request.get_absolute_url()).content.decode()

    assert TimelineEvent.objects.filter(service_request=service_request, kind="internal_note").count() == 1
    assert "العضو متأخر في السداد" not in body
    assert not Notification.objects.filter(member=service_request.member).exists()


def test_take_it_through_htmx_returns_the_row_with_the_new_assignee(clerk_client, clerk, seedlings):
    service_request = make_request(seedlings)

    response = clerk_client.post(
        reverse("requests_app:staff-request-take", args=[service_request.reference_no]), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert body.lstrip().startswith("<tr")
    assert clerk.first_name in body
    service_request.refresh_from_db()
    assert service_request.assignee == clerk


def test_take_it_when_someone_has_it_tells_who(clerk_client, colleague, seedlings):
    service_request = make_request(seedlings, assignee=colleague)

    response = clerk_client.post(
        reverse("requests_app:staff-request-take", args=[service_request.reference_no]), HTTP_HX_REQUEST="true"
    )

    assert colleague.get_full_name() in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.assignee == colleague


def test_only_a_supervisor_may_assign_from_the_request_page(clerk, supervisor, colleague, seedlings):
    service_request = make_request(seedlings)
    url = reverse("requests_app:staff-request-assign", args=[service_request.reference_no])
    clerk_client, supervisor_client = Client(), Client()
    clerk_client.force_login(clerk)
    supervisor_client.force_login(supervisor)

    refused = clerk_client.post(url, {"version": 1, "assignee": colleague.pk})
    accepted = supervisor_client.post(url, {"version": 1, "assignee": colleague.pk})

    assert (refused.status_code, accepted.status_code) == (403, 302)
    service_request.refresh_from_db()
    assert service_request.assignee == colleague


def test_bulk_assign_from_the_queue(supervisor_client, colleague, seedlings):
    first, second = make_request(seedlings), make_request(seedlings)

    supervisor_client.post(
        reverse("requests_app:queue-bulk-assign"), {"assignee": colleague.pk, "requests": [first.pk, second.pk]}
    )

    assert set(ServiceRequest.objects.values_list("assignee", flat=True)) == {colleague.pk}


def test_the_member_page_links_each_request_to_its_staff_page(supervisor_client, seedlings):
    service_request = make_request(seedlings)

    page = supervisor_client.get(reverse("members:member-detail", args=[service_request.member.pk]))
    staff_page = reverse("requests_app:staff-request", args=[service_request.reference_no])

    assert f'href="{staff_page}"' in page.content.decode()
    assert supervisor_client.get(staff_page).status_code == 200


def test_bulk_assign_returns_to_the_queue_with_its_filters_re_encoded(supervisor_client, colleague, seedlings):
    first = make_request(seedlings)

    response = supervisor_client.post(
        reverse("requests_app:queue-bulk-assign"),
        {"assignee": colleague.pk, "requests": [first.pk], "query": "status=open&q=a\r\nSet-Cookie: x=1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("requests_app:queue") + "?status=open&q=a%0D%0ASet-Cookie%3A+x%3D1"


# session, user, roles, departments, request (with member, service, department, assignee), assign menu,
# access-log line (on PostgreSQL with its synchronous_commit in the same statement), canned replies, attachments,
# timeline.
REQUEST_PAGE_QUERIES = 10


def test_request_page_query_count_does_not_grow_with_the_timeline(
    supervisor_client, supervisor, seedlings, django_assert_num_queries
):
    service_request = make_request(seedlings)

    def add_events(count):
        for n in range(count):
            TimelineEvent.objects.create(
                service_request=service_request,
                kind="internal_note",
                actor=supervisor,
                note=f"{n}",
                visible_to_member=False,
            )

    add_events(2)
    with django_assert_num_queries(REQUEST_PAGE_QUERIES):
        assert supervisor_client.get(page(service_request)).status_code == 200
    add_events(20)
    with django_assert_num_queries(REQUEST_PAGE_QUERIES):
        assert supervisor_client.get(page(service_request)).status_code == 200


def test_staff_in_two_departments_see_both(client, coffee, finance, seedlings, statement):
    both = staff_in(coffee)
    from requests_app.models import DepartmentMembership

    DepartmentMembership.objects.create(department=finance, user=both)
    ours, theirs = make_request(seedlings), make_request(statement)
    client.force_login(both)

    body = client.get(reverse("requests_app:queue")).content.decode()

    assert ours.reference_no in body and theirs.reference_no in body


def test_the_search_box_finds_closed_requests_too(clerk_client, seedlings):
    done = make_request(seedlings, status=Status.COMPLETED, reference_no="NJC-2026-000777")

    found = clerk_client.get(reverse("requests_app:queue"), {"q": "NJC-2026-000777", "status": "open"})
    listed = clerk_client.get(reverse("requests_app:queue"), {"status": "open"})

    assert done.reference_no in found.content.decode()
    assert done.reference_no not in listed.content.decode()


def test_the_member_page_lists_only_the_requests_the_staff_member_may_open(clerk_client, seedlings, statement):
    mine = make_request(seedlings)
    finances = make_request(statement, member=mine.member)

    page = clerk_client.get(reverse("members:member-detail", args=[mine.member.pk])).content.decode()

    assert mine.reference_no in page
    assert finances.reference_no not in page
    assert clerk_client.get(reverse("requests_app:staff-request", args=[finances.reference_no])).status_code == 404


def test_the_ready_replies_list_opens_on_words_not_dashes(clerk_client, coffee, seedlings):
    CannedReply.objects.create(department=coffee, request_type=seedlings, title_ar="استلمنا", text_ar="استلمنا طلبك.")
    page = clerk_client.get(reverse("requests_app:staff-request", args=[make_request(seedlings).reference_no]))

    assert '<option value="">اختر ردًا جاهزًا</option>' in page.content.decode()
    assert "---------" not in page.content.decode()
