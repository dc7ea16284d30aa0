import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from members_portal.private_files import serve_private


@pytest.fixture
def stored_file(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    name = default_storage.save("attachments/2026/ab12cd.pdf", ContentFile(b"%PDF-1.7 receipt"))
    return name


def test_development_streams_the_file_itself(stored_file, settings):
    settings.PRIVATE_FILES_X_ACCEL = False

    response = serve_private(stored_file, "إيصال NJC-2026-000123.pdf", "application/pdf")

    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == b"%PDF-1.7 receipt"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_behind_nginx_the_file_goes_by_internal_redirect(stored_file, settings):
    settings.PRIVATE_FILES_X_ACCEL = True

    response = serve_private(stored_file, "receipt.pdf", "application/pdf", as_attachment=False)

    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/_private/attachments/2026/ab12cd.pdf"
    assert response["Content-Disposition"] == 'inline; filename="receipt.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_field_works_as_well_as_a_name(stored_file, settings):
    settings.PRIVATE_FILES_X_ACCEL = True
    field_file = FieldFile(None, models.FileField(), stored_file)  # what attachment.file is

    response = serve_private(field_file, "receipt.pdf", "application/pdf")

    assert response["X-Accel-Redirect"].endswith("/attachments/2026/ab12cd.pdf")


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/passwd", "a/../../b", ""])
def test_a_name_outside_the_storage_is_refused(name, settings):
    settings.PRIVATE_FILES_X_ACCEL = True

    with pytest.raises(ValueError):
        serve_private(name, "x.pdf", "application/pdf")


def test_object_storage_answers_with_a_short_lived_signed_link(settings, monkeypatch):
    from storages.backends.s3 import S3Storage

    settings.STORAGE_BACKEND = "s3"
    storage = S3Storage(
        bucket_name="portal-private",
        access_key="AKIAEXAMPLE",
        secret_key="secret",
        endpoint_url="http://127.0.0.1:9000",
        region_name="me-south-1",
        querystring_auth=True,
    )
    monkeypatch.setattr("members_portal.private_files.default_storage", storage)

    response = serve_private("receipts/r1.pdf", "receipt.pdf", "application/pdf")

    assert response.status_code == 302
    assert response["Location"].startswith("http://127.0.0.1:9000/portal-private/receipts/r1.pdf?")
    assert "X-Amz-Expires=300" in response["Location"]
    assert "response-content-disposition=attachment" in response["Location"]
