"""Who may ask for what, drafts, and submitting a request (reference number, notice, receipt after commit)."""

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, User
from members_portal.enqueue import after_commit
from requests_app import attachments, calendar, limits, tasks
from requests_app.models import (
    Channel,
    Draft,
    ReferenceCounter,
    RequestDocument,
    RequestType,
    ServiceRequest,
    TimelineEvent,
)
from requests_app.notices import notify_member

Status = ServiceRequest.Status

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
    if member.status == Member.Status.DECEASED:
        raise ValidationError(
            _("This membership has ended (the member died), so no new request can be made on it."), code="deceased"
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
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    for _attempt in range(2):
        with connection.cursor() as cursor:  # one statement: the increment and the value it gave (RETURNING)
            cursor.execute(
                f"UPDATE {table} SET last_value = last_value + 1 WHERE year = %s RETURNING last_value",  # noqa: S608
                [year],
            )
            row = cursor.fetchone()
        if row is not None:
            return f"NJC-{year}-{row[0]:06d}"
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
    draft, created = Draft.objects.select_for_update().get_or_create(
        token=token, defaults={"member": member, "request_type": request_type, "answers": answers}
    )
    if draft.member_id != member.pk or draft.request_type_id != request_type.pk:
        raise PermissionDenied
    if draft.service_request_id is not None:
        return draft  # submitted meanwhile (the other half of a double submit): its files are already there
    if not created:
        draft.answers = answers
        draft.save(update_fields=["answers", "updated_at"])
    for document, upload in files:
        attachments.store_attachment(upload=upload, document=document, by=by, draft=draft)
    return draft


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
    documents = list(request_type.documents.all())
    required = [doc for doc in documents if doc.active and doc.required]
    present = set(draft.attachments.values_list("document_id", flat=True)) if required else set()
    missing = [doc for doc in required if doc.pk not in present]
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
    if documents:  # a service that asks for no document has no files to hand over
        draft.attachments.update(service_request=service_request)
    draft.service_request = service_request
    draft.save(update_fields=["service_request", "updated_at"])
    TimelineEvent.objects.create(
        service_request=service_request,
        kind=TimelineEvent.Kind.STATUS_CHANGED,
        to_status=Status.SUBMITTED,
        actor=by,
    )
    notify_member(service_request, event="request_submitted", key=f"request:{service_request.pk}:submitted")
    after_commit(tasks.render_submission_receipt, service_request.pk)
    return service_request


def open_request(
    *,
    member: Member,
    request_type: RequestType,
    answers: list[dict],
    by: User,
    channel: str = Channel.PORTAL,
    token: uuid.UUID | None = None,
    raw_answers: dict | None = None,
    files: Iterable[tuple[RequestDocument, UploadedFile]] = (),
) -> ServiceRequest:
    """The one way a request is opened, whoever opens it: the member's form, staff for a member who phoned or came
    in (requests_app.desk.staff_services), the complaint a rating asked for and a named suggestion (surveys).

    The draft is saved first and kept: when the submission is refused (a missing document, the hourly limit) what
    was typed and the files that passed are still there. `answers` is the snapshot the request keeps (labels and
    values); `raw_answers` what refills the form, by default the snapshot's values. The same `token` returns the
    same request (a double submit opens one).
    """
    draft = save_draft(
        member=member,
        request_type=request_type,
        token=token or uuid.uuid4(),
        answers=raw_answers if raw_answers is not None else {item["key"]: item["value"] for item in answers},
        files=files,
        by=by,
    )
    return submit_request(draft=draft, answers=answers, by=by, channel=channel)
