"""Each provider's client against its fake API: a message is taken only when the provider says so in its own way,
and every other answer raises, so the outbox never marks a refused message sent."""

import pytest

from members import channels
from messaging.fake_providers import FakeProvider


def test_a_message_the_provider_takes_returns_its_id_and_reaches_it_once(provider):
    message_id = channels.send_sms("0501234567", "طلبك قيد المراجعة", reference="timeline:812:sms")

    assert message_id
    assert [(taken.to, taken.text, taken.message_id) for taken in provider.taken] == [
        ("966501234567", "طلبك قيد المراجعة", message_id)
    ]


def test_unifonic_carries_the_outbox_key_as_its_client_reference(settings):
    with FakeProvider("unifonic") as fake:
        settings.SMS_BACKEND = "unifonic"
        settings.UNIFONIC_URL = fake.url
        settings.UNIFONIC_APP_SID = "fake-app-sid"
        channels.send_sms("0501234567", "hello", reference="timeline:812:sms")

    assert [taken.reference for taken in fake.taken] == ["timeline:812:sms"]


def test_a_refusal_inside_a_2xx_answer_raises(provider):
    provider.mode = "refuse_in_body"

    with pytest.raises(channels.SmsError, match="refused"):
        channels.send_sms("0501234567", "hello", reference="timeline:1:sms")

    assert provider.taken == []


def test_a_refusal_with_an_http_error_raises(provider):
    provider.mode = "refuse_http"

    with pytest.raises(channels.SmsError, match="refused"):
        channels.send_sms("0501234567", "hello")


def test_wrong_credentials_are_a_refusal(provider, settings):
    settings.UNIFONIC_APP_SID = settings.TAQNYAT_TOKEN = settings.MSEGAT_API_KEY = "wrong"

    with pytest.raises(channels.SmsError, match="refused"):
        channels.send_sms("0501234567", "hello")

    assert provider.taken == []


def test_a_server_error_raises_and_nothing_is_taken(provider):
    provider.mode = "server_error"

    with pytest.raises(channels.SmsError, match="503") as raised:
        channels.send_sms("0501234567", "hello")

    assert not isinstance(raised.value, channels.SmsOutcomeUnknown)
    assert provider.taken == []


def test_an_answer_that_never_comes_is_an_unknown_outcome(provider):
    provider.mode = "slow"

    with pytest.raises(channels.SmsOutcomeUnknown):
        channels.send_sms("0501234567", "hello")

    assert len(provider.taken) == 1  # the provider did take it: that is why the outbox must not guess


def test_a_provider_that_cannot_be_reached_is_an_error_not_an_unknown_outcome(provider, settings):
    provider.stop()

    with pytest.raises(channels.SmsError) as raised:
        channels.send_sms("0501234567", "hello")

    assert not isinstance(raised.value, channels.SmsOutcomeUnknown)


def test_missing_credentials_refuse_before_any_request(provider, settings):
    settings.UNIFONIC_APP_SID = settings.TAQNYAT_TOKEN = settings.MSEGAT_API_KEY = ""

    with pytest.raises(channels.SmsError, match="not set"):
        channels.send_sms("0501234567", "hello")

    assert provider.requests == 0
