import pytest


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Receipts rendered by requests opened through the surveys (complaints, suggestions) go to the test's folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://najran-coffee.sa"
    return settings.SITE_URL
