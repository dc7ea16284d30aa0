"""Every change in the surveys app: one function per use case, each in one transaction.

Anonymity rules the code keeps (DESIGN.md, "Surveys and anonymity"):
- `submit_response` marks the invitation answered and writes an anonymous `Response` in one
  transaction; the response gets dimensions copied from the request, never a key back to it.
- Nothing here logs an invitation next to a response; the thank-you page carries the offer to be
  contacted as a signed value naming the invitation, never the response.
- Staff results are running sums (`StaffResultTally`), so no response row names a staff member.
"""

import base64
import datetime
import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from members import outbox
from members.models import Member, User
from members_portal.enqueue import after_commit
from requests_app import services as request_services
from requests_app.models import Draft, RequestType, ServiceRequest, TimelineEvent
from surveys.masking import mask_personal_data
from surveys.models import (
    ASPECTS,
    AdoptedSuggestion,
    GeneralRatingMark,
    Invitation,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    StaffResultTally,
    Suggestion,
)

logger = logging.getLogger(__name__)

INVITATION_DAYS = 30
REMINDER_AFTER = datetime.timedelta(days=3)
CONTACT_OFFER_SALT = "surveys.contact-offer"
CONTACT_OFFER_MAX_AGE = 2 * 24 * 3600  # seconds: the offer is on the thank-you page, accepted there or not at all
RATABLE_STATUSES = (ServiceRequest.Status.COMPLETED, ServiceRequest.Status.REJECTED)
RESEAL_LOCK_KEY = 7_202_611  # pg_advisory_xact_lock key of reseal_anonymous_rows


class InvitationRefused(Exception):
    """A survey link or offer that cannot be used. `reason` picks the page the person reads."""

    UNKNOWN = "unknown"  # forged, mistyped or from another site
    EXPIRED = "expired"
    ANSWERED = "answered"
    OTHER_MEMBER = "other_member"  # signed in as someone else than the member invited
    NOT_RATABLE = "not_ratable"  # the request is not completed or rejected
    NO_ACCOUNT = "no_account"  # a contact request needs the member's account

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


# --- Time helpers ------------------------------------------------------------------------------------------------


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def quarter_of(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


# --- Questionnaires ----------------------------------------------------------------------------------------------


@transaction.atomic
def publish_version(*, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The questionnaire's current version: a new one when its questions changed since the last, else the last.

    Versions are never edited, so answers stay with the questions they answered. Idempotent.
    """
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    latest = questionnaire.versions.order_by("-number").first()
    content = questionnaire.content()
    if latest is not None and latest.content == content:
        return latest
    return QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=(latest.number + 1) if latest else 1, content=content
    )


def questionnaire_for(request_type: RequestType | None) -> Questionnaire:
    """The service's own active questionnaire, else the default one."""
    if request_type is not None:
        own = Questionnaire.objects.filter(request_type=request_type, active=True).first()
        if own is not None:
            return own
    default = Questionnaire.objects.filter(is_default=True).first()
    if default is None:
        raise Questionnaire.DoesNotExist("No default questionnaire: the seed migration creates one.")
    return default


def current_version(request_type: RequestType | None) -> QuestionnaireVersion:
    questionnaire = questionnaire_for(request_type)
    latest = questionnaire.versions.order_by("-number").first()
    return latest if latest is not None else publish_version(questionnaire=questionnaire)


# --- Tokens ------------------------------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    """The token in the survey link: 16 URL-safe characters (96 bits), an HMAC of the invitation's key.

    Derived rather than stored, so the reminder can send the same link; only its hash is in the database.
    """
    digest = salted_hmac("surveys.invitation-token", invitation.key.hex, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_path(invitation: Invitation) -> str:
    return reverse("surveys:survey-answer", args=[invitation_token(invitation)])


def find_invitation(*, token: str, user: User | None = None) -> Invitation:
    """The invitation a link's token opens, if it can still be answered; InvitationRefused otherwise.

    A signed-in member opening another member's link is refused: the link is personal.
    """
    if not token or len(token) > 64:
        raise InvitationRefused(InvitationRefused.UNKNOWN)
    invitation = (
        Invitation.objects.select_related(
            "member", "service_request__request_type", "questionnaire_version__questionnaire"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationRefused(InvitationRefused.UNKNOWN)
    member = getattr(user, "member", None) if user is not None and user.is_authenticated else None
    if member is not None and member.pk != invitation.member_id:
        raise InvitationRefused(InvitationRefused.OTHER_MEMBER)
    if invitation.answered:
        raise InvitationRefused(InvitationRefused.ANSWERED)
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(InvitationRefused.EXPIRED)
    return invitation


# --- Invitations -------------------------------------------------------------------------------------------------


def _new_invitation(*, service_request: ServiceRequest, origin: str) -> Invitation:
    now = timezone.now()
    invitation = Invitation(
        member=service_request.member,
        service_request=service_request,
        questionnaire_version=current_version(service_request.request_type),
        origin=origin,
        created_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    invitation.token_hash = hash_token(invitation_token(invitation))
    invitation.save(force_insert=True)
    return invitation


def _notification_context(invitation: Invitation) -> dict:
    service_request = invitation.service_request
    request_type = service_request.request_type
    return {
        "reference_no": service_request.reference_no,
        "service_ar": request_type.name_ar,
        "service_en": request_type.name_en or request_type.name_ar,
        "survey_link": outbox.absolute_url(survey_path(invitation)),
        "expires_on": timezone.localdate(invitation.expires_at).isoformat(),
    }


@transaction.atomic
def invite_for_request(*, service_request: ServiceRequest, origin: str) -> Invitation | None:
    """Invite the member to rate a request that was just completed or rejected (the request_* receivers).

    Runs inside the transaction that closed the request. Side effects: an Invitation and the
    survey_invitation notification (inbox, SMS with the survey link, e-mail) through the outbox.
    None when the member opted out of surveys. Idempotent: a request already invited is left alone.
    """
    member = service_request.member
    if member.surveys_opt_out:
        return None
    if Invitation.objects.filter(service_request=service_request).exists():
        return None
    invitation = _new_invitation(service_request=service_request, origin=origin)
    rows = outbox.queue_notification(
        member=member,
        event="survey_invitation",
        key=f"survey-invitation:{invitation.pk}",
        link=survey_path(invitation),
        context=_notification_context(invitation),
    )
    invitation.sent_channels = ",".join(sorted({row.channel for row in rows}))
    invitation.save(update_fields=["sent_channels"])
    return invitation


def portal_version(*, service_request: ServiceRequest, by: User) -> QuestionnaireVersion:
    """The questions to show on a request's rating page, read only: opening the page (GET) writes nothing.

    The invitation is created (or its expired link renewed) only when the member sends the answer
    (invitation_for_portal). Raises InvitationRefused like it.
    """
    member = getattr(by, "member", None)
    if member is None or member.pk != service_request.member_id:
        raise InvitationRefused(InvitationRefused.OTHER_MEMBER)
    if service_request.status not in RATABLE_STATUSES:
        raise InvitationRefused(InvitationRefused.NOT_RATABLE)
    invitation = (
        Invitation.objects.select_related("questionnaire_version__questionnaire")
        .filter(service_request=service_request)
        .first()
    )
    if invitation is None:
        return current_version(service_request.request_type)
    if invitation.answered:
        raise InvitationRefused(InvitationRefused.ANSWERED)
    return invitation.questionnaire_version


@transaction.atomic
def invitation_for_portal(*, service_request: ServiceRequest, by: User) -> Invitation:
    """The invitation to rate one's own closed request from its page (created now if none was sent).

    Works for a member who opted out of survey messages too: rating is their right, asking is ours.
    An unanswered invitation whose link expired is given another 30 days. Raises InvitationRefused.
    """
    member = getattr(by, "member", None)
    if member is None or member.pk != service_request.member_id:
        raise InvitationRefused(InvitationRefused.OTHER_MEMBER)
    if service_request.status not in RATABLE_STATUSES:
        raise InvitationRefused(InvitationRefused.NOT_RATABLE)
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("questionnaire_version__questionnaire")
        .filter(service_request=service_request)
        .first()
    )
    if invitation is None:
        try:
            with transaction.atomic():
                return _new_invitation(service_request=service_request, origin=Invitation.Origin.PORTAL)
        except IntegrityError:  # created at the same moment by the closing transaction or a second tab
            invitation = Invitation.objects.select_for_update().get(service_request=service_request)
    if invitation.answered:
        raise InvitationRefused(InvitationRefused.ANSWERED)
    now = timezone.now()
    if invitation.expires_at <= now:
        invitation.expires_at = now + datetime.timedelta(days=INVITATION_DAYS)
        invitation.save(update_fields=["expires_at"])
    return invitation


def send_reminders(*, now: datetime.datetime | None = None, limit: int = 1000) -> int:
    """Remind, once, every member who has not answered 3 days after the invitation (and can still answer).

    Each invitation is claimed by a conditional UPDATE of reminded_at, so a second run, a retried task
    or two beat processes never remind twice. Members who opted out since are skipped. Returns how
    many were reminded.
    """
    now = now or timezone.now()
    due = list(
        Invitation.objects.filter(
            answered=False,
            reminded_at__isnull=True,
            created_at__lte=now - REMINDER_AFTER,
            expires_at__gt=now,
            member__surveys_opt_out=False,
        )
        .exclude(origin=Invitation.Origin.PORTAL)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    reminded = 0
    for invitation_id in due:
        with transaction.atomic():
            claimed = Invitation.objects.filter(pk=invitation_id, reminded_at__isnull=True, answered=False).update(
                reminded_at=now
            )
            if not claimed:
                continue
            invitation = Invitation.objects.select_related("member", "service_request__request_type").get(
                pk=invitation_id
            )
            outbox.queue_notification(
                member=invitation.member,
                event="survey_reminder",
                key=f"survey-reminder:{invitation.pk}",
                link=survey_path(invitation),
                context=_notification_context(invitation),
            )
            reminded += 1
    return reminded


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
    response = _response_from(
        answer,
        version=invitation.questionnaire_version,
        month=month_of(today),
        source=Response.Source.REQUEST,
        request_type=service_request.request_type,
        department_id=service_request.department_id,
        governorate=service_request.member.governorate or "",
        channel=service_request.channel,
        outcome=service_request.status if service_request.status in RATABLE_STATUSES else "",
    )
    now = timezone.now()
    # Answered: and nothing kept that the response also holds or dates (the time, the version, the origin,
    # the expiry and the reminder); see Invitation.
    claimed = Invitation.objects.filter(pk=invitation.pk, answered=False, expires_at__gt=now).update(
        answered=True, questionnaire_version=None, origin="", expires_at=None, reminded_at=None
    )
    if not claimed:
        answered = Invitation.objects.filter(pk=invitation.pk, answered=True).exists()
        raise InvitationRefused(InvitationRefused.ANSWERED if answered else InvitationRefused.EXPIRED)
    response.save(force_insert=True)
    staff_id = _handler_id(service_request)
    if staff_id is not None:
        _add_to_tally(staff_id=staff_id, quarter=quarter_of(today), response=response)
    invitation.answered = True
    _reseal_after_commit()
    return response


# --- Requests opened in the member's name --------------------------------------------------------------------------


def _both(text) -> tuple[str, str]:
    """A translatable text in Arabic and in English, for a request's snapshot (read by staff and member)."""
    with translation.override("ar"):
        arabic = str(text())
    with translation.override("en"):
        english = str(text())
    return arabic, english


def _answer(key: str, label_ar: str, label_en: str, text: tuple[str, str]) -> dict:
    """One line of a request's answers snapshot, in the shape requests_app.forms.cleaned_answers writes."""
    return {
        "key": key,
        "label_ar": label_ar,
        "label_en": label_en,
        "type": "text",
        "value": text[0],
        "display_ar": text[0],
        "display_en": text[1],
    }


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


# --- After every rating: the offer to be contacted ----------------------------------------------------------------


def contact_offer(invitation: Invitation) -> str:
    """A signed value for the thank-you page's form: names the invitation (never the response), expires."""
    return signing.dumps(invitation.key.hex, salt=CONTACT_OFFER_SALT)


@transaction.atomic
def request_contact(*, offer: str) -> ServiceRequest:
    """The member accepted to be contacted after rating: open a complaint in their name.

    Offered after every rating, whatever it was, so that accepting says nothing about the rating.

    The complaint names the request they rated (and is recorded on the invitation); it says nothing of
    the rating, and the anonymous response stays as it is. Idempotent: a second acceptance returns the
    complaint already opened. Raises InvitationRefused for a forged or stale offer.
    """
    try:
        key = signing.loads(offer, salt=CONTACT_OFFER_SALT, max_age=CONTACT_OFFER_MAX_AGE)
    except signing.BadSignature as error:
        raise InvitationRefused(InvitationRefused.UNKNOWN) from error
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("member__user", "service_request")
        .filter(key=key, answered=True)
        .first()
    )
    if invitation is None:
        raise InvitationRefused(InvitationRefused.UNKNOWN)
    if invitation.contact_request_id:
        return ServiceRequest.objects.get(pk=invitation.contact_request_id)
    member = invitation.member
    if member.user is None:
        raise InvitationRefused(InvitationRefused.NO_ACCOUNT)
    complaint_type = (
        RequestType.objects.active().filter(kind=RequestType.Kind.COMPLAINT).order_by("order", "code").first()
    )
    if complaint_type is None:
        raise ValidationError(_("Complaints cannot be received at the moment. Please call the cooperative."))
    rated = invitation.service_request
    topic = _both(lambda: _("Please contact me about request %(reference)s") % {"reference": rated.reference_no})
    details = _both(
        lambda: (
            _(
                "After rating request %(reference)s, the member asked to be contacted about it. "
                "Their rating itself stays anonymous."
            )
            % {"reference": rated.reference_no}
        )
    )
    answers = [
        _answer("topic", "الموضوع", "Topic", topic),
        _answer("description", "التفاصيل", "Details", details),
        _answer("related_request", "الطلب المقيَّم", "Request rated", (rated.reference_no, rated.reference_no)),
    ]
    draft = Draft.objects.create(
        member=member, request_type=complaint_type, answers={item["key"]: item["value"] for item in answers}
    )
    complaint = request_services.submit_request(draft=draft, answers=answers, by=member.user)
    invitation.contact_request = complaint
    invitation.save(update_fields=["contact_request"])
    return complaint


# --- The suggestion box ------------------------------------------------------------------------------------------


def _suggestion_type() -> RequestType:
    request_type = (
        RequestType.objects.active().filter(kind=RequestType.Kind.SUGGESTION).order_by("order", "code").first()
    )
    if request_type is None:
        raise ValidationError(
            _("Named suggestions cannot be received at the moment; you can still send one anonymously.")
        )
    return request_type


@dataclass(frozen=True)
class SuggestionResult:
    suggestion: Suggestion | None
    service_request: ServiceRequest | None
    rated: bool


@transaction.atomic
def submit_suggestion(*, member: Member, by: User, text: str, named: bool, overall: int | None) -> SuggestionResult:
    """The suggestion box: a suggestion (anonymous or named), a general rating of the services, or both.

    Anonymous: a Suggestion with the text masked, no path to the member. Named: a suggestion request in
    the member's name through requests_app.services.submit_request (staff answer it in their queue), and
    a Suggestion pointing at it. The general rating is an anonymous Response (one a month per member;
    GeneralRatingMark records that the member gave it, never what). Raises ValidationError.
    """
    if by.pk != member.user_id:
        raise ValidationError(_("You can only send suggestions in your own name."))
    text = text.strip()
    if not text and overall is None:
        raise ValidationError(_("Write a suggestion or choose a rating."), code="empty")
    today = timezone.localdate()
    month = month_of(today)
    rated = False
    if overall is not None:
        try:
            with transaction.atomic():
                GeneralRatingMark.objects.create(member=member, month=month)
        except IntegrityError as error:
            raise ValidationError(
                _("You have already rated the cooperative's services this month. Thank you!"), code="rated"
            ) from error
        response = _response_from(
            Answer(overall=overall),
            version=current_version(None),
            month=month,
            source=Response.Source.GENERAL,
            governorate=member.governorate or "",
        )
        response.save(force_insert=True)
        rated = True
    suggestion = service_request = None
    if text and named:
        request_type = _suggestion_type()
        request_services.check_may_request(member=member, request_type=request_type)
        topic = _both(lambda: _("Suggestion from the suggestion box"))
        answers = [
            _answer("topic", "الموضوع", "Topic", topic),
            _answer("description", "المقترح", "Your suggestion", (text, text)),
        ]
        draft = Draft.objects.create(
            member=member, request_type=request_type, answers={item["key"]: item["value"] for item in answers}
        )
        service_request = request_services.submit_request(draft=draft, answers=answers, by=by)
        suggestion = Suggestion.objects.create(text=text, month=month, service_request=service_request)
    elif text:
        suggestion = Suggestion(text=mask_personal_data(text), month=month)
        suggestion.full_clean()
        suggestion.save(force_insert=True)
    if rated or (suggestion is not None and service_request is None):
        _reseal_after_commit()
    return SuggestionResult(suggestion=suggestion, service_request=service_request, rated=rated)


@transaction.atomic
def adopt_suggestion(
    *,
    suggestion: Suggestion,
    by: User,
    title_ar: str,
    body_ar: str,
    adopted_on: datetime.date,
    title_en: str = "",
    body_en: str = "",
) -> AdoptedSuggestion:
    """Publish on "you suggested, we did" a text staff wrote about what was done; the suggestion is marked adopted.

    The public text is the staff member's own, so no member is named (the suggestion's text is not copied).
    """
    adoption = AdoptedSuggestion(
        suggestion=suggestion,
        title_ar=title_ar.strip(),
        title_en=title_en.strip(),
        body_ar=body_ar.strip(),
        body_en=body_en.strip(),
        adopted_on=adopted_on,
    )
    adoption.full_clean()
    adoption.save()
    Suggestion.objects.filter(pk=suggestion.pk).update(status=Suggestion.Status.ADOPTED)
    return adoption
