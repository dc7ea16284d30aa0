"""Limits on getting in that an attacker cannot turn against a member (issue 13, items 1 to 3)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from members import activation, code_delivery, limits
from tests.members.factories import PASSWORD, MemberFactory, member_account

pytestmark = pytest.mark.django_db


def sign_in(client, login: str, password: str, address: str = "198.51.100.1"):
    return client.post(reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=address)


def is_signed_in(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" not in response.url


# --- 13.1: keyed on the identifier typed, normalised, never on nothing ------------------------------------------


def test_failed_sign_ins_with_unknown_mobiles_do_not_lock_a_member_out(client):
    member_account(mobile="+966500000801")
    for n in range(20):
        sign_in(client, f"05000009{n:02d}", "not-the-password", address=f"203.0.113.{n % 3}")

    assert is_signed_in(sign_in(client, "0500000801", PASSWORD, address="203.0.113.1"))


@pytest.mark.parametrize("typed", ["0500000802", "+966500000802", "966500000802", "٠٥٠٠٠٠٠٨٠٢", "500000802"])
def test_every_way_of_writing_a_mobile_is_one_identifier(typed):
    assert limits.identifier(typed) == "+966500000802"


def test_an_e_mail_is_one_identifier_whatever_its_case():
    assert limits.identifier(" Saeed@Example.ORG ") == "saeed@example.org"


def test_a_limit_is_never_keyed_on_nothing():
    with pytest.raises(ValueError):
        limits.identifier("  ")
    with pytest.raises(ValueError):
        limits.hit(limits.CODES_PER_DAY, "")


def test_wrong_passwords_in_different_spellings_of_one_mobile_count_together(client):
    member_account(mobile="+966500000803")
    spellings = ["0500000803", "+966500000803", "966500000803"]
    for n in range(limits.FREE_FAILURES + 1):
        sign_in(client, spellings[n % 3], "not-the-password", address=f"203.0.113.{n}")

    refused = sign_in(client, "0500000803", PASSWORD)

    assert refused.status_code == 200
    (message,) = refused.context["form"].non_field_errors()
    assert "يرجى المحاولة مجددًا بعد الساعة" in message


def test_an_empty_sign_in_name_is_refused_without_counting_anything(client):
    response = sign_in(client, "", "whatever")

    assert response.status_code == 200
    assert "login" in response.context["form"].errors


# --- 13.2: growing delays per identifier, a high ceiling per address, a way in for the member ----------------------


def test_delays_grow_after_the_free_failures_and_stop_at_an_hour():
    free = limits.FREE_FAILURES
    delays = [limits.delay_after(n) for n in range(1, free + 10)]

    assert delays[:free] == [timedelta(0)] * free
    assert delays[free : free + 4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(delays) == limits.MAX_DELAY


def test_the_delay_ends_and_the_right_password_then_works(client):
    member_account(mobile="+966500000804")
    for _ in range(limits.FREE_FAILURES + 1):
        sign_in(client, "0500000804", "not-the-password")
    assert not is_signed_in(sign_in(client, "0500000804", PASSWORD))

    limits.clear_failures("+966500000804")  # what the lock's expiry does after a minute

    assert is_signed_in(sign_in(client, "0500000804", PASSWORD))


def test_many_failed_sign_ins_from_one_address_do_not_lock_out_the_others_behind_it(client):
    member_account(mobile="+966500000805")
    for n in range(15):
        sign_in(client, f"0500000{900 + n}", "not-the-password", address="203.0.113.50")

    assert is_signed_in(sign_in(client, "0500000805", PASSWORD, address="203.0.113.50"))


def test_an_address_past_the_high_ceiling_is_refused(client, monkeypatch):
    monkeypatch.setattr(limits, "ADDRESS_CEILING", limits.Limit("address", 3, limits.HOUR))
    member_account(mobile="+966500000806")
    for n in range(3):
        sign_in(client, f"0500000{910 + n}", "not-the-password", address="203.0.113.60")

    assert not is_signed_in(sign_in(client, "0500000806", PASSWORD, address="203.0.113.60"))
    assert is_signed_in(sign_in(client, "0500000806", PASSWORD, address="203.0.113.61"))


def test_a_member_whose_password_is_under_attack_gets_in_with_a_code_to_the_mobile(
    client, sent_sms, django_capture_on_commit_callbacks
):
    member = member_account(mobile="+966500000807")
    for _ in range(limits.FREE_FAILURES + 3):
        sign_in(client, "0500000807", "not-the-password", address="203.0.113.70")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"phone": "0500000807"})
    (sms,) = sent_sms()
    code = "".join(ch for ch in sms["text"] if ch.isdigit())[-6:]
    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert client.get(reverse("members:profile")).context["member"] == member


def test_activation_tries_with_a_members_number_and_made_up_ids_do_not_block_that_member(
    client, sent_sms, django_capture_on_commit_callbacks
):
    MemberFactory(membership_no="10078", national_id="1000000008", mobile="+966500000808")
    made_up_ids = ["1000000016", "1000000024", "1000000032", "1000000040", "1000000057", "1000000065", "1000000073"]
    for made_up in made_up_ids:
        client.post(reverse("members:activate"), {"membership_no": "10078", "national_id": made_up})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:activate"), {"membership_no": "10078", "national_id": "1000000008"})

    assert response.url == reverse("members:activate-code")
    assert [sms["to"] for sms in sent_sms()] == ["+966500000808"]


def test_thirty_activations_an_hour_from_one_address_all_go_through(client):
    for n in range(30):
        response = client.post(reverse("members:activate"), {"membership_no": f"3{n:04d}", "national_id": "1000000008"})
        assert response.status_code == 302


# --- 13.3: codes per identifier per day, messages per number per day, when to try again ---------------------------


def test_code_requests_per_mobile_are_capped_with_the_time_to_try_again(client):
    member_account(mobile="+966500000809")
    for _ in range(limits.CODES_PER_HOUR.amount):
        client.cookies.clear()  # a fresh session each time (one session keeps its pending code)
        assert client.post(reverse("account_request_login_code"), {"phone": "0500000809"}).status_code == 302

    client.cookies.clear()
    refused = client.post(reverse("account_request_login_code"), {"phone": "+966500000809"})

    assert refused.status_code == 200
    (message,) = refused.context["form"].errors["phone"]
    # "…بعد الساعة 3:10 م", or within the hour before Riyadh's midnight "…يوم 7 ديسمبر 2026 بعد الساعة 12:33 ص".
    assert "يرجى المحاولة مجددًا" in message and "بعد الساعة" in message


def test_the_daily_cap_names_the_day_to_try_again(monkeypatch):
    monkeypatch.setattr(limits, "CODES_PER_HOUR", limits.Limit("codes-hour", 100, limits.HOUR))
    subject = activation.activation_subject("10079", "1000000008")
    for n in range(limits.CODES_PER_DAY.amount):
        activation.start_activation(membership_no="10079", national_id="1000000008", client=f"c{n}")

    with pytest.raises(limits.Refused) as refused:
        activation.start_activation(membership_no="10079", national_id="1000000008", client="other")

    assert subject
    assert refused.value.retry_at > timezone.now() + timedelta(hours=23)
    with translation.override("ar"):
        assert "يرجى المحاولة مجددًا يوم" in refused.value.message


def test_guesses_at_one_mobiles_codes_are_bounded_each_day(settings):
    guesses_a_day = limits.CODES_PER_DAY.amount * settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS

    assert guesses_a_day <= 20  # of a million codes: at most 0.002 % a day


def test_text_messages_with_codes_are_capped_per_number_per_day(sent_sms):
    for n in range(limits.SMS_PER_NUMBER_PER_DAY.amount + 3):
        code_delivery.deliver_sms("0500000810", f"code {n:06d}")

    assert len(sent_sms()) == limits.SMS_PER_NUMBER_PER_DAY.amount
