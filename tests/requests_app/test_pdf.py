"""render_pdf fetches only the project's static files: never the network, never another local file."""

import logging
from unittest import mock

import pytest
from django.utils import timezone

from members_portal import pdf
from requests_app import receipts
from requests_app.models import Receipt
from tests.requests_app.factories import ServiceRequestFactory

HOSTILE = '<img src="file:///etc/passwd"> <img src="http://example.com/x.png"> <link rel="stylesheet" href="https://example.com/a.css">'


def _refusals(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if "refused to fetch" in record.getMessage()]


def test_the_fetcher_refuses_local_files_outside_static_and_the_network(caplog):
    html = f'<html><body><p>نص</p>{HOSTILE}<img src="../../../etc/hostname"></body></html>'

    with mock.patch("urllib.request.OpenerDirector.open") as network, caplog.at_level(logging.WARNING):
        document = pdf.html_to_pdf(html)

    assert document.startswith(b"%PDF-")
    network.assert_not_called()
    refused = _refusals(caplog)
    assert any("file:///etc/passwd" in message for message in refused)
    assert any("http://example.com/x.png" in message for message in refused)
    assert any("https://example.com/a.css" in message for message in refused)
    assert any("/etc/hostname" in message for message in refused)


def test_only_png_data_urls_are_read(caplog):
    import segno

    png = segno.make("https://example.org").png_data_uri()
    html = (
        f'<html><body><img src="{png}">'
        '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="><img src="data:text/html,<p>x</p>"></body></html>'
    )

    with caplog.at_level(logging.WARNING):
        pdf.html_to_pdf(html)

    refused = _refusals(caplog)
    assert len(refused) == 2
    assert not any("image/png" in message for message in refused)


def test_the_fetcher_serves_the_vendored_fonts(caplog):
    html = (
        "<html><head><style>@font-face { font-family: X; "
        'src: url(vendor/fonts/ibm-plex-sans-arabic-arabic-400-normal.woff2) format("woff2"); }'
        "body { font-family: X; }</style></head><body>الجمعية</body></html>"
    )

    with caplog.at_level(logging.WARNING):
        document = pdf.html_to_pdf(html)

    assert document.startswith(b"%PDF-")
    assert _refusals(caplog) == []


@pytest.mark.django_db
def test_what_a_member_typed_is_printed_never_fetched(caplog):
    service_request = ServiceRequestFactory(
        answers=[{"key": "note", "label_ar": "ملاحظة", "label_en": "Note", "value": HOSTILE, "display_ar": HOSTILE}]
    )
    service_request.member.full_name_ar = '<img src="file:///etc/passwd">'
    receipt = Receipt(service_request=service_request, kind="submitted", status="submitted", created_at=timezone.now())

    with mock.patch("urllib.request.OpenerDirector.open") as network, caplog.at_level(logging.WARNING):
        document = pdf.render_pdf("pdf/receipt.html", receipts.receipt_context(receipt))

    assert document.startswith(b"%PDF-")
    network.assert_not_called()
    assert _refusals(caplog) == []  # escaped into text: nothing was even asked for


def test_one_font_configuration_serves_every_render():
    assert pdf.font_configuration() is pdf.font_configuration()
