"""Every change to service requests: one function per use case, each in one transaction.

Status moves go through `_change_status` alone (the workflow table decides who may do what);
notifications are outbox rows written in the same transaction; receipts render in Celery after commit.
"""

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members import outbox
from members.models import Member, User
from members_portal.enqueue import after_commit
from requests_app import attachments, calendar, completion, limits, sla, tasks, workflow
from requests_app.models import (
    Attachment,
    BoardDecision,
    Channel,
    Draft,
    ReferenceCounter,
    RequestDocument,
    RequestType,
    ServiceRequest,
    TimelineEvent,
)
from requests_app.signals import request_completed, request_rejected
from requests_app.workflow import Actor, is_department_staff

Status = ServiceRequest.Status


class TransitionNotAllowed(PermissionDenied):
    """A move the workflow table does not allow this user from the request's current status."""

    def __init__(self, *, current: str, requested: str) -> None:
        self.current, self.requested = current, requested
        super().__init__(
            _("A request that is “%(current)s” cannot be moved to “%(requested)s” by you.")
            % {"current": Status(current).label, "requested": Status(requested).label}
        )


class StaleRequest(ValidationError):
    """Someone changed the request after the page was opened (optimistic check on `version`)."""


# --- Who may ask for what -------------------------------------------------------------------------------------


def check_may_request(*, member: Member | None, request_type: RequestType) -> None:
    """Raise ValidationError (a message the person reads) unless this person may ask for this service now."""
    if member is None:
        raise ValidationError(
            _("Your account is not linked to a member record. Please contact the cooperative."), code="no_member"
        )
    if not request_type.active:
        raise ValidationError(_("This service is not available at the moment."), code="inactive")
    if member.status == Member.Status.WITHDRAWN:
        raise ValidationError(
            _(
                "Your membership has ended (withdrawn), so you cannot submit new requests. "
                "Please contact the cooperative."
            ),
            code="withdrawn",
        )
    if member.status == Member.Status.SUSPENDED:
        raise ValidationError(
            _("Your membership is suspended, so you cannot submit new requests. Please contact the cooperative."),
            code="suspended",
        )
    if member.status == Member.Status.APPLICANT and not request_type.open_to_applicants:
        raise ValidationError(
            _("As a membership applicant you may only apply for membership until your membership is approved."),
            code="applicant",
        )
    if member.status == Member.Status.ACTIVE and not request_type.open_to_members:
        raise ValidationError(_("You are already a member; this service is for membership applicants."), code="member")


# --- Drafts and submission -------------------------------------------------------------------------------------


def allocate_reference_no(*, year: int) -> str:
    """The next NJC-<year>-<6 digits>. The counter row's lock (held until commit) serialises concurrent submits."""
    for _attempt in range(2):
        updated = ReferenceCounter.objects.filter(year=year).update(last_value=F("last_value") + 1)
        if updated:
            value = ReferenceCounter.objects.values_list("last_value", flat=True).get(year=year)
            return f"NJC-{year}-{value:06d}"
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last_value=0)
        except IntegrityError:
            pass  # another submission created this year's row first: the update above now finds it
    raise RuntimeError("could not allocate a reference number")


@attachments.removes_files_on_rollback
def save_draft(
    *,
    member: Member,
    request_type: RequestType,
    token: uuid.UUID,
    answers: dict,
    files: Iterable[tuple[RequestDocument, UploadedFile]],
    by: User,
) -> Draft:
    """Keep what the member typed and the files that passed the checks, so nothing is typed or uploaded twice.

    The token comes from the form: the same form saves into the same draft. Files must be checked
    (uploads.check_upload) before they get here. Side effects: files written to private storage, each once per
    document and content (a double submit stores nothing twice; a draft already submitted takes no more files).
    """
    draft, _created = Draft.objects.select_for_update().get_or_create(
        token=token, defaults={"member": member, "request_type": request_type}
    )
    if draft.member_id != member.pk or draft.request_type_id != request_type.pk:
        raise PermissionDenied
    if draft.service_request_id is not None:
        return draft  # submitted meanwhile (the other half of a double submit): its files are already there
    draft.answers = answers
    draft.save(update_fields=["answers", "updated_at"])
    for document, upload in files:
        attachments.store_attachment(upload=upload, document=document, by=by, draft=draft)
    return draft


def missing_documents(*, request_type: RequestType, attachments: Iterable[Attachment]) -> list[RequestDocument]:
    present = {attachment.document_id for attachment in attachments}
    return [doc for doc in request_type.documents.all() if doc.active and doc.required and doc.pk not in present]


@transaction.atomic
def submit_request(
    *,
    draft: Draft,
    answers: list[dict],
    by: User,
    channel: str = Channel.PORTAL,
) -> ServiceRequest:
    """Turn a draft into a request: reference number, timeline entry, notification, receipt (after commit).

    Idempotent: a draft already submitted (double click, resent form) returns the request it became.
    `answers` is the snapshot of the form (labels and values) the request keeps forever.
    """
    draft = Draft.objects.select_for_update().select_related("member", "request_type").get(pk=draft.pk)
    if draft.service_request_id:
        return draft.service_request
    member, request_type = draft.member, draft.request_type
    if channel == Channel.PORTAL and member.user_id != by.pk:
        raise PermissionDenied
    check_may_request(member=member, request_type=request_type)
    missing = missing_documents(request_type=request_type, attachments=list(draft.attachments.all()))
    if missing:
        raise ValidationError(
            _("Please attach: %(documents)s.") % {"documents": _(", ").join(doc.name for doc in missing)},
            code="missing_documents",
        )
    if channel == Channel.PORTAL:
        limits.check_submission_rate(member=member, now=timezone.now())
    now = timezone.now()
    today = timezone.localdate(now)
    service_request = ServiceRequest(
        reference_no=allocate_reference_no(year=today.year),
        member=member,
        request_type=request_type,
        department_id=request_type.department_id,
        status=Status.SUBMITTED,
        answers=answers,
        channel=channel,
        submitted_by=by,
        submitted_at=now,
        due_date=calendar.add_working_days(today, request_type.sla_days),
        submission_token=draft.token,
    )
    # The fields' own checks; uniqueness and the reference format are the database's (three queries fewer).
    service_request.full_clean(
        exclude=["member", "request_type", "department", "submitted_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    service_request.save(force_insert=True)
    draft.attachments.update(service_request=service_request)
    draft.service_request = service_request
    draft.save(update_fields=["service_request", "updated_at"])
    TimelineEvent.objects.create(
        service_request=service_request,
        kind=TimelineEvent.Kind.STATUS_CHANGED,
        to_status=Status.SUBMITTED,
        actor=by,
    )
    _notify(service_request, event="request_submitted", key=f"request:{service_request.pk}:submitted")
    after_commit(tasks.render_submission_receipt, service_request.pk)
    return service_request


# --- The workflow ------------------------------------------------------------------------------------------------


def _notify(service_request: ServiceRequest, *, event: str, key: str, note: str = "") -> None:
    """Queue the member's notice; names are resolved in the member's language (the templates render in it)."""
    member = service_request.member
    context = {
        "reference_no": service_request.reference_no,
        "status": service_request.status,
        "note": note,
        "due_date": service_request.due_date.strftime("%Y/%m/%d"),
    }
    # Names in both languages (`<name>_ar`, `<name>_en`): the inbox shows the message in the language the member
    # reads the portal in, which may not be the one it was written in (members.notification_texts).
    for language in ("ar", "en"):
        with translation.override(language):
            context[f"service_{language}"] = service_request.request_type.name
            context[f"status_label_{language}"] = str(Status(service_request.status).label)
    own = member.language if member.language in ("ar", "en") else "ar"
    context["service"], context["status_label"] = context[f"service_{own}"], context[f"status_label_{own}"]
    outbox.queue_notification(
        member=member, event=event, key=key, link=service_request.get_absolute_url(), context=context
    )


STATUS_EVENTS = {Status.RETURNED_TO_MEMBER: "request_returned_to_member"}


@transaction.atomic
def _change_status(
    *,
    service_request: ServiceRequest,
    to: Status,
    by: User,
    note: str = "",
    expected_version: int | None = None,
    changes: dict | None = None,
    decision: BoardDecision | None = None,
) -> TimelineEvent:
    """The one place a request moves: check the table, run the SLA clock, record the move, make completion take
    effect (requests_app.completion), queue the notice.

    Re-reads the request under a row lock, so two people cannot move it at once; `expected_version`
    (from the page the person looked at) refuses a move based on a stale view. A request waiting for the
    board leaves that status only with the board's `decision` on it (approved to complete, refused to reject).
    """
    locked = (
        ServiceRequest.objects.select_for_update().select_related("member", "request_type").get(pk=service_request.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleRequest(_("This request changed after you opened it. Please look at it again."), code="stale")
    if not workflow.may_move(by, locked, Status(to)):
        raise TransitionNotAllowed(current=locked.status, requested=to)
    if locked.status == Status.PENDING_BOARD_DECISION and not _is_the_boards_decision(decision, locked, to):
        raise TransitionNotAllowed(current=locked.status, requested=to)
    now = timezone.now()
    from_status = locked.status
    update_fields = ["status", "version", "updated_at"]
    # The service-level clock stops while the request waits on the member and resumes where it stopped.
    if to == Status.RETURNED_TO_MEMBER:
        locked.paused_at = now
        update_fields.append("paused_at")
    if from_status == Status.RETURNED_TO_MEMBER and locked.paused_at:
        waited = calendar.working_days_between(timezone.localdate(locked.paused_at), timezone.localdate(now))
        locked.paused_working_days += waited
        locked.due_date = calendar.add_working_days(locked.due_date, waited) if waited else locked.due_date
        locked.paused_at = None
        update_fields += ["paused_working_days", "due_date", "paused_at"]
    if to in ServiceRequest.CLOSED_STATUSES:
        locked.closed_at = now
        update_fields.append("closed_at")
    for field, value in (changes or {}).items():
        setattr(locked, field, value)
        update_fields.append(field)
    event = TimelineEvent.objects.create(
        service_request=locked,
        kind=TimelineEvent.Kind.STATUS_CHANGED,
        from_status=from_status,
        to_status=to,
        actor=by,
        note=note,
    )
    locked.status = to
    locked.version += 1
    locked.save(update_fields=sorted(set(update_fields)))
    if to == Status.COMPLETED:
        completion.take_effect(service_request=locked, by=by, decision=decision)
    _notify(locked, event=STATUS_EVENTS.get(to, "request_status_changed"), key=f"timeline:{event.pk}", note=note)
    if to == Status.COMPLETED:
        request_completed.send(sender=ServiceRequest, service_request=locked)
        after_commit(tasks.render_completion_receipt, locked.pk)
    elif to == Status.REJECTED:
        request_rejected.send(sender=ServiceRequest, service_request=locked)
    service_request.refresh_from_db()
    return event


def _is_the_boards_decision(decision: BoardDecision | None, service_request: ServiceRequest, to: Status) -> bool:
    return (
        decision is not None
        and decision.service_request_id == service_request.pk
        and decision.approved == (to == Status.COMPLETED)
    )


def start_review(*, service_request: ServiceRequest, by: User, expected_version: int | None = None) -> TimelineEvent:
    """Staff of the department open a submitted request. Notifies the member."""
    return _change_status(
        service_request=service_request, to=Status.UNDER_REVIEW, by=by, expected_version=expected_version
    )


def return_to_member(
    *, service_request: ServiceRequest, by: User, missing: str, expected_version: int | None = None
) -> TimelineEvent:
    """Return for completion, saying exactly what is missing; the SLA clock stops. Notifies the member."""
    missing = (missing or "").strip()
    if not missing:
        raise ValidationError(_("Say what is missing, so the member can complete it."), code="missing_required")
    return _change_status(
        service_request=service_request,
        to=Status.RETURNED_TO_MEMBER,
        by=by,
        note=missing,
        expected_version=expected_version,
        changes={"missing_items": missing},
    )


@attachments.removes_files_on_rollback
def resubmit(
    *,
    service_request: ServiceRequest,
    by: User,
    note: str = "",
    files: Iterable[tuple[RequestDocument | None, UploadedFile]] = (),
) -> TimelineEvent:
    """The member completes a returned request (documents, a note) and sends it back for review; the clock resumes.

    Files must already pass uploads.check_upload. Side effects: attachments stored, timeline, notification.
    """
    files = list(files)
    if not note.strip() and not files:
        raise ValidationError(_("Add the missing documents or a note before you resubmit."), code="empty")
    # Refuse before storing anything when the move itself is not allowed.
    if not Actor.OWNING_MEMBER.allows(by, service_request) or service_request.status != Status.RETURNED_TO_MEMBER:
        raise TransitionNotAllowed(current=service_request.status, requested=Status.UNDER_REVIEW)
    for document, upload in files:
        attachment = attachments.store_attachment(
            upload=upload, document=document, by=by, service_request=service_request
        )
        TimelineEvent.objects.create(
            service_request=service_request,
            kind=TimelineEvent.Kind.DOCUMENT_ADDED,
            actor=by,
            note=attachment.original_name,
        )
    return _change_status(
        service_request=service_request,
        to=Status.UNDER_REVIEW,
        by=by,
        note=note.strip(),
        changes={"missing_items": ""},
    )


def start_work(*, service_request: ServiceRequest, by: User, expected_version: int | None = None) -> TimelineEvent:
    """Staff start the work after review. Notifies the member."""
    return _change_status(
        service_request=service_request, to=Status.IN_PROGRESS, by=by, expected_version=expected_version
    )


@transaction.atomic
def refer_to_board(
    *, service_request: ServiceRequest, by: User, note: str = "", expected_version: int | None = None
) -> TimelineEvent:
    """Staff refer a service that needs the board's decision (membership, share transfer, withdrawal).

    The member is told the request waits for the board. `note` is for the board: it is kept as a board note
    on the timeline, which the member never sees and no notification carries. The request leaves the
    department's clock for the board's own (sla.board_due_date).
    """
    event = _change_status(
        service_request=service_request,
        to=Status.PENDING_BOARD_DECISION,
        by=by,
        expected_version=expected_version,
        changes={"board_due_date": sla.board_due_date()},
    )
    note = (note or "").strip()
    if note:
        TimelineEvent.objects.create(
            service_request=service_request,
            kind=TimelineEvent.Kind.BOARD_NOTE,
            actor=by,
            note=note,
            visible_to_member=False,
        )
    return event


def complete_request(
    *,
    service_request: ServiceRequest,
    by: User,
    outcome: str,
    expected_version: int | None = None,
    decision: BoardDecision | None = None,
) -> TimelineEvent:
    """Complete with the outcome the member reads: what completion does for the service's kind takes effect
    (requests_app.completion), request_completed is sent, the completion receipt renders after commit. A request
    waiting for the board completes only with its approving `decision` (staff_services.record_board_decision)."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError(_("Write the outcome the member will read."), code="outcome_required")
    return _change_status(
        service_request=service_request,
        to=Status.COMPLETED,
        by=by,
        note=outcome,
        expected_version=expected_version,
        changes={"outcome": outcome},
        decision=decision,
    )


def reject_request(
    *,
    service_request: ServiceRequest,
    by: User,
    reason: str,
    expected_version: int | None = None,
    decision: BoardDecision | None = None,
) -> TimelineEvent:
    """Reject with a reason the member will read. Who may reject, from which status: the workflow table; a
    request waiting for the board only with its refusing `decision`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A rejection needs a reason."), code="reason_required")
    return _change_status(
        service_request=service_request,
        to=Status.REJECTED,
        by=by,
        note=reason,
        expected_version=expected_version,
        changes={"outcome": reason},
        decision=decision,
    )


def cancel_request(*, service_request: ServiceRequest, by: User, reason: str = "") -> TimelineEvent:
    """The member withdraws their own request before work starts."""
    return _change_status(service_request=service_request, to=Status.CANCELLED, by=by, note=(reason or "").strip())


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
    event = None
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
    _notify(service_request, event="request_reply", key=f"timeline:{event.pk}", note=text)
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


def expected_completion(service_request: ServiceRequest) -> datetime.date | None:
    """The date the member may expect; None while the request waits on them (the clock is stopped)."""
    if service_request.is_closed or service_request.waits_on_member:
        return None
    return service_request.due_date
