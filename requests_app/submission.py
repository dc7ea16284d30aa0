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


def _upsert_open_draft(*, member: Member, request_type: RequestType, token: uuid.UUID, answers: dict) -> Draft | None:
    """The form's draft, created or given these answers, and locked until commit, in one statement; None when the
    token names a draft that is not this member's open one for this service (then nothing is written)."""
    table = connection.ops.quote_name(Draft._meta.db_table)
    now = timezone.now()
    value = Draft._meta.get_field("answers").get_db_prep_value(answers, connection)
    token_value = Draft._meta.get_field("token").get_db_prep_value(token, connection)  # SQLite: its text
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS draft (token, member_id, request_type_id, answers, created_at, updated_at) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (token) DO UPDATE "
            "SET answers = EXCLUDED.answers, updated_at = EXCLUDED.updated_at "
            "WHERE draft.member_id = EXCLUDED.member_id AND draft.request_type_id = EXCLUDED.request_type_id "
            "AND draft.service_request_id IS NULL RETURNING id, created_at",
            [token_value, member.pk, request_type.pk, value, now, now],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    draft = Draft(
        pk=row[0], token=token, member=member, request_type=request_type, answers=answers, created_at=row[1],
        updated_at=now,
    )  # fmt: skip
    draft._state.adding = False
    return draft


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
    return attachments.removes_files_on_rollback(_save_draft)(
        member=member, request_type=request_type, token=token, answers=answers, files=files, by=by
    )


def _save_draft(
    *,
    member: Member,
    request_type: RequestType,
    token: uuid.UUID,
    answers: dict,
    files: Iterable[tuple[RequestDocument, UploadedFile]],
    by: User,
) -> Draft:
    """save_draft inside a transaction already open (its files are removed by the outermost one)."""
    draft = _upsert_open_draft(member=member, request_type=request_type, token=token, answers=answers)
    if draft is None:  # the token names a draft already submitted, or someone else's
        draft = Draft.objects.select_for_update().get(token=token)
        if draft.member_id != member.pk or draft.request_type_id != request_type.pk:
            raise PermissionDenied
        return draft  # submitted meanwhile (the other half of a double submit): its files are already there
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
    if draft.service_request is not None:  # already submitted
        return draft.service_request
    return _write(_prepare(draft=draft, answers=answers, by=by, channel=channel))


def _prepare(*, draft: Draft, answers: list[dict], by: User, channel: str) -> tuple[ServiceRequest, Draft, bool]:
    """Every check that may refuse the submission (ValidationError), before anything is written: who may ask,
    the documents, the hourly limit (which locks the member's row), the fields' own checks."""
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
    # The fields' own checks; uniqueness and the reference format are the database's (three queries fewer), and
    # the number is taken after them, so a refusal takes none.
    service_request.full_clean(
        exclude=["reference_no", "member", "request_type", "department", "submitted_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    return service_request, draft, bool(documents)


def _write(prepared: tuple[ServiceRequest, Draft, bool]) -> ServiceRequest:
    """The submission's writes, once _prepare has accepted it (inside the same transaction)."""
    service_request, draft, has_documents = prepared
    service_request.reference_no = allocate_reference_no(year=timezone.localdate(service_request.submitted_at).year)
    service_request.save(force_insert=True)
    if has_documents:  # a service that asks for no document has no files to hand over
        draft.attachments.update(service_request=service_request)
    draft.service_request = service_request
    draft.save(update_fields=["service_request", "updated_at"])
    TimelineEvent.objects.create(
        service_request=service_request,
        kind=TimelineEvent.Kind.STATUS_CHANGED,
        to_status=Status.SUBMITTED,
        actor=service_request.submitted_by,
    )
    notify_member(
        service_request, event="request_submitted", key=f"request:{service_request.pk}:submitted", new_key=True
    )
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
    token = token or uuid.uuid4()
    try:
        outcome = _open(
            member=member,
            request_type=request_type,
            answers=answers,
            by=by,
            channel=channel,
            token=token,
            raw_answers=raw_answers if raw_answers is not None else {item["key"]: item["value"] for item in answers},
            files=files,
        )
    except IntegrityError:
        # The request's unique submission token, behind the draft's row lock: another submission of the same form
        # wrote its request first. This one wrote nothing (rolled back) and is given that request. Inside a
        # caller's transaction the error is the caller's to handle.
        existing = None if connection.in_atomic_block else ServiceRequest.objects.filter(submission_token=token).first()
        if existing is None:
            raise
        return existing
    if isinstance(outcome, ValidationError):
        raise outcome  # refused: the draft (what was typed, the files that passed) is committed and kept
    return outcome


@attachments.removes_files_on_rollback
def _open(
    *,
    member: Member,
    request_type: RequestType,
    answers: list[dict],
    by: User,
    channel: str,
    token: uuid.UUID,
    raw_answers: dict,
    files: Iterable[tuple[RequestDocument, UploadedFile]],
) -> ServiceRequest | ValidationError:
    """One transaction: the draft, and the request unless something refuses it, which is returned (not raised, so
    the draft commits); nothing of the request is written before every check has passed."""
    draft = _save_draft(member=member, request_type=request_type, token=token, answers=raw_answers, files=files, by=by)
    if draft.service_request is not None:  # already submitted
        return draft.service_request
    try:
        prepared = _prepare(draft=draft, answers=answers, by=by, channel=channel)
    except ValidationError as refused:
        return refused
    return _write(prepared)
