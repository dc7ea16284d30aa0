"""Receipts: the PDF a member keeps, and the signed token of its QR code that proves it genuine."""

import datetime

import segno
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from members_portal.pdf import render_pdf
from requests_app.models import Receipt, ServiceRequest

TOKEN_SALT = "requests_app.receipt-verification"  # noqa: S105 (a salt, not a secret)


def verification_token(receipt: Receipt) -> str:
    """Signed with SECRET_KEY over the receipt's random id: unguessable and unforgeable."""
    return signing.dumps(receipt.public_id.hex, salt=TOKEN_SALT, compress=False)


def receipt_for_token(token: str) -> Receipt | None:
    try:
        public_id = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    return (
        Receipt.objects.select_related("service_request__request_type", "service_request__member")
        .filter(public_id=public_id)
        .first()
    )


def verification_url(receipt: Receipt) -> str:
    return settings.SITE_URL + reverse("requests_app:receipt-verify", args=[verification_token(receipt)])


def mask_name(full_name: str) -> str:
    """'سعيد محمد آل مريح' -> 'سعيد م*** آ*** م***': enough to recognise, not enough to identify."""
    words = full_name.split()
    if not words:
        return ""
    return " ".join([words[0], *(f"{word[0]}***" for word in words[1:])])


def receipt_context(receipt: Receipt) -> dict:
    service_request = receipt.service_request
    url = verification_url(receipt)
    return {
        "receipt": receipt,
        "service_request": service_request,
        "request_type": service_request.request_type,
        "member": service_request.member,
        "issued_at": timezone.localtime(receipt.created_at or timezone.now()),
        "qr_png": segno.make(url, error="m").png_data_uri(scale=4, border=2),
        "verification_url": url,
    }


def issue_receipt(*, service_request_id: int, kind: str) -> Receipt:
    """Render and store a receipt of this kind, once. Idempotent: a receipt already issued is returned as it is.

    Renders in the member's language (Arabic unless they chose English). Side effects: a PDF in private storage.
    """
    existing = Receipt.objects.filter(service_request_id=service_request_id, kind=kind).first()
    if existing:
        return existing
    service_request = ServiceRequest.objects.select_related("request_type", "member").get(pk=service_request_id)
    receipt = Receipt(
        service_request=service_request, kind=kind, status=service_request.status, created_at=timezone.now()
    )
    with translation.override(service_request.member.language or "ar"):
        pdf = render_pdf("pdf/receipt.html", receipt_context(receipt))
    receipt.file.save("receipt.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            receipt.save(force_insert=True)
    except IntegrityError:
        receipt.file.delete(save=False)  # another worker issued it at the same moment
        return Receipt.objects.get(service_request_id=service_request_id, kind=kind)
    return receipt


def missing_receipts(*, within_days: int = 7, limit: int = 500) -> list[tuple[int, Receipt.Kind]]:
    """(request id, kind) of receipts that should exist and do not: their task was lost (broker or worker down).

    Only requests older than RECEIPT_SWEEP_GRACE_S (before that their own task may still be on its way) and only
    recent ones: the sweep catches up outages, it does not render years of history.
    """
    now = timezone.now()
    recent = ServiceRequest.objects.filter(
        submitted_at__gte=now - datetime.timedelta(days=within_days),
        submitted_at__lte=now - datetime.timedelta(seconds=settings.RECEIPT_SWEEP_GRACE_S),
    )
    submitted = recent.exclude(receipts__kind=Receipt.Kind.SUBMITTED).values_list("pk", flat=True)[:limit]
    completed = (
        recent.filter(status=ServiceRequest.Status.COMPLETED)
        .exclude(receipts__kind=Receipt.Kind.COMPLETED)
        .values_list("pk", flat=True)[:limit]
    )
    return [(pk, Receipt.Kind.SUBMITTED) for pk in submitted] + [(pk, Receipt.Kind.COMPLETED) for pk in completed]
