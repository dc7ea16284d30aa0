"""Survey pages: answering from a link (no password) or from the request page, the offer to be contacted,
the suggestion box, "you suggested, we did", and the staff member's own results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.roles import Role, role_required
from surveys import selectors, services
from surveys.forms import AdoptedSuggestionForm, SuggestionForm, SurveyForm
from surveys.models import Invitation
from surveys.services import InvitationRefused

REFUSED_STATUS = {
    InvitationRefused.UNKNOWN: 404,
    InvitationRefused.EXPIRED: 410,
    InvitationRefused.ANSWERED: 409,
    InvitationRefused.OTHER_MEMBER: 403,
    InvitationRefused.NOT_RATABLE: 409,
    InvitationRefused.NO_ACCOUNT: 409,
}


def _private(response: HttpResponse) -> HttpResponse:
    """Survey pages carry a personal token: never cached, never sent on to another site, never indexed.

    "same-origin", not "no-referrer": with no referrer the browser posts the form with `Origin: null`,
    which Django's CSRF check refuses (found by the browser test).
    """
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _refused(request: HttpRequest, reason: str, *, language: str = "ar") -> HttpResponse:
    """A clear page (Arabic unless the invited member reads English) saying why the link cannot be used."""
    with translation.override(language):
        response = render(request, "surveys/refused.html", {"reason": reason}, status=REFUSED_STATUS[reason])
    return _private(response)


def _survey_page(
    request: HttpRequest, invitation: Invitation | None, *, action: str, version=None, service_request=None
) -> HttpResponse:
    """GET shows the one-screen survey; a valid POST saves it and thanks (with the offer to be contacted).

    On a GET from the request page there may be no invitation yet: the page is drawn from `version`."""
    if invitation is not None:
        version, service_request = invitation.questionnaire_version, invitation.service_request
    form = SurveyForm(version, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_response(invitation=invitation, answer=form.answer())
        except InvitationRefused as refused:
            return _refused(request, refused.reason, language=invitation.member.language)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Offered after every rating: offered after low ones only, accepting would tell staff it was low.
            offer = services.contact_offer(invitation)
            # Rendered, not redirected: the offer never appears in a URL (or an access log).
            return _private(render(request, "surveys/thanks.html", {"offer": offer}))
    context = {
        "form": form,
        "version": version,
        "service_request": service_request,
        "action": action,
    }
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "surveys/survey.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """/surveys/s/<token>/ from the SMS, e-mail or inbox: no password; the page speaks the member's language.

    The invited member's language is used for this response only; the page never shows who they are.
    """
    try:
        invitation = services.find_invitation(token=token, user=request.user)
    except InvitationRefused as refused:
        return _refused(request, refused.reason)
    with translation.override(invitation.member.language):
        return _survey_page(request, invitation, action=request.path)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rate_request(request: HttpRequest, reference_no: str) -> HttpResponse:
    """/surveys/rate/<reference>/: rate one's own completed or rejected request from its page."""
    member = getattr(request.user, "member", None)
    service_request = get_object_or_404(selectors.ratable_request_for_member(member, reference_no))
    try:
        if request.method == "GET":  # opening the page creates nothing; sending the answer does
            version = services.portal_version(service_request=service_request, by=request.user)
            return _survey_page(request, None, action=request.path, version=version, service_request=service_request)
        invitation = services.invitation_for_portal(service_request=service_request, by=request.user)
    except InvitationRefused as refused:
        return _refused(request, refused.reason, language=translation.get_language())
    return _survey_page(request, invitation, action=request.path)


@never_cache
@require_POST
def contact_accept(request: HttpRequest) -> HttpResponse:
    """The member accepts, on the thank-you page, to be contacted: a complaint opens in their name."""
    try:
        complaint = services.request_contact(offer=request.POST.get("offer", ""))
    except InvitationRefused as refused:
        return _refused(request, refused.reason)
    except ValidationError as error:
        return _private(render(request, "surveys/contact_opened.html", {"error": error.messages[0]}, status=409))
    with translation.override(complaint.member.language):
        return _private(render(request, "surveys/contact_opened.html", {"reference_no": complaint.reference_no}))


# --- The suggestion box ----------------------------------------------------------------------------------------------


@role_required(Role.MEMBER)
@require_http_methods(["GET", "POST"])
def suggestion_create(request: HttpRequest) -> HttpResponse:
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404
    form = SuggestionForm(request.POST or None)
    if form.is_valid():
        try:
            result = services.submit_suggestion(
                member=member,
                by=request.user,
                text=form.cleaned_data["text"],
                named=form.named,
                overall=form.cleaned_data["overall"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result.service_request is not None:
                messages.success(
                    request,
                    _("Thank you. Your suggestion is request %(reference)s; we will reply to you there.")
                    % {"reference": result.service_request.reference_no},
                )
                return redirect(result.service_request)
            messages.success(request, _("Thank you. We received it anonymously."))
            return redirect("surveys:suggestion-create")
    return render(request, "surveys/suggestion_form.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def adopted_list(request: HttpRequest) -> HttpResponse:
    """Public: "you suggested, we did"."""
    page = Paginator(selectors.published_adoptions(), 20).get_page(request.GET.get("page"))
    return render(request, "surveys/adopted_list.html", {"page_obj": page})


@role_required(Role.STAFF, Role.ADMINISTRATOR)
@require_GET
def suggestion_list(request: HttpRequest) -> HttpResponse:
    if not selectors.can_review_suggestions(request.user):
        raise Http404
    page = Paginator(selectors.suggestions_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "surveys/suggestion_list.html", {"page_obj": page})


@role_required(Role.STAFF, Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def suggestion_adopt(request: HttpRequest, pk) -> HttpResponse:
    """Staff write what was done about a suggestion, for the public page (text of their own, no member named)."""
    suggestion = get_object_or_404(selectors.suggestions_for(request.user), pk=pk)
    form = AdoptedSuggestionForm(request.POST or None)
    if form.is_valid():
        services.adopt_suggestion(suggestion=suggestion, by=request.user, **form.cleaned_data)
        messages.success(request, _("Published on “You suggested, we did”."))
        return redirect("surveys:suggestion-list")
    return render(request, "surveys/suggestion_adopt.html", {"form": form, "suggestion": suggestion})


# --- Staff results ---------------------------------------------------------------------------------------------------


@role_required(Role.STAFF)
@require_GET
def my_results(request: HttpRequest) -> HttpResponse:
    """A staff member's own averages: closed quarters with at least 5 answers; never a single answer."""
    context = {"results": selectors.staff_results(request.user), "min_answers": selectors.MIN_ANSWERS}
    return render(request, "surveys/my_results.html", context)
