"""Staff use cases beyond the status moves (requests_app.services keeps those, and replies and notes):
a request opened on a member's behalf, the board's decision with its meeting, staff notices read.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member, User
from members.roles import Role, has_role
from requests_app import board_reads, services
from requests_app.models import BoardDecision, Channel, RequestDocument, RequestType, ServiceRequest, StaffNotice

# A member asks through staff by phone, at the headquarters, or on a field visit; the portal is their own.
ON_BEHALF_CHANNELS = (Channel.PHONE, Channel.WALK_IN, Channel.FIELD_VISIT)
OWN_REQUEST_REASON = gettext_lazy("This is your own request: another member of the board records the decision on it.")


@transaction.atomic
def open_request_for_member(
    *,
    member: Member,
    request_type: RequestType,
    answers: list[dict],
    channel: str,
    by: User,
    files: list[tuple[RequestDocument, object]] = (),
    token: uuid.UUID | None = None,
    raw_answers: dict | None = None,
) -> ServiceRequest:
    """Staff open a request for a member who phoned, walked in or was met on a field visit.

    Recorded with its channel and `submitted_by` the staff member; otherwise exactly a member's
    submission (services.submit_request): same checks on who may ask, reference number, timeline,
    notification to the member, receipt. `token` (the form's) makes a resent form return the same request.
    Files must already pass uploads.check_upload (RequestForm does it).
    """
    if not has_role(by, Role.STAFF):
        raise PermissionDenied
    if channel not in ON_BEHALF_CHANNELS:
        raise ValidationError(_("Choose how the member asked: by phone, at the headquarters or on a field visit."),
                              code="channel")  # fmt: skip
    services.check_may_request(member=member, request_type=request_type)
    return services.open_request(
        member=member,
        request_type=request_type,
        answers=answers,
        by=by,
        channel=channel,
        token=token,
        raw_answers=raw_answers or {},
        files=files,
    )


def _decision_note(*, member: Member, approved: bool, meeting_reference: str, note: str) -> str:
    """The text the member reads: the decision, its meeting, and the board's words, in the member's language."""
    with translation.override(member.language):
        if approved:
            head = _("The board of directors approved the request in its meeting %(meeting)s.")
        else:
            head = _("The board of directors did not approve the request in its meeting %(meeting)s.")
        return (head % {"meeting": meeting_reference}) + "\n" + note


@transaction.atomic
def record_board_decision(
    *,
    service_request: ServiceRequest,
    by: User,
    approved: bool,
    meeting_reference: str,
    note: str,
    meeting_date: datetime.date | None = None,
    refund_due: Decimal | None = None,
    expected_version: int | None = None,
) -> BoardDecision:
    """Record the board's decision on a request pending it: approval completes it, refusal rejects it. The only
    way out of "pending the board's decision" (status_changes._change_status asks for the decision this writes).

    Board members record; a supervisor of the request's department may record a decision taken in a
    meeting on the board's behalf (marked so). The meeting reference and the note are required; an approved
    withdrawal needs the refund due. In one transaction: the decision, the status, what approval does in
    the register (requests_app.completion), the timeline, the member's notice and the survey invitation.
    """
    meeting_reference = " ".join((meeting_reference or "").split())
    note = (note or "").strip()
    Status = ServiceRequest.Status
    requested = Status.COMPLETED if approved else Status.REJECTED
    if not board_reads.may_record_board_decision(by, service_request):
        raise services.TransitionNotAllowed(current=service_request.status, requested=requested)
    if board_reads.is_own_request(by, service_request):
        raise PermissionDenied(OWN_REQUEST_REASON)
    errors = {}
    if not meeting_reference:
        errors["meeting_reference"] = _("Give the reference of the meeting that took the decision.")
    if not note:
        errors["note"] = (
            _("Write the board's decision as the member will read it.")
            if approved
            else _("A rejection needs a reason.")
        )
    if errors:
        raise ValidationError(errors)
    # Locked first: a second decision on the same request waits here, then finds it decided.
    locked = ServiceRequest.objects.select_for_update().select_related("member").get(pk=service_request.pk)
    if locked.status != Status.PENDING_BOARD_DECISION:
        raise services.TransitionNotAllowed(current=locked.status, requested=requested)
    decision = BoardDecision.objects.create(
        service_request=locked,
        approved=approved,
        meeting_reference=meeting_reference,
        meeting_date=meeting_date,
        note=note,
        refund_due=refund_due if approved else None,
        recorded_by=by,
        on_behalf_of_board=not has_role(by, Role.BOARD),
    )
    text = _decision_note(member=locked.member, approved=approved, meeting_reference=meeting_reference, note=note)
    common = {"service_request": service_request, "by": by, "decision": decision, "expected_version": expected_version}
    if approved:
        services.complete_request(outcome=text, **common)
    else:
        services.reject_request(reason=text, **common)
    return decision


def mark_notices_read(*, by: User, notice_ids: list[int] | None = None) -> int:
    """Mark the user's own staff notices read (all of them when no ids are given). Idempotent."""
    notices = StaffNotice.objects.filter(recipient=by, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=notice_ids)
    return notices.update(read_at=timezone.now())
