"""Every change to service requests: one function per use case, each in one transaction.

The use cases live in modules by family: `submission` (who may ask for what, drafts, submitting),
`status_changes` (every status move, through `_change_status` alone: the workflow table decides who may do what)
and `conversation` (messages, replies, notes); `notices` queues the member's notice. Import them from here.
Notifications are outbox rows written in the same transaction; receipts render in Celery after commit.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from requests_app.conversation import add_internal_note, add_member_message, reply_to_member
from requests_app.status_changes import (
    STATUS_EVENTS,
    BoardDecisionRequired,
    ReservedToTheBoard,
    StaleRequest,
    Status,
    TransitionNotAllowed,
    cancel_request,
    complete_request,
    expected_completion,
    refer_to_board,
    reject_request,
    resubmit,
    return_to_member,
    start_review,
    start_work,
)
from requests_app.submission import (
    allocate_reference_no,
    check_may_request,
    open_request,
    save_draft,
    submit_request,
)

__all__ = [
    "STATUS_EVENTS",
    "BoardDecisionRequired",
    "PermissionDenied",
    "ReservedToTheBoard",
    "StaleRequest",
    "Status",
    "TransitionNotAllowed",
    "ValidationError",
    "add_internal_note",
    "add_member_message",
    "allocate_reference_no",
    "cancel_request",
    "check_may_request",
    "complete_request",
    "expected_completion",
    "open_request",
    "refer_to_board",
    "reject_request",
    "reply_to_member",
    "resubmit",
    "return_to_member",
    "save_draft",
    "start_review",
    "start_work",
    "submit_request",
]
