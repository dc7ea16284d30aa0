"""Uploads are stored once per form and content, and no file is left without its row (issue 14 item 7)."""

import datetime
import os
import threading
import time
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from requests_app import attachments, services
from requests_app.models import Attachment, Draft, ServiceRequest
from tests.requests_app.factories import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


def stored_files(root) -> list[str]:
    """The uploads in private storage (receipts live beside them, in their own folder)."""
    return sorted(str(path.relative_to(root)) for path in (root / "attachments").rglob("*") if path.is_file())


def deed(content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile("deed.pdf" if content == PDF_BYTES else "deed.png", content)


def save(member, request_type, token, *uploads):
    document = request_type.documents.get()
    return services.save_draft(
        member=member,
        request_type=request_type,
        token=token,
        answers={},
        files=[(document, upload) for upload in uploads],
        by=member.user,
    )


def test_the_same_file_sent_twice_with_one_form_is_stored_once(member, request_type, private_storage):
    token = uuid.uuid4()

    save(member, request_type, token, deed())
    draft = save(member, request_type, token, deed())

    assert draft.attachments.count() == 1
    assert len(stored_files(private_storage)) == 1


def test_another_file_for_the_same_document_is_kept_beside_the_first(member, request_type, private_storage):
    token = uuid.uuid4()

    draft = save(member, request_type, token, deed(PDF_BYTES), deed(PNG_BYTES))

    assert draft.attachments.count() == 2
    assert len(stored_files(private_storage)) == 2


def test_a_transaction_that_rolls_back_after_storing_leaves_no_file(member, request_type, private_storage):
    draft = Draft.objects.create(token=uuid.uuid4(), member=member, request_type=request_type)

    @attachments.removes_files_on_rollback
    def store_then_fail():
        attachments.store_attachment(upload=deed(), document=None, by=member.user, draft=draft)
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        store_then_fail()

    assert not Attachment.objects.exists()
    assert stored_files(private_storage) == []


def test_the_sweep_removes_old_files_without_a_row_and_keeps_the_rest(member, request_type, private_storage):
    kept = save(member, request_type, uuid.uuid4(), deed()).attachments.get()
    orphan = default_storage.save("attachments/ab/orphan.pdf", SimpleUploadedFile("x.pdf", PDF_BYTES))
    young = default_storage.save("attachments/cd/young.pdf", SimpleUploadedFile("y.pdf", PDF_BYTES))
    hours_ago = time.time() - 2 * 3600
    os.utime(default_storage.path(orphan), (hours_ago, hours_ago))
    os.utime(default_storage.path(kept.file.name), (hours_ago, hours_ago))

    removed = attachments.sweep_orphaned_files(older_than=datetime.timedelta(hours=1))

    assert removed == 1
    assert not default_storage.exists(orphan)
    assert default_storage.exists(young) and default_storage.exists(kept.file.name)


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_submit_stores_the_request_and_its_upload_once(member, request_type, private_storage):
    """Two posts of one form at the same moment (a double tap on a slow phone), on PostgreSQL, five times over."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    url = reverse("requests_app:request-submit", args=[request_type.code])
    document_field = f"document_{request_type.documents.get().pk}"
    statuses, errors = [], []

    def post(token: uuid.UUID, barrier: threading.Barrier) -> None:
        client = Client()
        client.force_login(member.user)
        data = {"token": str(token), "seedlings": "40", "season": "winter", document_field: deed()}
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    for _ in range(5):
        barrier = threading.Barrier(2)
        token = uuid.uuid4()
        threads = [threading.Thread(target=post, args=(token, barrier)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == [] and statuses == [302] * 10
    assert ServiceRequest.objects.count() == 5
    assert Attachment.objects.count() == 5
    assert all(request.attachments.count() == 1 for request in ServiceRequest.objects.all())
    assert len(stored_files(private_storage)) == 5  # no file without its row
