"""Every status move of a request: `_change_status` is the only place `status` changes (the workflow table decides
who may do what); the thin use cases below name the moves."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import User
from members_portal.enqueue import after_commit
from requests_app import attachments, calendar, completion, sla, tasks, workflow
from requests_app.models import BoardDecision, RequestDocument, ServiceRequest, TimelineEvent
from requests_app.notices import notify_member
from requests_app.signals import request_completed, request_rejected
from requests_app.workflow import Actor

Status = ServiceRequest.Status


class TransitionNotAllowed(PermissionDenied):
    """A move the workflow table does not allow this user from the request's current status."""

    def __init__(self, *, current: str, requested: str) -> None:
        self.current, self.requested = current, requested
        super().__init__(
            _("A request that is “%(current)s” cannot be moved to “%(requested)s” by you.")
            % {"current": Status(current).label, "requested": Status(requested).label}
        )


class ReservedToTheBoard(TransitionNotAllowed):
    """Staff completing a service the law reserves to the board: it goes to the board instead."""

    def __init__(self, *, current: str, requested: str) -> None:
        super().__init__(current=current, requested=requested)
        self.args = (_("The board decides this service: refer it to the board."),)


class BoardDecisionRequired(TransitionNotAllowed):
    """A request waiting for the board moved without the board's recorded decision."""

    def __init__(self, *, current: str, requested: str) -> None:
        super().__init__(current=current, requested=requested)
        self.args = (_("Only the board's decision, recorded with its meeting, moves a request waiting for the board."),)


class StaleRequest(ValidationError):
    """Someone changed the request after the page was opened (optimistic check on `version`)."""


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
    _check_move(locked, to=to, by=by, expected_version=expected_version, decision=decision)
    now = timezone.now()
    from_status = locked.status
    update_fields = ["status", "version", "updated_at", *_run_the_clock(locked, to=to, now=now)]
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
    notify_member(locked, event=STATUS_EVENTS.get(to, "request_status_changed"), key=f"timeline:{event.pk}", note=note)
    if to == Status.COMPLETED:
        request_completed.send(sender=ServiceRequest, service_request=locked)
        after_commit(tasks.render_completion_receipt, locked.pk)
    elif to == Status.REJECTED:
        request_rejected.send(sender=ServiceRequest, service_request=locked)
    service_request.refresh_from_db()
    return event


def _check_move(
    locked: ServiceRequest, *, to: Status, by: User, expected_version: int | None, decision: BoardDecision | None
) -> None:
    """Refuse a move on a stale view, one the table or the law does not allow, or out of the board's waiting
    status without its decision."""
    if expected_version is not None and locked.version != expected_version:
        raise StaleRequest(_("This request changed after you opened it. Please look at it again."), code="stale")
    if not workflow.may_move(by, locked, Status(to)):
        if to == Status.COMPLETED and not workflow.law_allows(locked, to):
            raise ReservedToTheBoard(current=locked.status, requested=to)
        raise TransitionNotAllowed(current=locked.status, requested=to)
    if locked.status == Status.PENDING_BOARD_DECISION and not _is_the_boards_decision(decision, locked, to):
        raise BoardDecisionRequired(current=locked.status, requested=to)


def _run_the_clock(locked: ServiceRequest, *, to: Status, now: datetime.datetime) -> list[str]:
    """The service-level clock stops while the request waits on the member and resumes where it stopped; a closed
    request records when. Returns the fields it changed (the status is not written yet)."""
    changed = []
    if to == Status.RETURNED_TO_MEMBER:
        locked.paused_at = now
        changed.append("paused_at")
    if locked.status == Status.RETURNED_TO_MEMBER and locked.paused_at:
        waited = calendar.working_days_between(timezone.localdate(locked.paused_at), timezone.localdate(now))
        locked.paused_working_days += waited
        locked.due_date = calendar.add_working_days(locked.due_date, waited) if waited else locked.due_date
        locked.paused_at = None
        changed += ["paused_working_days", "due_date", "paused_at"]
    if to in ServiceRequest.CLOSED_STATUSES:
        locked.closed_at = now
        changed.append("closed_at")
    return changed


def _is_the_boards_decision(decision: BoardDecision | None, service_request: ServiceRequest, to: Status) -> bool:
    """The decision recorded on this request (a row, not an object made up by the caller) says this move."""
    return (
        decision is not None
        and decision.pk is not None
        and BoardDecision.objects.filter(
            pk=decision.pk, service_request=service_request, approved=(to == Status.COMPLETED)
        ).exists()
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


def expected_completion(service_request: ServiceRequest) -> datetime.date | None:
    """The date the member may expect; None while the request waits on them (the clock is stopped)."""
    if service_request.is_closed or service_request.waits_on_member:
        return None
    return service_request.due_date
