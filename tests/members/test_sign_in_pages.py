"""Sign-in reads like the cooperative and tells nobody who has an account (issue 12 item 7; issue 13 items 4, 8)."""

import re
import time

import pytest
from django.urls import reverse
from django.utils import translation

from members import channels
from members_portal import enqueue
from tests.members.factories import PASSWORD, MemberFactory, UserFactory, member_account

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Bunn-Najran-4471"


def code_in(sms: dict) -> str:
    return re.search(r"\d{6}", sms["text"]).group(0)


# --- 12.7: the person's name, the mobile as Saudis write it, one word for the code ---------------------------------


def test_the_welcome_after_sign_in_names_the_person_never_the_username(client):
    member = member_account(mobile="+966500000811", full_name_ar="سعيد بن محمد آل مريح")
    member.user.username = "u-2328627c35d1"
    member.user.save(update_fields=["username"])

    response = client.post(reverse("account_login"), {"login": "0500000811", "password": PASSWORD}, follow=True)

    page = response.content.decode()
    assert "سعيد بن محمد آل مريح" in page
    assert "u-2328627c35d1" not in page


def test_an_account_without_a_name_is_named_by_its_mobile_not_its_username():
    user = UserFactory.build(username="u-0123456789ab", first_name="", last_name="", phone="+966500000812")

    assert user.display_name == "0500000812"


def test_the_code_page_shows_the_mobile_as_saudis_write_it_and_one_word_for_the_code(
    client, django_capture_on_commit_callbacks
):
    member_account(mobile="+966500000813")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"phone": "+966500000813"})

    page = client.get(reverse("account_confirm_login_code")).content.decode()

    assert "0500000813" in page
    assert "+966500000813" not in page
    assert "رمز التحقق" in page
    assert "كود" not in page and "شفرة" not in page


def test_the_code_request_page_uses_one_word_for_the_code(client):
    page = client.get(reverse("account_request_login_code")).content.decode()

    assert "رمز التحقق" in page
    assert "كود" not in page and "شفرة" not in page


def test_a_member_with_only_a_mobile_sets_a_new_password_by_a_code(
    client, sent_sms, django_capture_on_commit_callbacks
):
    member = member_account(mobile="+966500000814", email="")
    assert "members/password/forgot/" in client.get(reverse("account_login")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:password-forgot"), {"mobile": "0500000814"})
    assert response.url == reverse("members:password-code")
    (sms,) = sent_sms()
    assert sms["to"] == "+966500000814"
    response = client.post(reverse("members:password-code"), {"code": code_in(sms)})
    assert response.url == reverse("members:password-new")
    response = client.post(reverse("members:password-new"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.url == reverse("account_login")
    member.user.refresh_from_db()
    assert member.user.check_password(NEW_PASSWORD)


def test_a_new_password_for_an_unknown_mobile_answers_the_same_and_sends_nothing(
    client, sent_sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:password-forgot"), {"mobile": "0500000815"})

    assert response.url == reverse("members:password-code")
    assert sent_sms() == []
    page = client.post(reverse("members:password-code"), {"code": "123456"})
    assert page.status_code == 200 and "code" in page.context["form"].errors


def test_a_staff_sign_in_with_an_unverified_phone_twice_in_a_row_never_fails(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="clerk@example.org", phone="+966500000816", phone_verified=False)

    for _ in range(2):
        client.cookies.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("account_login"), {"login": "clerk@example.org", "password": PASSWORD})
        assert response.status_code == 302


# --- 13.8 and the unknown-account message ------------------------------------------------------------------------


def test_a_password_reset_for_an_address_without_an_account_sends_no_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mailoutbox == []


def test_a_password_reset_for_an_account_mails_its_link(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email="clerk2@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "clerk2@example.org"})

    (mail,) = mailoutbox
    assert mail.to == ["clerk2@example.org"]
    assert "/accounts/password/reset/key/" in mail.body
    assert "signup" not in mail.body


# --- 13.4: the same path, and the same time, for registered and unknown details ---------------------------------------


@pytest.fixture
def slow_gateway(settings, monkeypatch):
    """A 300 ms SMS gateway, and a broker that holds the tasks until the test runs them (as the worker would)."""
    sent, queued = [], []

    def slow(to: str, text: str, *reference) -> None:
        time.sleep(0.3)
        sent.append(to)

    monkeypatch.setitem(channels.SMS_BACKENDS, "slow", slow)
    settings.SMS_BACKEND = "slow"
    monkeypatch.setattr(enqueue, "_send", lambda task, args: queued.append((task, args)))

    def run_worker() -> list[str]:
        while queued:
            task, args = queued.pop(0)
            task.run(*args)
        return sent

    return run_worker


def _timed(client, url: str, data: dict) -> float:
    client.cookies.clear()
    started = time.perf_counter()
    response = client.post(url, data)
    assert response.status_code == 302
    return time.perf_counter() - started


def _fastest(client, url: str, data: dict) -> float:
    return min(_timed(client, url, data) for _ in range(2))


@pytest.mark.django_db(transaction=True)
def test_a_code_request_answers_as_fast_for_a_registered_mobile_as_for_an_unknown_one(client, slow_gateway):
    member_account(mobile="+966500000817")
    url = reverse("account_request_login_code")

    registered = _fastest(client, url, {"phone": "0500000817"})
    unknown = _fastest(client, url, {"phone": "0500000818"})

    assert registered < 0.2 and unknown < 0.2, (registered, unknown)
    assert abs(registered - unknown) < 0.1
    assert slow_gateway() == ["+966500000817", "+966500000817"]


@pytest.mark.django_db(transaction=True)
def test_an_activation_answers_as_fast_for_a_member_as_for_unknown_details(client, slow_gateway):
    MemberFactory(membership_no="10080", national_id="1000000008", mobile="+966500000819")
    url = reverse("members:activate")

    member = _fastest(client, url, {"membership_no": "10080", "national_id": "1000000008"})
    unknown = _fastest(client, url, {"membership_no": "10081", "national_id": "1000000008"})

    assert member < 0.2 and unknown < 0.2, (member, unknown)
    assert abs(member - unknown) < 0.1
    assert slow_gateway() == ["+966500000819", "+966500000819"]


@pytest.mark.django_db(transaction=True)
def test_a_new_password_request_answers_as_fast_for_a_registered_mobile_as_for_an_unknown_one(client, slow_gateway):
    member_account(mobile="+966500000820")
    url = reverse("members:password-forgot")

    registered = _fastest(client, url, {"mobile": "0500000820"})
    unknown = _fastest(client, url, {"mobile": "0500000821"})

    assert registered < 0.2 and unknown < 0.2, (registered, unknown)
    assert abs(registered - unknown) < 0.1
    assert slow_gateway() == ["+966500000820", "+966500000820"]


def test_the_code_text_uses_the_glossarys_word():
    from members.adapter import AccountAdapter

    with translation.override("ar"):
        text = AccountAdapter().error_messages["incorrect_code"]

    assert "رمز" in str(text)
