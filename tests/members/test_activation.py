import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members import activation, limits
from members.models import Member, OneTimeCode, User
from members.roles import Role, has_role
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Bunn-Najran-4471"


def code_in(sms: dict) -> str:
    return re.search(r"\d{6}", sms["text"]).group(0)


@pytest.fixture
def register_member(db):
    return MemberFactory(
        membership_no="10077", national_id="1000000008", mobile="+966500000777", email="m77@example.org"
    )


def test_start_activation_sends_the_code_to_the_mobile_on_record(
    register_member, sent_sms, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        token = activation.start_activation(membership_no="10077", national_id="١٠٠٠٠٠٠٠٠٨", client="1.2.3.4")

    (sms,) = sent_sms()
    assert sms["to"] == "+966500000777"
    assert mailoutbox[0].to == ["m77@example.org"]
    assert code_in(sms) in mailoutbox[0].body
    assert activation.verify_code(token=token, code=code_in(sms), purpose="activation").member == register_member


def test_unknown_details_get_a_token_too_and_nothing_is_sent(
    register_member, sent_sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        token = activation.start_activation(membership_no="10077", national_id="1000000016", client="1.2.3.4")

    assert token
    assert sent_sms() == []
    assert not OneTimeCode.objects.exists()


def test_a_code_is_single_use(register_member, sent_sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        token = activation.start_activation(membership_no="10077", national_id="1000000008", client="x")
    code = code_in(sent_sms()[0])

    assert activation.verify_code(token=token, code=code, purpose="activation") is not None
    assert activation.verify_code(token=token, code=code, purpose="activation") is None


def test_an_expired_code_fails(register_member, sent_sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        token = activation.start_activation(membership_no="10077", national_id="1000000008", client="x")
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert activation.verify_code(token=token, code=code_in(sent_sms()[0]), purpose="activation") is None


def test_a_code_dies_after_too_many_wrong_tries(register_member, sent_sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        token = activation.start_activation(membership_no="10077", national_id="1000000008", client="x")
    right = code_in(sent_sms()[0])
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    for _ in range(activation.MAX_ATTEMPTS):
        assert activation.verify_code(token=token, code=wrong, purpose="activation") is None

    assert activation.verify_code(token=token, code=right, purpose="activation") is None


def test_code_requests_for_one_membership_number_with_its_id_are_limited(register_member):
    for n in range(limits.CODES_PER_HOUR.amount):
        activation.start_activation(membership_no="10077", national_id="1000000008", client=f"c{n}")

    with pytest.raises(activation.TooManyAttempts):
        activation.start_activation(membership_no="10077", national_id="1000000008", client="another")


def test_complete_activation_creates_the_members_account(register_member, sent_sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        token = activation.start_activation(membership_no="10077", national_id="1000000008", client="x")
    code = activation.verify_code(token=token, code=code_in(sent_sms()[0]), purpose="activation")

    user = activation.complete_activation(code=code, password=NEW_PASSWORD)

    register_member.refresh_from_db()
    assert register_member.user == user
    assert str(user.phone) == "+966500000777" and user.phone_verified
    assert user.email == "m77@example.org"
    assert user.check_password(NEW_PASSWORD)
    assert has_role(user, Role.MEMBER)


def test_complete_activation_refuses_a_weak_password(register_member, sent_sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        token = activation.start_activation(membership_no="10077", national_id="1000000008", client="x")
    code = activation.verify_code(token=token, code=code_in(sent_sms()[0]), purpose="activation")

    with pytest.raises(ValidationError):
        activation.complete_activation(code=code, password="123456")

    assert not User.objects.filter(phone="+966500000777").exists()


def test_the_whole_activation_through_the_pages_then_sign_in_with_the_mobile(
    client, register_member, sent_sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:activate"), {"membership_no": "10077", "national_id": "1000000008"})
    assert response.url == reverse("members:activate-code")

    response = client.post(reverse("members:activate-code"), {"code": code_in(sent_sms()[0])})
    assert response.url == reverse("members:activate-password")

    response = client.post(reverse("members:activate-password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.url == reverse("account_login")

    response = client.post(reverse("account_login"), {"login": "0500000777", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("members:profile")).status_code == 200


def test_the_activation_page_answers_the_same_for_an_unknown_member(client, register_member):
    known = client.post(reverse("members:activate"), {"membership_no": "10077", "national_id": "1000000008"})
    unknown = client.post(reverse("members:activate"), {"membership_no": "99999", "national_id": "1000000016"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    page = client.post(reverse("members:activate-code"), {"code": "123456"})
    assert page.status_code == 200
    assert "code" in page.context["form"].errors


def test_sign_in_by_code_to_the_mobile(client, sent_sms, django_capture_on_commit_callbacks):
    from tests.members.factories import member_account

    member = member_account(mobile="+966500000888")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"phone": "0500000888"})
    assert response.status_code == 302
    (sms,) = sent_sms()
    assert sms["to"] == "+966500000888"

    response = client.post(reverse("account_confirm_login_code"), {"code": code_in(sms)})
    assert response.status_code == 302
    assert client.get(reverse("members:profile")).context["member"] == member


def test_registration_makes_an_applicant_with_a_verified_mobile(client, sent_sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:register"),
            {
                "national_id": "1000000008",
                "mobile": "0500000999",
                "full_name_ar": "ناصر بن صالح آل عباس",
                "governorate": "thar",
                "village": "",
                "email": "",
                "agree": "on",
            },
        )
    assert response.url == reverse("members:register-code")
    client.post(reverse("members:register-code"), {"code": code_in(sent_sms()[0])})
    response = client.post(reverse("members:register-password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.url == reverse("account_login")
    applicant = Member.objects.get(national_id="1000000008")
    assert applicant.status == Member.Status.APPLICANT and applicant.membership_no == ""
    assert str(applicant.user.phone) == "+966500000999" and applicant.user.phone_verified
    assert has_role(applicant.user, Role.APPLICANT) and not has_role(applicant.user, Role.MEMBER)


def test_registration_with_an_id_already_in_the_register_is_refused_after_the_code(
    client, register_member, sent_sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members:register"),
            {
                "national_id": "1000000008",
                "mobile": "0500000999",
                "full_name_ar": "ناصر",
                "governorate": "thar",
                "agree": "on",
            },
        )
    client.post(reverse("members:register-code"), {"code": code_in(sent_sms()[0])})
    response = client.post(reverse("members:register-password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(phone="+966500000999").exists()


def test_a_member_signs_in_with_email_and_password_too(client):
    from tests.members.factories import PASSWORD, member_account

    member_account(email="saleh@example.org")

    response = client.post(reverse("account_login"), {"login": "Saleh@Example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("members:profile")).status_code == 200


def test_a_wrong_password_with_a_mobile_does_not_sign_in(client):
    from tests.members.factories import member_account

    member_account(mobile="+966500000889")

    response = client.post(reverse("account_login"), {"login": "0500000889", "password": "not-the-password"})

    assert response.status_code == 200
    assert client.get(reverse("members:profile")).status_code == 302


def _activate_from(client, n: int, *, remote: str, real_ip: str):
    return client.post(
        reverse("members:activate"),
        {"membership_no": f"2{n:04d}", "national_id": "1000000008"},
        REMOTE_ADDR=remote,
        HTTP_X_REAL_IP=real_ip,
    )


def test_behind_nginx_the_per_client_limit_counts_each_client_not_the_proxy(client):
    for n in range(limits.ADDRESS_CEILING.amount):
        _activate_from(client, n, remote="127.0.0.1", real_ip=f"198.51.100.{n + 1}")

    response = _activate_from(client, 999, remote="127.0.0.1", real_ip="198.51.100.200")

    assert response.status_code == 302


def test_a_client_that_is_not_the_proxy_cannot_escape_the_limit_with_a_made_up_header(client):
    for n in range(limits.ADDRESS_CEILING.amount):
        _activate_from(client, n, remote="203.0.113.5", real_ip=f"198.51.100.{n + 1}")

    response = _activate_from(client, 999, remote="203.0.113.5", real_ip="198.51.100.200")

    assert response.status_code == 200


def test_sign_in_rate_limits_count_the_client_behind_nginx(rf):
    from members.adapter import AccountAdapter

    through_nginx = rf.post("/accounts/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.7")
    direct = rf.post("/accounts/login/", REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP="198.51.100.7")

    assert AccountAdapter().get_client_ip(through_nginx) == "198.51.100.7"
    assert AccountAdapter().get_client_ip(direct) == "203.0.113.5"
