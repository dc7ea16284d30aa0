"""Answering a survey: the anonymous response, the staff member's quarterly tally, and the reseal that closes the
database's side door afterwards (see the package's docstring)."""

import datetime
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from members_portal.enqueue import after_commit
from requests_app.models import ServiceRequest, TimelineEvent
from surveys.masking import mask_personal_data
from surveys.models import ASPECTS, Invitation, QuestionnaireVersion, Response, StaffResultTally, Suggestion
from surveys.services import coarsening
from surveys.services.common import RATABLE_STATUSES, InvitationRefused, month_of, quarter_of

RESEAL_LOCK_KEY = 7_202_611  # pg_advisory_xact_lock key of reseal_anonymous_rows


# --- Answering ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What the member chose on the survey page (validated by forms.SurveyForm)."""

    overall: int
    speed: int | None = None
    clarity: int | None = None
    courtesy: int | None = None
    ease: int | None = None
    recommend: int | None = None
    comment: str = ""


def _handler_id(service_request: ServiceRequest) -> int | None:
    """The staff member who handled the request: its assignee, else whoever closed it."""
    if service_request.assignee_id:
        return service_request.assignee_id
    return (
        TimelineEvent.objects.filter(
            service_request=service_request,
            kind=TimelineEvent.Kind.STATUS_CHANGED,
            to_status__in=RATABLE_STATUSES,
        )
        .order_by("-created_at")
        .values_list("actor_id", flat=True)
        .first()
    )


def _add_to_tally(*, staff_id: int, quarter: datetime.date, response: Response) -> None:
    try:
        with transaction.atomic():
            StaffResultTally.objects.get_or_create(staff_id=staff_id, quarter=quarter)
    except IntegrityError:
        pass  # created by a concurrent answer; the update below adds to it
    changes = {"answers": F("answers") + 1, "overall_sum": F("overall_sum") + response.overall}
    for aspect in (*ASPECTS, "recommend"):
        value = getattr(response, aspect)
        if value is not None:
            changes[f"{aspect}_sum"] = F(f"{aspect}_sum") + value
            changes[f"{aspect}_count"] = F(f"{aspect}_count") + 1
    StaffResultTally.objects.filter(staff_id=staff_id, quarter=quarter).update(**changes)


def _response_from(answer: Answer, *, version: QuestionnaireVersion, month: datetime.date, **dimensions) -> Response:
    asked = set(version.aspects)
    response = Response(
        questionnaire_version=version,
        month=month,
        overall=answer.overall,
        recommend=answer.recommend,
        comment=mask_personal_data(answer.comment),
        **{aspect: getattr(answer, aspect) if aspect in asked else None for aspect in ASPECTS},
        **dimensions,
    )
    response.full_clean()
    return response


@transaction.atomic
def submit_response(*, invitation: Invitation, answer: Answer) -> Response:
    """Save one anonymous answer and mark the invitation answered, in one transaction.

    The conditional UPDATE of `answered` is the guard: of two submits (a double click, a replayed
    form, two tabs) exactly one matches; the other raises InvitationRefused(ANSWERED) and saves nothing.
    The response keeps the request's dimensions, never a key to the member, request or invitation; the
    comment is stored with personal data masked. Side effect: the handling staff member's quarterly tally.
    """
    service_request = ServiceRequest.objects.select_related("member", "request_type").get(
        pk=invitation.service_request_id
    )
    today = timezone.localdate()
    now = timezone.now()
    # Answered: and nothing kept that the response also holds or dates (the time, the version, the origin,
    # the expiry and the reminder); see Invitation.
    claimed = Invitation.objects.filter(pk=invitation.pk, answered=False, expires_at__gt=now).update(
        answered=True, questionnaire_version=None, origin="", expires_at=None, reminded_at=None
    )
    if not claimed:
        answered = Invitation.objects.filter(pk=invitation.pk, answered=True).exists()
        raise InvitationRefused(InvitationRefused.ANSWERED if answered else InvitationRefused.EXPIRED)
    # Coarsened after the claim, so this invitation counts among those that share the answer's dimensions.
    dimensions = coarsening.coarsened(
        {
            "request_type_id": service_request.request_type_id,
            "department_id": service_request.department_id,
            "governorate": service_request.member.governorate or "",
            "channel": service_request.channel,
            "outcome": service_request.status if service_request.status in RATABLE_STATUSES else "",
        },
        month=month_of(today),
    )
    # The invitation as it was before the claim emptied it: unanswered, so with its version (see Invitation).
    assert invitation.questionnaire_version is not None
    response = _response_from(
        answer,
        version=invitation.questionnaire_version,
        month=month_of(today),
        source=Response.Source.REQUEST,
        **dimensions,
    )
    response.save(force_insert=True)
    staff_id = _handler_id(service_request)
    if staff_id is not None:
        _add_to_tally(staff_id=staff_id, quarter=quarter_of(today), response=response)
    invitation.answered = True
    _reseal_after_commit()
    return response


# --- Closing the database's side door --------------------------------------------------------------------------------


def _lock_reseal() -> None:
    """Serialise reseals (two at once would insert the same rows twice). SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RESEAL_LOCK_KEY])


@transaction.atomic
def reseal_anonymous_rows(*, today: datetime.date | None = None) -> int:
    """Rewrite this month's and last month's responses (and anonymous suggestions) in a random order.

    Why: every row a transaction writes carries that transaction's id (PostgreSQL's `xmin`), and the rows
    sit in the table in the order they were written. The answer's transaction also marked the invitation
    answered (and wrote the staff tally, or the member's monthly general-rating mark), so until the
    response row is rewritten, anyone who can SELECT from both tables could join them on `xmin`, or
    match the table's order with the order the invitations were answered in. Rewritten all together, in a random
    order, the rows share one new `xmin` and their order says nothing. Runs after every answer (after
    commit) and hourly. Idempotent; no other table points at these rows (tests/surveys/test_anonymity.py).
    Returns how many rows were rewritten.
    """
    _lock_reseal()
    month = month_of(today or timezone.localdate())
    since = month_of(month - datetime.timedelta(days=1))
    responses = list(Response.objects.filter(month__gte=since))
    suggestions = list(
        Suggestion.objects.filter(month__gte=since, service_request__isnull=True, adoptions__isnull=True)
    )
    random = secrets.SystemRandom()
    random.shuffle(responses)
    random.shuffle(suggestions)
    Response.objects.filter(pk__in=[row.pk for row in responses]).delete()
    Response.objects.bulk_create(responses, batch_size=500)
    Suggestion.objects.filter(pk__in=[row.pk for row in suggestions]).delete()
    Suggestion.objects.bulk_create(suggestions, batch_size=500)
    return len(responses) + len(suggestions)


def _reseal_after_commit() -> None:
    from surveys import tasks  # tasks imports this module

    after_commit(tasks.reseal_anonymous_rows)
