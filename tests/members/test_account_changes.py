"""Brief access does not become permanent (issue 13 item 6)."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from members import code_delivery
from tests.members.factories import PASSWORD, UserFactory, member_account

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Bunn-Najran-4471"


def test_a_signed_in_session_cannot_add_an_address_and_make_it_primary(client, mailoutbox):
    member = member_account(email="saeed@example.org")
    client.force_login(member.user)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "thief@example.org"})
    client.post(reverse("account_email"), {"action_primary": "", "email": "thief@example.org"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("members:correction-new"))
    assert not EmailAddress.objects.filter(email="thief@example.org").exists()
    member.user.refresh_from_db()
    assert member.user.email == "saeed@example.org"


def test_a_password_reset_goes_only_to_the_address_on_the_account(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="clerk@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "thief@example.org"})

    assert mailoutbox == []


def test_a_password_change_asks_for_the_current_password_and_tells_the_old_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    member = member_account(email="saeed@example.org")
    client.force_login(member.user)

    refused = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert refused.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    member.user.refresh_from_db()
    assert member.user.check_password(NEW_PASSWORD)
    assert [mail.to for mail in mailoutbox] == [["saeed@example.org"]]


def test_a_password_change_is_announced_by_sms_to_a_member_without_e_mail(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    texts = []
    monkeypatch.setattr(code_delivery, "send_sms_later", lambda phone, text: texts.append((phone, text)))
    member = member_account(email="")
    member.user.phone_verified = True
    member.user.save(update_fields=["phone_verified"])
    client.force_login(member.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert [phone for phone, _text in texts] == [str(member.user.phone)]
    assert "تغيير" in texts[0][1] or "change" in texts[0][1]
