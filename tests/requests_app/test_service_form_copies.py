"""A service's page and form read the service, its category, department, fields and documents from the shared
cache (requests_app.service_forms), and the administrator's change shows on the next page, not five minutes later.

These tests commit (transaction=True), as pages and the administrator's saves do.
"""

import uuid

import pytest
from django.urls import reverse

from members_portal import reference
from requests_app import calendar, service_forms
from requests_app.models import RequestField, RequestType, ServiceRequest
from tests.requests_app.factories import RequestDocumentFactory, RequestFieldFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_cached")]

# session, user, member, draft; BEGIN, the draft written, the member's row locked, the reference number, the
# request, the draft marked, the timeline, the notices, COMMIT. The service, its fields and documents, and the
# calendar (for the due date) come from the cache.
SUBMISSION_QUERIES_WARM = 14
SUBMISSION_QUERIES_COLD = SUBMISSION_QUERIES_WARM + 5


def form_html(client, request_type) -> str:
    response = client.get(reverse("requests_app:request-submit", args=[request_type.code]))
    assert response.status_code == 200
    return response.content.decode()


def submit(client, request_type, **answers):
    data = {"token": str(uuid.uuid4()), "seedlings": "40", "season": "winter", **answers}
    return client.post(reverse("requests_app:request-submit", args=[request_type.code]), data)


@pytest.fixture
def tasks_queued(monkeypatch):
    """The tasks a commit hands to the broker, not run here (their own queries are the worker's)."""
    from members_portal import enqueue

    queued = []
    monkeypatch.setattr(enqueue, "_send", lambda task, args: queued.append(task.name))
    return queued


def test_a_submission_reads_the_service_and_the_calendar_from_the_cache(
    member_client, member, request_type, tasks_queued, django_assert_num_queries
):
    request_type.documents.all().delete()  # no file to send: the form alone
    assert submit(member_client, request_type).status_code == 302  # the year's counter, the session
    reference.forget_all()
    with django_assert_num_queries(SUBMISSION_QUERIES_COLD):  # the catalogue's four queries, the calendar
        assert submit(member_client, request_type).status_code == 302

    calendar.days_off()  # a page outside a transaction (the queue, a request's page) keeps the calendar's copy
    with django_assert_num_queries(SUBMISSION_QUERIES_WARM):
        assert submit(member_client, request_type).status_code == 302
    assert ServiceRequest.objects.filter(member=member).count() == 3
    assert tasks_queued.count("requests_app.tasks.render_submission_receipt") == 3


def test_the_copy_holds_what_the_database_holds_for_every_service(request_type):
    RequestDocumentFactory(request_type=request_type, name_ar="هوية", required=False, active=False)
    for service in RequestType.objects.active().select_related("category", "department"):
        copied = service_forms.service_form(service.code)
        assert copied is not None
        assert _values(copied) == _values(service)
        assert _values(copied.category) == _values(service.category)
        assert _values(copied.department) == _values(service.department)
        assert [_values(f) for f in copied.fields.all()] == [_values(f) for f in service.fields.order_by("order", "pk")]
        assert [_values(d) for d in copied.documents.all()] == [
            _values(d) for d in service.documents.order_by("order", "pk")
        ]
    assert service_forms.service_form("NO-SUCH") is None


def _values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_administrators_changes_show_on_the_next_form(member_client, request_type):
    assert "طلب شتلات بن" in form_html(member_client, request_type)

    request_type.name_ar = "طلب شتلات البن العربي"
    request_type.save()
    assert "طلب شتلات البن العربي" in form_html(member_client, request_type)

    RequestFieldFactory(request_type=request_type, key="farm", label_ar="اسم المزرعة", required=False)
    assert "اسم المزرعة" in form_html(member_client, request_type)

    RequestField.objects.get(request_type=request_type, key="farm").delete()
    assert "اسم المزرعة" not in form_html(member_client, request_type)


def test_a_document_made_required_is_asked_for_at_the_next_submission(member_client, request_type):
    request_type.documents.all().delete()
    assert submit(member_client, request_type).status_code == 302

    RequestDocumentFactory(request_type=request_type, name_ar="شهادة الحيازة", required=True)
    response = submit(member_client, request_type)

    assert response.status_code == 400
    assert "شهادة الحيازة" in response.content.decode()
    assert ServiceRequest.objects.count() == 1


def test_a_service_taken_out_of_the_catalogue_is_gone_at_once(member_client, request_type):
    form_html(member_client, request_type)

    request_type.active = False
    request_type.save()

    assert member_client.get(reverse("requests_app:request-submit", args=[request_type.code])).status_code == 404
    assert member_client.get(reverse("requests_app:guide-service", args=[request_type.code])).status_code == 404
    assert submit(member_client, request_type).status_code == 404
    assert not ServiceRequest.objects.exists()


def test_a_renamed_category_and_department_show_on_the_services_page(client, request_type):
    page = reverse("requests_app:guide-service", args=[request_type.code])
    client.get(page)

    request_type.category.name_ar = "الخدمات الزراعية"
    request_type.category.save()
    assert "الخدمات الزراعية" in client.get(page).content.decode()

    request_type.department.name_ar = "إدارة الإرشاد الزراعي"
    request_type.department.save()
    assert "إدارة الإرشاد الزراعي" in client.get(page).content.decode()
