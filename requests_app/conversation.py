"""The conversation on a request: the member's messages, staff replies, and notes between staff."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from members.models import User
from requests_app import attachments
from requests_app.access import is_department_staff
from requests_app.models import RequestDocument, ServiceRequest, TimelineEvent
from requests_app.notices import notify_member

# --- The conversation ------------------------------------------------------------------------------------------


@attachments.removes_files_on_rollback
def add_member_message(
    *,
    service_request: ServiceRequest,
    by: User,
    text: str,
    files: Iterable[tuple[RequestDocument | None, UploadedFile]] = (),
) -> TimelineEvent:
    """The member writes to the staff about their request, with documents if any, at any time."""
    if service_request.member.user_id != by.pk:
        raise PermissionDenied
    text = (text or "").strip()
    files = list(files)
    if not text and not files:
        raise ValidationError(_("Write a message or attach a document."), code="empty")
    ServiceRequest.objects.select_for_update().filter(pk=service_request.pk).update(version=F("version") + 1)
    event: TimelineEvent | None = None
    for document, upload in files:
        attachment = attachments.store_attachment(
            upload=upload, document=document, by=by, service_request=service_request
        )
        event = TimelineEvent.objects.create(
            service_request=service_request, kind=TimelineEvent.Kind.DOCUMENT_ADDED, actor=by,
            note=attachment.original_name,
        )  # fmt: skip
    if text:
        event = TimelineEvent.objects.create(
            service_request=service_request, kind=TimelineEvent.Kind.MEMBER_MESSAGE, actor=by, note=text
        )
    assert event is not None, "a message or a document, checked above"
    return event


@transaction.atomic
def reply_to_member(*, service_request: ServiceRequest, by: User, text: str) -> TimelineEvent:
    """Staff of the department answer the member on the request page; the member is notified."""
    if not is_department_staff(by, service_request):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the reply."), code="empty")
    ServiceRequest.objects.select_for_update().filter(pk=service_request.pk).update(version=F("version") + 1)
    event = TimelineEvent.objects.create(
        service_request=service_request, kind=TimelineEvent.Kind.REPLY, actor=by, note=text
    )
    notify_member(service_request, event="request_reply", key=f"timeline:{event.pk}", note=text)
    return event


@transaction.atomic
def add_internal_note(*, service_request: ServiceRequest, by: User, text: str) -> TimelineEvent:
    """A note between staff; never shown to the member, never notified."""
    if not is_department_staff(by, service_request):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note."), code="empty")
    return TimelineEvent.objects.create(
        service_request=service_request,
        kind=TimelineEvent.Kind.INTERNAL_NOTE,
        actor=by,
        note=text,
        visible_to_member=False,
    )
