"""The WhatsApp Cloud API client against the fake API: what WhatsApp answers decides what the client says."""

import pytest

from members.channels import WhatsAppError, WhatsAppOutcomeUnknown
from messaging import whatsapp


def test_a_template_is_sent_with_its_language_its_parameters_and_the_outbox_key(whatsapp):
    message_id = whatsapp_send()

    [taken] = whatsapp.taken
    assert message_id == taken.message_id and message_id.startswith("wamid.")
    assert (taken.to, taken.template, taken.language) == ("966501234567", "request_status_changed", "ar")
    assert taken.params == ("سعيد", "NJC-2026-000001", "قيد المراجعة")
    assert taken.reference == "timeline:1:whatsapp"


def test_a_refusal_is_a_whatsapp_error_with_its_code(whatsapp):
    whatsapp.mode = "refuse"

    with pytest.raises(WhatsAppError, match="131026"):
        whatsapp_send()

    assert whatsapp.taken == []


def test_a_server_error_is_a_whatsapp_error_and_nothing_was_taken(whatsapp):
    whatsapp.mode = "server_error"

    with pytest.raises(WhatsAppError, match="503") as raised:
        whatsapp_send()

    assert not isinstance(raised.value, WhatsAppOutcomeUnknown)


def test_an_answer_that_never_came_is_an_unknown_outcome(whatsapp):
    whatsapp.mode = "slow"

    with pytest.raises(WhatsAppOutcomeUnknown):
        whatsapp_send()


def test_a_wrong_access_token_is_refused(whatsapp, settings):
    settings.WHATSAPP_ACCESS_TOKEN = "expired"

    with pytest.raises(WhatsAppError, match="190"):
        whatsapp_send()


def test_the_file_backend_sends_nothing_and_keeps_the_message(settings, tmp_path):
    settings.WHATSAPP_BACKEND = "file"
    settings.WHATSAPP_FILE_PATH = tmp_path / "whatsapp.log"

    message_id = whatsapp_send()

    assert message_id in settings.WHATSAPP_FILE_PATH.read_text(encoding="utf-8")


def whatsapp_send() -> str:
    return whatsapp.send_template(
        "+966501234567",
        "request_status_changed",
        "ar",
        ["سعيد", "NJC-2026-000001", "قيد المراجعة"],
        "timeline:1:whatsapp",
    )
