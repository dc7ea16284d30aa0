"""Storing what members and staff upload: once per form and content, and never a file without its row.

- Idempotent per form: the same content uploaded again for the same document of the same draft (a double click,
  a resent form, two tabs) is the attachment already stored. A unique constraint on (draft, document, sha256)
  backs it; the draft's row lock (save_draft) makes the second submit wait for the first and find its file.
- No file without its row: a file is written just before its row; if the row cannot be written, or the transaction
  that wrote it rolls back, the file is removed at once (`removes_files_on_rollback`). Whatever still slips through
  (a process killed between the two) is removed by the hourly sweep of orphaned files (`sweep_orphaned_files`).
"""

import contextvars
import datetime
import functools
import hashlib
import logging
from collections.abc import Callable, Iterator

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import User
from requests_app import uploads
from requests_app.models import Attachment, Draft, Receipt, RequestDocument, ServiceRequest

logger = logging.getLogger(__name__)

# Storage folders whose every file belongs to a row; a file older than ORPHAN_AGE without one is removed.
OWNED_FOLDERS: dict[str, type[Attachment] | type[Receipt]] = {"attachments": Attachment, "receipts": Receipt}
ORPHAN_AGE = datetime.timedelta(hours=1)

_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("written_files", default=None)


def removes_files_on_rollback[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` in a transaction; if it raises, remove the files it wrote (their rows were rolled back)."""

    @functools.wraps(function)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if _written.get() is not None:  # nested: the outermost call cleans up
            return transaction.atomic(function)(*args, **kwargs)
        written: list[str] = []
        reset = _written.set(written)
        try:
            with transaction.atomic():
                return function(*args, **kwargs)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        finally:
            _written.reset(reset)

    return wrapped


def content_digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def store_attachment(
    *,
    upload: UploadedFile,
    document: RequestDocument | None,
    by: User,
    draft: Draft | None = None,
    service_request: ServiceRequest | None = None,
    visible_to_member: bool = True,
) -> Attachment:
    """Check and store one file (see the module's docstring). For a draft, content already there is returned."""
    allowed = document.allowed if document else ["pdf", "jpeg", "png"]
    content_type = uploads.check_upload(upload, allowed=allowed)
    assert upload.size is not None  # check_upload refuses a file without a size
    sha256 = content_digest(upload)
    if draft is not None:
        existing = draft.attachments.filter(document=document, sha256=sha256).first()
        if existing is not None:
            return existing
    attachment = Attachment(
        draft=draft,
        service_request=service_request,
        document=document,
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        uploaded_by=by,
        visible_to_member=visible_to_member,
    )
    attachment.original_name = uploads.safe_display_name(upload.name, extension=attachment.extension)
    attachment.file.save("upload", upload, save=False)  # the name comes from attachment_path: random
    stored = attachment.file.name
    assert stored is not None  # save() has just named the file
    written = _written.get()
    if written is not None:
        written.append(stored)
    try:
        with transaction.atomic():
            attachment.save(force_insert=True)
    except IntegrityError:
        default_storage.delete(stored)
        if draft is None:
            raise
        return draft.attachments.get(document=document, sha256=sha256)  # stored by a concurrent submit
    return attachment


def sweep_orphaned_files(*, older_than: datetime.timedelta = ORPHAN_AGE) -> int:
    """Remove private files of the owned folders that no row names and that are older than `older_than`.

    Young files are left: their row may still be on its way (a transaction in progress). Idempotent.
    """
    cutoff = timezone.now() - older_than
    removed = 0
    for folder, model in OWNED_FOLDERS.items():
        names = list(_files_under(folder))
        known: set[str] = set()
        for start in range(0, len(names), 500):
            known.update(model.objects.filter(file__in=names[start : start + 500]).values_list("file", flat=True))
        for name in names:
            if name in known or default_storage.get_modified_time(name) > cutoff:
                continue
            default_storage.delete(name)
            removed += 1
            logger.warning("Removed orphaned file %s (no row names it)", name)
    return removed


def _files_under(folder: str) -> Iterator[str]:
    if not default_storage.exists(folder):
        return
    subfolders, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for subfolder in subfolders:
        yield from _files_under(f"{folder}/{subfolder}")
