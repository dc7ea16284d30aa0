"""Invitations to rate a request: the link's token, the invitation itself (sent, or asked for from the request's
page) and the one reminder."""

import base64
import datetime
import hashlib
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from members import outbox
from members.models import User
from requests_app.models import ServiceRequest
from surveys.models import Invitation, QuestionnaireVersion
from surveys.services.common import RATABLE_STATUSES, InvitationRefused
from surveys.services.questionnaires import current_version

logger = logging.getLogger(__name__)

INVITATION_DAYS = 30
REMINDER_AFTER = datetime.timedelta(days=3)


# --- Tokens ------------------------------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    """The token in the survey link: 16 URL-safe characters (96 bits), an HMAC of the invitation's key.

    Derived rather than stored, so the reminder can send the same link; only its hash is in the database.
    """
    digest = salted_hmac("surveys.invitation-token", invitation.key.hex, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Why an open invitation's version and expiry are set: only answering empties them.
_UNANSWERED_KEEPS = "an unanswered invitation keeps its version and expiry (see Invitation)"


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
    assert invitation.expires_at is not None, _UNANSWERED_KEEPS
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
    assert invitation.questionnaire_version is not None, _UNANSWERED_KEEPS
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
    assert invitation.expires_at is not None, _UNANSWERED_KEEPS
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
    reminded, first_error = 0, None
    for invitation_id in due:
        try:
            reminded += _remind(invitation_id, now)
        except Exception as error:  # one invitation that fails holds up none after it; it goes on the next run
            logger.exception("Could not remind invitation %s; the next run tries again", invitation_id)
            first_error = first_error or error
    if first_error is not None:
        raise first_error  # the run is marked failed (the others are reminded)
    return reminded


def _remind(invitation_id: int, now: datetime.datetime) -> int:
    """The claim (reminded_at) and the message in one transaction: 1 if this run reminded the member."""
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation_id, reminded_at__isnull=True, answered=False).update(
            reminded_at=now
        )
        if not claimed:
            return 0
        invitation = Invitation.objects.select_related("member", "service_request__request_type").get(pk=invitation_id)
        outbox.queue_notification(
            member=invitation.member,
            event="survey_reminder",
            key=f"survey-reminder:{invitation.pk}",
            link=survey_path(invitation),
            context=_notification_context(invitation),
        )
        return 1
