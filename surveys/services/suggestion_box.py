"""The suggestion box (anonymous or named suggestions, the general rating, "you suggested, we did") and the offer
to be contacted after every rating: both open requests in the member's name."""

import datetime
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Member, User
from requests_app import services as request_services
from requests_app.models import RequestType, ServiceRequest
from surveys.masking import mask_personal_data
from surveys.models import AdoptedSuggestion, GeneralRatingMark, Invitation, Response, Suggestion
from surveys.services.answering import Answer, _reseal_after_commit, _response_from
from surveys.services.common import InvitationRefused, month_of
from surveys.services.questionnaires import current_version

CONTACT_OFFER_SALT = "surveys.contact-offer"
CONTACT_OFFER_MAX_AGE = 2 * 24 * 3600  # seconds: the offer is on the thank-you page, accepted there or not at all


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
    complaint = request_services.open_request(
        member=member, request_type=complaint_type, answers=answers, by=member.user
    )
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
        service_request = request_services.open_request(
            member=member, request_type=request_type, answers=answers, by=by
        )
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
