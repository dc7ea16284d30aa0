"""Celery tasks of the requests app: thin wrappers that load by id and call a service."""

from celery import shared_task
from django.db import DatabaseError

from members_portal.enqueue import after_commit
from requests_app.models import Receipt

# A receipt that meets a database blip tries again with back-off (2, 4, 8, 16, 32 s); the sweep catches the rest.
RECEIPT_RETRY = {"autoretry_for": (DatabaseError,), "retry_backoff": 2, "retry_jitter": False, "max_retries": 5}


@shared_task(**RECEIPT_RETRY)
def render_submission_receipt(service_request_id: int) -> int:
    """Issue the submission receipt. Safe to run twice: a receipt already issued is kept."""
    from requests_app import receipts

    return receipts.issue_receipt(service_request_id=service_request_id, kind=Receipt.Kind.SUBMITTED).pk


@shared_task(**RECEIPT_RETRY)
def render_completion_receipt(service_request_id: int) -> int:
    """Issue the completion receipt. Safe to run twice."""
    from requests_app import receipts

    return receipts.issue_receipt(service_request_id=service_request_id, kind=Receipt.Kind.COMPLETED).pk


@shared_task
def issue_missing_receipts() -> int:
    """Beat, every RECEIPT_SWEEP_INTERVAL_S: one rendering task per receipt whose task was lost (broker or worker
    down, a worker killed mid-render). Each renders on its own, retries on its own, and is spread over the workers;
    none waits behind a long batch. Idempotent: a receipt issued meanwhile is kept as it is."""
    from requests_app import receipts

    missing = receipts.missing_receipts()
    render = {Receipt.Kind.SUBMITTED: render_submission_receipt, Receipt.Kind.COMPLETED: render_completion_receipt}
    for service_request_id, kind in missing:
        after_commit(render[kind], service_request_id)
    return len(missing)


@shared_task
def sweep_orphaned_files() -> int:
    """Beat, hourly: remove attachment and receipt files that no row names (older than an hour). Idempotent."""
    from requests_app import attachments

    return attachments.sweep_orphaned_files()


# The staff queue's periodic tasks live beside the escalation code; imported here so the worker registers them.
from requests_app.desk.escalation_tasks import email_staff_notices, escalate_requests  # noqa: E402, F401
