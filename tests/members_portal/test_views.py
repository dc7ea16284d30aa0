import pytest
from django.test import Client
from django.urls import reverse

from members.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_home_page_is_arabic_and_right_to_left_by_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "الجمعية التعاونية الزراعية للبن بنجران" in html


def test_choosing_english_is_remembered_and_turns_the_page_left_to_right(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/privacy/"})

    assert response.status_code == 302
    assert response.url == "/privacy/"
    html = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "bootstrap.min.css" in html
    assert "Najran Agricultural Cooperative Society for Coffee" in html


def test_a_tampered_language_cookie_falls_back_to_arabic(client):
    client.cookies["django_language"] = '"><script>alert(1)</script>'

    response = client.get("/")

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_every_page_carries_the_privacy_statement_and_a_skip_link(client):
    html = client.get("/").content.decode()

    assert "لا تنشر الجمعية بيانات الأعضاء أبدًا" in html
    assert 'href="#main"' in html
    assert reverse("privacy") in html


def test_pages_send_a_content_security_policy_without_outside_sources(client):
    policy = client.get("/")["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "http" not in policy


def test_an_unknown_page_gets_an_arabic_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()


def test_an_expired_form_gets_an_arabic_page_and_signs_nobody_in(member_user):
    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post(reverse("account_login"), {"login": member_user.email, "password": PASSWORD})

    assert response.status_code == 403
    assert "انتهت صلاحية النموذج" in response.content.decode()
    assert "_auth_user_id" not in csrf_client.session


def test_a_wrong_password_is_refused_with_an_arabic_message(client, member_user):
    response = client.post(reverse("account_login"), {"login": member_user.email, "password": "wrong-password"})

    assert response.status_code == 200
    assert "غير صحيح" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_member_signs_in_with_email_and_password(client, member_user):
    response = client.post(reverse("account_login"), {"login": member_user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member_user.pk)


def test_a_server_error_gets_an_arabic_page(client, settings):
    settings.ROOT_URLCONF = "tests.members_portal.failing_urls"
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    assert "حدث خطأ من جهتنا" in response.content.decode()


def test_the_administration_is_only_for_administrators(client, make_user, administrator):
    staff_with_flag = make_user("clerk@example.org", Role.STAFF, is_staff=True)
    client.force_login(staff_with_flag)
    assert client.get("/admin/").status_code == 302

    client.force_login(administrator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert 'lang="ar"' in response.content.decode()


def test_navigation_shows_the_administration_link_only_to_administrators(client, member_user, administrator):
    client.force_login(member_user)
    assert reverse("admin:index") not in client.get("/").content.decode()

    client.force_login(administrator)
    assert reverse("admin:index") in client.get("/").content.decode()


def test_the_home_page_names_the_roles_of_the_signed_in_person(client, make_user):
    client.force_login(make_user("board@example.org", Role.BOARD, Role.MEMBER))

    html = client.get("/").content.decode()

    assert "عضو مجلس الإدارة" in html
    assert "عضو" in html


def test_open_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert "مغلق" in response.content.decode()
