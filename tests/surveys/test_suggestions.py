"""The suggestion box, both ways, the general rating, and "you suggested, we did"."""

import datetime

import pytest
from django.urls import reverse

from members.roles import Role
from requests_app.models import DepartmentMembership, RequestType, ServiceRequest
from surveys.models import AdoptedSuggestion, GeneralRatingMark, Response, Suggestion
from tests.surveys.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/surveys/suggestions/new/"


@pytest.fixture
def member_client(client):
    member = MemberFactory()
    client.force_login(member.user)
    client.member = member
    return client


def test_the_form_states_plainly_what_anonymous_and_named_mean(member_client):
    html = member_client.get(reverse("surveys:suggestion-create")).content.decode()

    assert "دون ذكر اسمي: لا يُحفظ اسمك معه، ولذلك لا نستطيع الرد عليك." in html
    assert "باسمي: يصبح طلب مقترح باسمك، ونرد عليك فيه." in html


def test_an_anonymous_suggestion_is_kept_without_the_member_and_with_numbers_masked(member_client):
    requests_before = ServiceRequest.objects.count()

    member_client.post(URL, {"text": "أقترح فرع في شرورة، جوالي 0551234567", "identity": "anonymous"})

    suggestion = Suggestion.objects.get()
    assert suggestion.is_anonymous
    assert suggestion.text == "أقترح فرع في شرورة، جوالي [•••]"
    assert ServiceRequest.objects.count() == requests_before
    assert {field.name for field in Suggestion._meta.get_fields() if field.is_relation} == {
        "service_request",
        "adoptions",
    }


def test_a_named_suggestion_becomes_a_suggestion_request_in_the_members_name(member_client):
    page = member_client.post(URL, {"text": "أقترح دورة في تقليم البن", "identity": "named"})

    service_request = ServiceRequest.objects.get()
    assert service_request.member == member_client.member
    assert service_request.request_type.kind == RequestType.Kind.SUGGESTION
    assert "أقترح دورة في تقليم البن" in [answer["value"] for answer in service_request.answers]
    assert Suggestion.objects.get().service_request == service_request
    assert page.status_code == 302 and page["Location"] == service_request.get_absolute_url()


def test_a_general_rating_is_an_anonymous_response_once_a_month(member_client):
    member_client.post(URL, {"text": "", "overall": "4", "identity": "anonymous"})
    again = member_client.post(URL, {"text": "", "overall": "1", "identity": "anonymous"})

    response = Response.objects.get()
    assert (response.source, response.overall, response.request_type, response.governorate) == (
        Response.Source.GENERAL,
        4,
        None,
        member_client.member.governorate,
    )
    assert "سبق أن قيّمت خدمات الجمعية هذا الشهر" in again.content.decode()
    assert GeneralRatingMark.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"text": "", "identity": "anonymous"},
        {"text": "نص", "identity": "maybe"},
        {"text": "ب" * 100_000, "identity": "anonymous"},
        {"text": "", "overall": "6", "identity": "anonymous"},
    ],
    ids=["empty", "bad identity", "100 KB", "rating 6"],
)
def test_bad_suggestions_get_a_message_and_save_nothing(member_client, data):
    page = member_client.post(URL, data)

    assert page.status_code == 400
    assert not Suggestion.objects.exists() and not Response.objects.exists()


def test_the_suggestion_box_needs_a_member(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))

    assert client.get(URL).status_code == 403


def test_you_suggested_we_did_is_public_and_lists_published_adoptions(client):
    AdoptedSuggestion.objects.create(
        title_ar="مظلات في مركز الاستلام", body_ar="ركّبنا مظلات", adopted_on=datetime.date(2026, 5, 1)
    )
    AdoptedSuggestion.objects.create(
        title_ar="مسودة", body_ar="لم تنشر", adopted_on=datetime.date(2026, 6, 1), published=False
    )

    html = client.get(reverse("surveys:adopted-list")).content.decode()

    assert "مظلات في مركز الاستلام" in html
    assert "مسودة" not in html


def test_staff_of_the_suggestions_department_adopt_a_suggestion(client):
    suggestion = Suggestion.objects.create(text="مظلات", month=datetime.date(2026, 5, 1))
    staff = UserFactory(roles=[Role.STAFF])
    department = RequestType.objects.get(kind=RequestType.Kind.SUGGESTION).department
    DepartmentMembership.objects.create(department=department, user=staff)
    client.force_login(staff)

    client.post(
        reverse("surveys:suggestion-adopt", args=[suggestion.pk]),
        {"title_ar": "مظلات", "body_ar": "ركّبنا مظلات في مركز الاستلام", "adopted_on": "2026-06-01"},
    )

    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.ADOPTED
    assert AdoptedSuggestion.objects.get().suggestion == suggestion


def test_staff_of_other_departments_do_not_see_the_suggestion_box(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))

    assert client.get(reverse("surveys:suggestion-list")).status_code == 404


def test_the_suggestion_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(15):
        Suggestion.objects.create(text=f"مقترح {n}", month=datetime.date(2026, 5, 1))
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR], is_superuser=True))

    with django_assert_max_num_queries(12):
        page = client.get(reverse("surveys:suggestion-list"))

    assert page.status_code == 200


def test_the_public_page_query_count_does_not_grow_with_adoptions(client, django_assert_num_queries):
    for n in range(25):
        AdoptedSuggestion.objects.create(title_ar=f"مقترح {n}", body_ar="نفّذناه", adopted_on=datetime.date(2026, 5, 1))

    with django_assert_num_queries(2):  # the count for the pages, the page of adoptions
        page = client.get(reverse("surveys:adopted-list"))

    assert page.status_code == 200
