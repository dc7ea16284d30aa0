"""Brief access does not become permanent (issue 13 item 6)."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import code_delivery, services
from members.models import AccessLog
from members.roles import Role
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


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    return settings.SMS_FILE_PATH


def texts_to(path, number: str) -> list[str]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    return [line["text"] for line in lines if line["to"] == number]


def test_a_mobile_corrected_on_the_record_is_announced_to_the_old_number(sms_file, django_capture_on_commit_callbacks):
    member = member_account(mobile="+966500000871", language="ar")
    correction = services.request_correction(
        member=member, by=member.user, field="mobile", requested_value="0500000872", reason="رقم جديد"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.apply_correction(correction=correction, by=UserFactory(roles=[Role.STAFF]))

    old, new = texts_to(sms_file, "+966500000871"), texts_to(sms_file, "+966500000872")
    assert len(old) == 1 and "872" in old[0] and "اتصل" in old[0]  # names the new number's end, says what to do
    assert not any("تغيّر رقم الجوال" in text for text in new)  # the new number is told the correction is done


def test_an_email_corrected_on_the_record_is_announced_to_the_old_address(
    mailoutbox, django_capture_on_commit_callbacks
):
    member = member_account(email="old.saeed@example.org", language="ar")
    correction = services.request_correction(
        member=member, by=member.user, field="email", requested_value="new.saeed@example.org"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.apply_correction(correction=correction, by=UserFactory(roles=[Role.STAFF]))

    assert [mail.to for mail in mailoutbox] == [["old.saeed@example.org"]]


def test_a_correction_that_is_refused_tells_nobody(sms_file, django_capture_on_commit_callbacks):
    taken = member_account(mobile="+966500000874")
    member = member_account(mobile="+966500000873")
    correction = services.request_correction(
        member=member, by=member.user, field="mobile", requested_value=str(taken.mobile)
    )

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.apply_correction(correction=correction, by=UserFactory(roles=[Role.STAFF]))

    assert texts_to(sms_file, "+966500000873") == []


def test_the_audit_trail_keeps_the_old_and_new_value_of_a_corrected_field(client, sms_file):
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    member = member_account(mobile="+966500000881")
    correction = services.request_correction(
        member=member, by=member.user, field="mobile", requested_value="0500000882"
    )
    clerk = UserFactory(roles=[Role.STAFF], first_name="فهد", last_name="آل سالم")

    services.apply_correction(correction=correction, by=clerk)

    line = AccessLog.objects.get(member=member, action=AccessLog.Action.CHANGED_RECORD)
    assert (line.viewer, line.changes) == (clerk, {"mobile": {"from": "+966500000881", "to": "+966500000882"}})
    page = client.get(reverse("members:access-log"), {"member": member.membership_no}).content.decode()
    assert "+966500000881" in page and "+966500000882" in page
