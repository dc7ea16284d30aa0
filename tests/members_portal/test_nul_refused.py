"""A NUL character anywhere in what a browser sends is a clear 400 page that changes nothing, never a 500.

PostgreSQL refuses NUL in text and JSON, so before the middleware a NUL in a search box or a form field could
reach a query or a JSON column and fail there. Signed out or in, every page answers the same way.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from members.roles import Role

pytestmark = pytest.mark.django_db

NUL = "\x00"

GET_PAGES = [
    ("requests_app:guide", {"q": f"بن{NUL}"}),
    ("requests_app:request-list", {"page": f"2{NUL}"}),
    ("requests_app:queue", {"q": f"NJC{NUL}"}),
    ("requests_app:staff-request-new", {"q": f"1000{NUL}"}),
    ("members:directory", {"q": f"سعيد{NUL}"}),
    ("members:inbox", {"page": NUL}),
    ("surveys:department-report", {"period": NUL}),
    ("account_login", {"next": f"/{NUL}"}),
    ("home", {f"x{NUL}": "1"}),
]

POST_FORMS = [
    ("account_login", {"login": f"0501234567{NUL}", "password": "x"}),
    ("members:register", {"national_id": "1000000008", "mobile": "0501234567", "full_name_ar": f"سالم{NUL}"}),
    ("members:activate", {"membership_no": f"100{NUL}", "national_id": "1000000008"}),
    ("members:preferences", {"language": f"ar{NUL}"}),
    ("members:correction-new", {"field": "village", "requested_value": f"هدادة{NUL}"}),
    ("surveys:suggestion-create", {"text": f"اقتراح{NUL}", "identity": "anonymous"}),
    ("members:announcement-create", {"title": f"إعلان{NUL}"}),
]


@pytest.fixture
def signed_in(client, make_user):
    """One account holding every role, so each page's own access check is not what answers."""
    user = make_user("all@example.org", *Role, is_staff=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(("url_name", "query"), GET_PAGES)
def test_nul_in_a_query_is_a_clear_400(signed_in, url_name, query):
    response = signed_in.get(reverse(url_name), query)

    assert response.status_code == 400
    assert "400_nul.html" in [template.name for template in response.templates]
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize(("url_name", "data"), POST_FORMS)
def test_nul_in_a_form_field_is_a_clear_400_and_changes_nothing(signed_in, url_name, data):
    users_before = get_user_model().objects.count()

    response = signed_in.post(reverse(url_name), data)

    assert response.status_code == 400
    assert "400_nul.html" in [template.name for template in response.templates]
    assert get_user_model().objects.count() == users_before


def test_nul_is_refused_signed_out_too(client):
    response = client.post(reverse("account_login"), {"login": NUL, "password": NUL})

    assert response.status_code == 400


def test_nul_in_the_address_is_a_clear_400(signed_in):
    response = signed_in.get("/requests/NJC-2026-00%00001/")

    assert response.status_code == 400


def test_text_without_nul_passes_untouched(client):
    assert client.get(reverse("requests_app:guide"), {"q": "بن"}).status_code == 200
