"""The admin: questionnaires versioned on change; responses read-only with nothing identifying; no invitations."""

import pytest
from django.contrib import admin
from django.urls import reverse

from surveys.models import Invitation, Questionnaire, Response
from tests.surveys.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_invitations_have_no_admin_page():
    assert Invitation not in admin.site._registry


def test_responses_in_the_admin_show_ratings_without_identifying_slices():
    model_admin = admin.site._registry[Response]

    shown = set(model_admin.list_display) | set(model_admin.readonly_fields) | set(model_admin.list_filter)

    assert not shown & {"id", "pk", "member", "service_request", "invitation"}
    assert not shown & {"request_type", "department", "governorate", "channel", "outcome"}  # slices: reports only
    assert model_admin.search_fields == ()
    assert not model_admin.has_change_permission(None)


def test_saving_a_changed_questionnaire_publishes_a_new_version(admin_client):
    questionnaire = Questionnaire.objects.get(code="default")
    url = reverse("admin:surveys_questionnaire_change", args=[questionnaire.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update({"overall_ar": "كيف تقيّم الخدمة إجمالًا؟", "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1"})
    data["versions-0-id"] = questionnaire.versions.get().pk
    data["versions-0-questionnaire"] = questionnaire.pk
    for key in ("ask_speed", "ask_clarity", "ask_courtesy", "ask_ease", "is_default", "active"):
        if not data.get(key):
            data.pop(key, None)

    page = admin_client.post(url, data)

    assert page.status_code == 302, page.content.decode()[:3000]
    assert list(questionnaire.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert questionnaire.versions.get(number=2).content["overall_ar"] == "كيف تقيّم الخدمة إجمالًا؟"
    assert questionnaire.versions.get(number=1).content["overall_ar"] == "ما تقييمك العام للخدمة؟"


def test_the_response_list_opens_for_administrators(admin_client):
    assert admin_client.get(reverse("admin:surveys_response_changelist")).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"governorate": "najran"},
        {"request_type__id__exact": "1"},
        {"department": "1"},
        {"channel": "phone"},
        {"outcome": "rejected"},
        {"month": "2025-04-01"},
        {"overall": "1"},
        {"comment__icontains": "x"},
    ],
)
def test_the_response_list_refuses_filters_it_does_not_offer(admin_client, query):
    response = admin_client.get(reverse("admin:surveys_response_changelist"), query)

    assert response.status_code == 400


def test_the_response_list_accepts_the_filter_it_offers(admin_client):
    assert admin_client.get(reverse("admin:surveys_response_changelist"), {"source": "request"}).status_code == 200


def test_the_suggestion_list_refuses_a_lookup_into_the_member(admin_client):
    url = reverse("admin:surveys_suggestion_changelist")

    assert admin_client.get(url, {"service_request__member__national_id": "1000000001"}).status_code == 400
    assert admin_client.get(url, {"status": "new"}).status_code == 200
    assert admin_client.get(url, {"month__gte": "2025-01-01", "month__lt": "2026-01-01"}).status_code == 200
