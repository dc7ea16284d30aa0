import threading

import pytest
from django.conf import settings
from django.urls import reverse

from requests_app import receipts
from requests_app.models import Receipt, ServiceRequest
from tests.concurrency import at_once, needs_postgresql, raised
from tests.requests_app.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt():
    service_request = ServiceRequestFactory(reference_no="NJC-2026-000321")
    service_request.member.full_name_ar = "سعيد محمد آل مريح"
    service_request.member.save()
    return receipts.issue_receipt(service_request_id=service_request.pk, kind=Receipt.Kind.SUBMITTED)


def test_issuing_twice_keeps_one_receipt_and_renders_it_once(receipt, monkeypatch):
    monkeypatch.setattr(receipts, "render_pdf", lambda *args, **kwargs: pytest.fail("rendered again"))

    again = receipts.issue_receipt(service_request_id=receipt.service_request_id, kind=Receipt.Kind.SUBMITTED)

    assert again == receipt and again.file.name == receipt.file.name
    assert Receipt.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@needs_postgresql
def test_three_workers_rendering_one_receipt_at_once_keep_one_receipt_and_one_file(private_storage, monkeypatch):
    """A task redelivered, or the sweep's, while the first still renders: all three find no receipt and render (a
    barrier holds each rendering until all have started); one row is kept, each of the others gets it and removes
    its own file."""
    service_request = ServiceRequestFactory()
    render_pdf, rendering = receipts.render_pdf, threading.Barrier(3)

    def render_together(*args, **kwargs) -> bytes:
        rendering.wait(timeout=30)
        return render_pdf(*args, **kwargs)

    monkeypatch.setattr(receipts, "render_pdf", render_together)

    results = at_once(
        *[lambda: receipts.issue_receipt(service_request_id=service_request.pk, kind=Receipt.Kind.SUBMITTED)] * 3
    )

    assert raised(results) == []
    kept = Receipt.objects.get()
    assert {result.pk for result in results} == {kept.pk}
    stored = [path for path in (private_storage / "receipts").rglob("*") if path.is_file()]
    assert [path.relative_to(private_storage).as_posix() for path in stored] == [kept.file.name]


def test_the_receipt_is_a_pdf_stored_under_a_random_name(receipt):
    assert receipt.file.read(5) == b"%PDF-"
    assert receipt.file.name.startswith("receipts/")
    assert "NJC" not in receipt.file.name


def test_the_verification_page_shows_only_what_proves_the_receipt(client, receipt):
    service_request = receipt.service_request
    member = service_request.member

    url = receipts.verification_url(receipt)
    response = client.get(url.removeprefix(settings.SITE_URL))

    content = response.content.decode()
    assert response.status_code == 200
    assert "NJC-2026-000321" in content
    assert service_request.request_type.name_ar in content
    assert "سعيد م*** آ*** م***" in content
    assert member.full_name_ar not in content
    assert member.national_id not in content
    assert str(member.mobile) not in content
    assert member.membership_no not in content


def test_a_tampered_token_is_a_404(client, receipt):
    token = receipts.verification_token(receipt)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = client.get(reverse("requests_app:receipt-verify", args=[forged]))

    assert response.status_code == 404
    assert "NJC-2026-000321" not in response.content.decode()


def test_a_token_for_a_guessed_receipt_cannot_be_made_without_the_key(client, receipt):
    from django.core import signing

    forged = signing.dumps(receipt.public_id.hex, key="not-the-secret-key", salt=receipts.TOKEN_SALT)

    assert client.get(reverse("requests_app:receipt-verify", args=[forged])).status_code == 404


def test_the_verification_page_shows_the_status_printed_on_the_receipt_not_the_current_one(client, receipt):
    # The receipt was issued while the request was submitted; whoever holds a photo of it learns nothing newer.
    ServiceRequest.objects.filter(pk=receipt.service_request_id).update(status=ServiceRequest.Status.REJECTED)

    response = client.get(reverse("requests_app:receipt-verify", args=[receipts.verification_token(receipt)]))

    content = response.content.decode()
    assert receipt.get_status_display() in content
    assert "مرفوض" not in content


def test_the_verification_page_is_neither_stored_nor_indexed(client, receipt):
    response = client.get(reverse("requests_app:receipt-verify", args=[receipts.verification_token(receipt)]))

    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_a_forged_verification_link_is_neither_stored_nor_indexed(client, receipt):
    response = client.get(reverse("requests_app:receipt-verify", args=["forged"]))

    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_the_owner_downloads_the_receipt(client, receipt):
    client.force_login(receipt.service_request.member.user)

    response = client.get(receipt.get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("name", "masked"),
    [("سعيد محمد آل مريح", "سعيد م*** آ*** م***"), ("فهد", "فهد"), ("", "")],
)
def test_names_are_masked(name, masked):
    assert receipts.mask_name(name) == masked


def test_the_sweep_issues_receipts_whose_task_was_lost(django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from requests_app import tasks

    lost = ServiceRequestFactory(submitted_at=timezone.now() - datetime.timedelta(hours=1))
    done = ServiceRequestFactory(
        submitted_at=timezone.now() - datetime.timedelta(hours=2), status=ServiceRequest.Status.COMPLETED
    )
    receipts.issue_receipt(service_request_id=done.pk, kind=Receipt.Kind.SUBMITTED)
    just_now = ServiceRequestFactory(submitted_at=timezone.now())  # its task may still be on its way
    old = ServiceRequestFactory(submitted_at=timezone.now() - datetime.timedelta(days=30))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # one rendering task per receipt
        issued = tasks.issue_missing_receipts()

    assert issued == 2 and len(callbacks) == 2
    assert lost.receipts.get().kind == Receipt.Kind.SUBMITTED
    assert set(done.receipts.values_list("kind", flat=True)) == {"submitted", "completed"}
    assert not just_now.receipts.exists() and not old.receipts.exists()
    assert tasks.issue_missing_receipts() == 0


def test_what_beat_schedules_issues_a_receipt_whose_task_was_lost(settings, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from members_portal.celery import app

    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "requests_app.tasks.issue_missing_receipts"
    ]
    lost = ServiceRequestFactory(submitted_at=timezone.now() - datetime.timedelta(hours=1))

    assert len(entries) == 1, "beat must run the receipt sweep: nothing else renders a receipt whose task was lost"
    app.loader.import_default_modules()
    with django_capture_on_commit_callbacks(execute=True):
        app.tasks[entries[0]["task"]].apply()  # the task beat sends, looked up by the name in the schedule

    assert lost.receipts.get().kind == Receipt.Kind.SUBMITTED
    assert entries[0]["schedule"] <= 60  # with a 60 s grace, a lost receipt is issued within about two minutes
