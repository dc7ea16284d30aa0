"""One mobile rule wherever a mobile is typed: a number no Saudi network uses (052…) is refused at once, with a
reason, instead of being accepted and then refused by the SMS channel (the person waits for a code that never
comes)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import importing, services
from members.channels import SmsError, _e164
from members.models import CorrectionRequest
from members.validators import normalise_saudi_mobile
from tests.members.test_importing import as_csv, problems_of, rows

pytestmark = pytest.mark.django_db

NO_NETWORK = "0521234567"


@pytest.mark.parametrize("typed", [NO_NETWORK, "+966521234567", "٠٥٢١٢٣٤٥٦٧"])
def test_the_validator_refuses_what_the_sms_channel_refuses(typed):
    with pytest.raises(SmsError):
        _e164(typed)
    with pytest.raises(ValidationError) as error:
        normalise_saudi_mobile(typed)

    assert "052" in error.value.messages[0]


@pytest.mark.parametrize("prefix", ["050", "053", "054", "055", "056", "057", "058", "059"])
def test_every_network_prefix_is_accepted_and_deliverable(prefix):
    stored = normalise_saudi_mobile(prefix + "1234567")

    assert _e164(stored) == stored


def test_registration_refuses_a_mobile_no_network_uses(client, sent_sms):
    response = client.post(
        reverse("members:register"),
        {
            "national_id": "1000000008",
            "mobile": NO_NETWORK,
            "full_name_ar": "سالم محمد علي آل منصور",
            "governorate": "najran",
            "agree": "on",
        },
    )

    assert response.status_code == 200
    assert "052" in response.context["form"].errors["mobile"][0]
    assert sent_sms() == []


def test_the_register_import_refuses_a_mobile_no_network_uses():
    table = rows(12)
    table[0][3] = NO_NETWORK

    report = importing.check_file(as_csv(table), "register.csv")

    assert not report.ok
    assert any("052" in problem for problem in problems_of(report)[2])


def test_a_members_mobile_correction_refuses_a_number_no_network_uses(member):
    with pytest.raises(ValidationError) as error:
        services.request_correction(member=member, by=member.user, field="mobile", requested_value=NO_NETWORK)

    assert "052" in error.value.message_dict["requested_value"][0]
    assert not CorrectionRequest.objects.exists()


def test_a_members_mobile_correction_is_kept_in_international_form(member):
    correction = services.request_correction(
        member=member, by=member.user, field="mobile", requested_value="055 123 4567"
    )

    assert correction.requested_value == "+966551234567"


def test_the_profile_page_shows_the_reason_beside_the_mobile(client, member):
    client.force_login(member.user)

    response = client.post(
        reverse("members:correction-new"), {"field": "mobile", "requested_value": NO_NETWORK, "reason": ""}
    )

    assert "052" in response.context["form"].errors["requested_value"][0]
