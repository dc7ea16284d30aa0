import json
import urllib.error
from io import BytesIO

import pytest

from members import channels


def test_file_backend_appends_one_json_line_per_message_in_e164(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"

    channels.send_sms("0501234567", "رمزك ١٢٣٤٥٦")
    channels.send_sms("+966501234568", "second")

    lines = [json.loads(line) for line in settings.SMS_FILE_PATH.read_text(encoding="utf-8").splitlines()]
    assert [(line["to"], line["text"]) for line in lines] == [
        ("+966501234567", "رمزك ١٢٣٤٥٦"),
        ("+966501234568", "second"),
    ]


def test_console_backend_prints_the_message(settings, capsys):
    settings.SMS_BACKEND = "console"

    channels.send_sms("+966501234567", "hello")

    assert "+966501234567" in capsys.readouterr().out


def test_an_invalid_number_is_refused_before_sending(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"

    with pytest.raises(channels.SmsError):
        channels.send_sms("12", "hello")

    assert not settings.SMS_FILE_PATH.exists()


def test_an_unknown_backend_is_a_clear_error(settings):
    settings.SMS_BACKEND = "pigeon"

    with pytest.raises(channels.SmsError, match="pigeon"):
        channels.send_sms("+966501234567", "hello")


class FakeResponse:
    def __init__(self, status: int):
        self.status = status

    def read(self, _size=-1):
        return b"{}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_gateway_backend_posts_json_with_the_bearer_token(settings, monkeypatch):
    settings.SMS_BACKEND = "gateway"
    settings.SMS_GATEWAY_URL = "https://sms.example/send"
    settings.SMS_GATEWAY_TOKEN = "t0ken"
    sent = []
    monkeypatch.setattr(channels.urllib.request, "urlopen", lambda req, timeout: sent.append(req) or FakeResponse(202))

    channels.send_sms("0501234567", "code 123456", reference="timeline:7:sms")

    (request,) = sent
    assert request.full_url == "https://sms.example/send"
    assert request.get_header("Authorization") == "Bearer t0ken"
    assert json.loads(request.data) == {
        "to": "+966501234567",
        "sender": settings.SMS_SENDER_NAME,
        "text": "code 123456",
        "reference": "timeline:7:sms",
    }


def test_every_sms_backend_is_given_the_reference(settings, monkeypatch):
    settings.SMS_BACKEND = "recording"
    received = []
    monkeypatch.setitem(channels.SMS_BACKENDS, "recording", lambda to, text, reference: received.append(reference))

    channels.send_sms("0501234567", "hello", reference="announcement:3:12:sms")

    assert received == ["announcement:3:12:sms"]


def test_an_email_with_a_reference_keeps_the_same_message_id_when_sent_again(mailoutbox):
    for _ in range(2):
        channels.send_email("member@example.org", "subject", "body", reference="timeline:7:email")

    ids = [message.extra_headers["Message-ID"] for message in mailoutbox]
    assert ids[0] == ids[1] and ids[0].startswith("<timeline.7.email@")


def test_gateway_http_error_raises_sms_error_with_the_status(settings, monkeypatch):
    settings.SMS_BACKEND = "gateway"
    settings.SMS_GATEWAY_URL = "https://sms.example/send"

    def refuse(req, timeout):
        raise urllib.error.HTTPError(req.full_url, 401, "Unauthorized", {}, BytesIO(b"bad token"))

    monkeypatch.setattr(channels.urllib.request, "urlopen", refuse)

    with pytest.raises(channels.SmsError, match="401"):
        channels.send_sms("0501234567", "hello")


def test_gateway_unreachable_raises_sms_error(settings, monkeypatch):
    settings.SMS_BACKEND = "gateway"
    settings.SMS_GATEWAY_URL = "https://sms.example/send"

    def down(req, timeout):
        raise urllib.error.URLError("connection refused")

    monkeypatch.setattr(channels.urllib.request, "urlopen", down)

    with pytest.raises(channels.SmsError, match="unreachable"):
        channels.send_sms("0501234567", "hello")


def test_gateway_without_url_is_a_configuration_error(settings):
    settings.SMS_BACKEND = "gateway"
    settings.SMS_GATEWAY_URL = ""

    with pytest.raises(channels.SmsError, match="SMS_GATEWAY_URL"):
        channels.send_sms("0501234567", "hello")


def test_send_email_delivers_with_attachments_and_a_one_line_subject(mailoutbox):
    channels.send_email(
        "member@example.org",
        "بياناتك\nفي البوابة",
        "النص",
        attachments=[channels.Attachment("data.json", b"{}", "application/json"), ("a.txt", "x", "text/plain")],
    )

    (message,) = mailoutbox
    assert message.subject == "بياناتك في البوابة"
    assert message.to == ["member@example.org"]
    assert [attachment[0] for attachment in message.attachments] == ["data.json", "a.txt"]


def test_send_email_without_address_raises():
    with pytest.raises(channels.EmailError):
        channels.send_email("", "s", "b")
