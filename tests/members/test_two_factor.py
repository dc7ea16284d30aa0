"""Two factors for those who see member data beyond their own (issue 13 item 5)."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from members.roles import Role
from members.two_factor import current_totp_code
from tests.conftest import TEST_TOTP_SECRET
from tests.members.factories import PASSWORD, UserFactory, member_account

pytestmark = pytest.mark.django_db


def sign_in(client, login: str):
    return client.post(reverse("account_login"), {"login": login, "password": PASSWORD})


def confirm_password(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]


def signed_in_as(client):
    return client.get(reverse("home")).wsgi_request.user


@pytest.mark.parametrize("role", [Role.STAFF, Role.SUPERVISOR, Role.BOARD, Role.ADMINISTRATOR])
def test_a_privileged_password_is_not_enough_the_authenticator_code_is_asked(client, role):
    UserFactory(email="clerk@example.org", roles=[role])

    response = sign_in(client, "clerk@example.org")

    assert response.url == reverse("mfa_authenticate")
    assert not signed_in_as(client).is_authenticated
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(TEST_TOTP_SECRET)})
    assert response.status_code == 302
    assert signed_in_as(client).email == "clerk@example.org"


def test_a_wrong_authenticator_code_does_not_sign_in(client):
    UserFactory(email="clerk@example.org", roles=[Role.STAFF])
    sign_in(client, "clerk@example.org")
    wrong = f"{(int(current_totp_code(TEST_TOTP_SECRET)) + 1) % 1_000_000:06d}"

    client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert not signed_in_as(client).is_authenticated


def test_a_member_signs_in_with_the_password_alone(client):
    member = member_account(mobile="+966500000841")

    response = sign_in(client, "0500000841")

    assert response.url != reverse("mfa_authenticate")
    assert signed_in_as(client) == member.user


@pytest.mark.no_second_factor
def test_a_privileged_account_without_a_second_factor_must_set_one_up_before_anything_else(client):
    UserFactory(email="clerk@example.org", roles=[Role.STAFF])
    sign_in(client, "clerk@example.org")

    for page in (reverse("requests_app:queue"), reverse("members:directory"), reverse("home")):
        response = client.get(page)
        assert response.status_code == 302 and response.url == reverse("mfa_index"), page
    choice = client.get(reverse("mfa_index")).content.decode()
    assert reverse("mfa_activate_totp") in choice and reverse("mfa_add_webauthn") in choice
    # Setting up a factor asks for the password again first (allauth's re-authentication), then shows the secret.
    assert client.get(reverse("mfa_activate_totp")).url.startswith(reverse("account_reauthenticate"))
    confirm_password(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


@pytest.mark.no_second_factor
def test_once_the_authenticator_is_set_up_the_pages_open(client):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    clerk = UserFactory(email="clerk@example.org", roles=[Role.STAFF])
    sign_in(client, "clerk@example.org")
    confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = re.search(r"\b[A-Z2-7]{32}\b", page.content.decode()).group(0)
    assert generate_totp_secret  # allauth draws the secret shown on the page

    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=clerk, type=Authenticator.Type.TOTP).exists()
    assert TOTP
    assert client.get(reverse("requests_app:queue")).status_code == 200


@pytest.mark.no_second_factor
def test_a_text_message_code_alone_never_signs_in_a_privileged_account(
    client, sent_sms, django_capture_on_commit_callbacks
):
    UserFactory(email="admin@example.org", phone="+966500000842", roles=[Role.ADMINISTRATOR], is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"phone": "0500000842"})
    code = re.search(r"\d{6}", sent_sms()[-1]["text"]).group(0)

    client.post(reverse("account_confirm_login_code"), {"code": code})

    assert not signed_in_as(client).is_authenticated
    assert client.get("/admin/").status_code == 302


def test_a_text_message_code_then_asks_the_authenticator_code(client, sent_sms, django_capture_on_commit_callbacks):
    UserFactory(email="admin@example.org", phone="+966500000843", roles=[Role.ADMINISTRATOR], is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"phone": "0500000843"})
    code = re.search(r"\d{6}", sent_sms()[-1]["text"]).group(0)

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.url == reverse("mfa_authenticate")
    assert not signed_in_as(client).is_authenticated


def test_the_admins_own_sign_in_page_sends_people_to_the_portals(client):
    UserFactory(email="admin@example.org", roles=[Role.ADMINISTRATOR], is_staff=True)

    answers = [client.post(reverse("admin:login"), {"username": "admin", "password": f"wrong-{n}"}) for n in range(25)]

    assert {answer.status_code for answer in answers} == {302}
    assert all(answer.url.startswith(reverse("account_login")) for answer in answers)
    assert client.get(reverse("admin:login")).url == f"{reverse('account_login')}?next=/admin/"


@pytest.mark.no_second_factor
def test_a_security_key_is_a_second_factor_like_the_authenticator_app(client):
    clerk = UserFactory(email="clerk@example.org", roles=[Role.STAFF])
    Authenticator.objects.create(user=clerk, type=Authenticator.Type.WEBAUTHN, data={"name": "مفتاح المكتب"})

    response = sign_in(client, "clerk@example.org")

    assert response.url == reverse("mfa_authenticate")  # the key is asked for after the password (browser test:
    # tests/browser/test_security_key.py, with a real key registered through the page)


@pytest.mark.no_second_factor
def test_a_member_elected_to_the_board_while_signed_in_sets_up_a_second_factor_before_any_board_page(client):
    """The board role comes when the minutes are approved, while the member may be signed in with a password alone:
    the first board page then asks for the second factor, and from then on every page does, as at sign-in."""
    from django.contrib.auth.models import Group

    member = member_account(mobile="+966500000842")
    sign_in(client, "0500000842")
    assert client.get(reverse("surveys:board-dashboard")).status_code == 403

    member.user.groups.add(Group.objects.get_or_create(name=Role.BOARD)[0])  # elected: the minutes approved

    response = client.get(reverse("surveys:board-dashboard"))
    assert response.status_code == 302 and response.url == reverse("mfa_index")
    assert client.get(reverse("requests_app:request-list")).url == reverse("mfa_index")  # every page now asks


def test_a_board_member_who_signed_in_with_both_factors_is_not_asked_again(client):
    UserFactory(email="chair@example.org", roles=[Role.BOARD])
    sign_in(client, "chair@example.org")
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code(TEST_TOTP_SECRET)})

    assert client.get(reverse("surveys:board-dashboard")).status_code == 200
    assert client.get(reverse("surveys:board-dashboard")).status_code == 200
