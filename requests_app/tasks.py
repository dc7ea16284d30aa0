"""Celery tasks of the requests app: thin wrappers that load by id and call a service."""

from celery import shared_task

from requests_app.models import Receipt


@shared_task
def render_submission_receipt(service_request_id: int) -> int:
    """Issue the submission receipt. Safe to run twice: a receipt already issued is kept."""
    from requests_app import receipts

    return receipts.issue_receipt(service_request_id=service_request_id, kind=Receipt.Kind.SUBMITTED).pk


@shared_task
def render_completion_receipt(service_request_id: int) -> int:
    """Issue the completion receipt. Safe to run twice."""
    from requests_app import receipts

    return receipts.issue_receipt(service_request_id=service_request_id, kind=Receipt.Kind.COMPLETED).pk


@shared_task
def issue_missing_receipts() -> int:
    """Beat, every ten minutes: issue the receipts whose task was lost. Idempotent (issue_receipt is)."""
    from requests_app import receipts

    missing = receipts.missing_receipts()
    for service_request_id, kind in missing:
        receipts.issue_receipt(service_request_id=service_request_id, kind=kind)
    return len(missing)


# The staff queue's periodic tasks live beside the escalation code; imported here so the worker registers them.
from requests_app.escalation_tasks import email_staff_notices, escalate_requests  # noqa: E402, F401
