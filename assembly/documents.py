"""The Assembly's documents window (Law art. 20; DOMAIN.md a.5): the board uploads the accounts, its report and the
auditor's report as PDFs, and publishes them at least ASSEMBLY_DOCUMENTS_DAYS before the meeting; the members on the
meeting's list then read them in the portal, and the board sees how many opened each one (never who).

Uploads go through the checks every upload in the portal passes (requests_app.uploads: the type by its first bytes,
the size limit, a safe display name), PDF only, into the private storage; a file whose row is not written is removed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import Document, DocumentView, Meeting
from assembly.services import _check_board, days_ahead
from members.models import Member, User
from requests_app import uploads
from requests_app.attachments import content_digest


def _check_upload(upload: UploadedFile) -> None:
    try:
        uploads.check_upload(upload, allowed=["pdf"])
    except ValidationError as error:
        if error.code == "bad_type":
            raise ValidationError(
                _("The document must be a PDF file: this file is not one. Nothing was uploaded."), code="bad_type"
            ) from error
        raise


def upload_document(*, meeting: Meeting, by: User, kind: str, upload: UploadedFile) -> Document:
    """Store one document of the meeting, not yet shown to anyone. One per kind: a published one stays as it is,
    an unpublished one is replaced by the new file. A file whose row is not written (a refusal, an error, the
    transaction rolled back) is removed at once."""
    written: list[str] = []
    try:
        return _upload(meeting=meeting, by=by, kind=kind, upload=upload, written=written)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


@transaction.atomic
def _upload(*, meeting: Meeting, by: User, kind: str, upload: UploadedFile, written: list[str]) -> Document:
    _check_board(by)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_upload(upload)
    assert upload.size is not None  # check_upload refuses a file without a size
    existing = locked.documents.filter(kind=kind).first()
    if existing is not None and existing.published_at is not None:
        raise ValidationError(
            _("This document is already published to the members: it can no longer be replaced."), code="published"
        )
    document = Document(
        meeting=locked,
        kind=kind,
        original_name=uploads.safe_display_name(upload.name, extension=".pdf"),
        size=upload.size,
        sha256=content_digest(upload),
        uploaded_by=by,
    )
    document.full_clean(exclude=["file"], validate_constraints=False)  # one per kind: replaced below
    document.file.save("upload", upload, save=False)
    assert document.file.name is not None  # save() has just named the file
    written.append(document.file.name)
    if existing is not None:
        old_name = existing.file.name
        assert old_name is not None  # a stored document has its file
        existing.delete()
        transaction.on_commit(lambda: default_storage.delete(old_name))
    document.save(force_insert=True)
    return document


@transaction.atomic
def remove_document(*, document: Document, by: User) -> None:
    """Take an unpublished document away (a wrong file); a published one stays: the members may have read it."""
    _check_board(by)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.published_at is not None:
        raise ValidationError(
            _("This document is already published to the members: it can no longer be removed."), code="published"
        )
    name = locked.file.name
    assert name is not None  # a stored document has its file
    locked.delete()
    transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def publish_documents(*, meeting: Meeting, by: User) -> int:
    """Open the meeting's uploaded documents to its members. Refuses (nothing published) a meeting whose notice is
    not published (the list of members is written then), none uploaded, or fewer than ASSEMBLY_DOCUMENTS_DAYS days
    before the meeting. Returns how many were published now."""
    _check_board(by)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status != Meeting.Status.PUBLISHED:
        raise ValidationError(
            _("Publish the meeting's notice first: the documents open to the members on its list."), code="no_notice"
        )
    days = settings.ASSEMBLY_DOCUMENTS_DAYS
    if days_ahead(locked.starts_at) < days:
        raise ValidationError(
            _(
                "The documents must be open to the members at least %(days)s days before the meeting: it is too late "
                "to publish them in the portal. Nothing was published."
            )
            % {"days": days},
            code="too_late",
        )
    waiting = locked.documents.filter(published_at__isnull=True)
    if not waiting.exists():
        raise ValidationError(_("Upload at least one document before publishing."), code="none")
    return waiting.update(published_at=timezone.now())


def for_board(meeting: Meeting) -> QuerySet[Document]:
    """The meeting's documents with how many members opened each (a count: the board never sees who)."""
    return meeting.documents.annotate(readers=Count("views")).order_by("kind")


def for_members(meeting: Meeting) -> QuerySet[Document]:
    return meeting.documents.filter(published_at__isnull=False).order_by("kind")


def record_view(*, document: Document, member: Member | None) -> None:
    """Count a member's first look at a document; a later look, or a reader who is not on the meeting's list (a
    board member without shares), adds nothing. One statement: two tabs at once still count once."""
    if member is None or not document.meeting.eligible.filter(member=member).exists():
        return
    DocumentView.objects.bulk_create([DocumentView(document=document, member=member)], ignore_conflicts=True)
