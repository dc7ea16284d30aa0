import pytest

from messaging.fake_providers import CREDENTIALS, FakeProvider

URL_SETTINGS = {"unifonic": "UNIFONIC_URL", "taqnyat": "TAQNYAT_URL", "msegat": "MSEGAT_URL"}


@pytest.fixture(params=["unifonic", "taqnyat", "msegat"])
def provider(request, settings):
    """Each provider's fake API, with the portal's settings pointing at it and SMS_BACKEND naming it."""
    with FakeProvider(request.param, slow_s=1.0) as fake:
        settings.SMS_BACKEND = request.param
        settings.SMS_PROVIDER_TIMEOUT_S = 0.5  # room for a loaded machine; "slow" answers after 1 s
        settings.SMS_SENDER_NAME = "NajranCoffee"
        settings.UNIFONIC_APP_SID = CREDENTIALS["unifonic"]
        settings.TAQNYAT_TOKEN = CREDENTIALS["taqnyat"]
        settings.MSEGAT_USERNAME = "najran"
        settings.MSEGAT_API_KEY = CREDENTIALS["msegat"]
        setattr(settings, URL_SETTINGS[request.param], fake.url)
        yield fake


@pytest.fixture
def whatsapp(settings, tmp_path):
    """The fake WhatsApp Cloud API with the portal pointing at it; text messages (the fallback) to a file."""
    from messaging import fake_whatsapp

    with fake_whatsapp.FakeWhatsApp(slow_s=1.0) as fake:
        settings.WHATSAPP_BACKEND = "cloud"
        settings.WHATSAPP_API_URL = fake.url
        settings.WHATSAPP_PHONE_NUMBER_ID = fake_whatsapp.PHONE_NUMBER_ID
        settings.WHATSAPP_ACCESS_TOKEN = fake_whatsapp.ACCESS_TOKEN
        settings.WHATSAPP_APP_SECRET = fake_whatsapp.APP_SECRET
        settings.WHATSAPP_TIMEOUT_S = 0.5  # "slow" answers after 1 s
        settings.SMS_BACKEND = "file"
        settings.SMS_FILE_PATH = tmp_path / "sms.log"
        yield fake


@pytest.fixture
def texts_sent(settings):
    """The text messages the file backend wrote (what phones got by SMS)."""
    import json

    def read() -> list[dict]:
        if not settings.SMS_FILE_PATH.exists():
            return []
        return [json.loads(line) for line in settings.SMS_FILE_PATH.read_text(encoding="utf-8").splitlines()]

    return read
