import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from requests_app import uploads
from tests.requests_app.factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF_BYTES, "application/pdf"), (JPEG_BYTES, "image/jpeg"), (PNG_BYTES, "image/png")],
)
def test_real_files_are_recognised_by_their_first_bytes(content, expected):
    upload = SimpleUploadedFile("anything.bin", content)

    assert uploads.check_upload(upload, allowed=["pdf", "jpeg", "png"]) == expected


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"MZ\x90\x00 an executable",
    ],
)
def test_html_svg_and_programs_named_pdf_are_refused(content):
    upload = SimpleUploadedFile("receipt.pdf", content, content_type="application/pdf")

    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload, allowed=["pdf", "jpeg", "png"])

    assert error.value.code == "bad_type"


def test_a_type_the_document_does_not_accept_is_refused():
    upload = SimpleUploadedFile("deed.pdf", PDF_BYTES)

    with pytest.raises(ValidationError):
        uploads.check_upload(upload, allowed=["jpeg", "png"])


def test_a_file_over_the_limit_is_refused():
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * uploads.MAX_UPLOAD_BYTES)

    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload, allowed=["pdf"])

    assert error.value.code == "too_large"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError):
        uploads.check_upload(SimpleUploadedFile("empty.pdf", b""), allowed=["pdf"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini", "system.pdf"),
        ("صك\u202efdp.exe", "صكfdp.pdf"),
        ("\u2067deed\u2069.pdf", "deed.pdf"),
        ("", "document.pdf"),
        ("....pdf", "pdf.pdf"),
        (" . ", "document.pdf"),
        ('a<b>:"c|d?.pdf', "a_b___c_d_.pdf"),
    ],
)
def test_display_names_lose_folders_and_invisible_characters(name, expected):
    assert uploads.safe_display_name(name, extension=".pdf") == expected


def test_the_size_limit_reads_in_arabic_in_an_arabic_message():
    from django.utils import translation

    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * uploads.MAX_UPLOAD_BYTES)

    with translation.override("ar"), pytest.raises(ValidationError) as error:
        uploads.check_upload(upload, allowed=["pdf"])

    with translation.override("ar"):
        message = error.value.messages[0]
    assert "10 ميجابايت" in message
    assert "MB" not in message and "م.ب" not in message
