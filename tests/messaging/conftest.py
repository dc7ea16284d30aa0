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
