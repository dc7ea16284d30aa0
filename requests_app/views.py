"""The member's pages: the public services guide, submitting, following up, files and receipts, verification."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.models import Member
from members_portal.private_files import serve_private
from requests_app import receipts, selectors, service_forms, services, slots, uploads
from requests_app.forms import CancelForm, GuideSearchForm, MessageForm, RequestForm, ResubmitForm
from requests_app.models import Draft, RequestType, ServiceRequest

# --- The public guide ------------------------------------------------------------------------------------------


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    """Every active service by category, and the general questions; searchable; no sign-in needed."""
    form = GuideSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return render(
        request,
        "requests_app/guide.html",
        {
            "form": form,
            "query": query,
            "categories": selectors.guide_categories(query),
            "questions": selectors.guide_questions(query),
        },
    )


@require_GET
def guide_service(request: HttpRequest, code: str) -> HttpResponse:
    """One service: what it is, who may ask, documents, expected time, its questions."""
    request_type = _service_or_404(code)
    member = selectors.member_of(request.user)
    refusal = ""
    if member is not None:
        try:
            services.check_may_request(member=member, request_type=request_type)
        except ValidationError as error:
            refusal = error.messages[0]
    return render(
        request,
        "requests_app/guide_service.html",
        {
            "request_type": request_type,
            "fields": [field for field in request_type.fields.all() if field.active],
            "documents": [document for document in request_type.documents.all() if document.active],
            "questions": selectors.guide_questions(request_type=request_type),
            "member": member,
            "refusal": refusal,
        },
    )


# --- Submitting ------------------------------------------------------------------------------------------------


def _service_or_404(code: str) -> RequestType:
    request_type = service_forms.service_form(code)
    if request_type is None:
        raise Http404
    return request_type


def _token(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


@uploads.with_upload_limit
@login_required
@require_http_methods(["GET", "POST"])
def request_submit(request: HttpRequest, code: str) -> HttpResponse:
    """The service's form. Invalid input or a bad file keeps the rest in a draft; a double click submits once."""
    # Its fields and documents read with it: the form and the submission's checks share them.
    request_type = _service_or_404(code)
    member = selectors.member_of(request.user)
    try:
        services.check_may_request(member=member, request_type=request_type)
    except ValidationError as error:
        return render(
            request,
            "requests_app/request_refused.html",
            {"request_type": request_type, "message": error.messages[0]},
            status=403,
        )
    token = _token(request.POST.get("token") if request.method == "POST" else request.GET.get("draft"))
    draft = Draft.objects.filter(token=token, member=member, request_type=request_type).first() if token else None
    if draft and draft.service_request_id:
        messages.info(request, _("This request was already submitted."))
        return redirect(draft.service_request)
    kept = list(draft.attachments.select_related("document")) if draft else []
    if request.method == "GET":
        initial = {"token": draft.token, **draft.answers} if draft else {}
        form = RequestForm(request_type, initial=initial, kept=kept)
        return _render_form(request, request_type, form, kept)

    form = RequestForm(request_type, request.POST, request.FILES, kept=kept, too_large=request.uploads_too_large)
    if "save_draft" in request.POST:
        return _save_draft_on_purpose(request, request_type, member, form, token)
    return _submit_or_keep(request, request_type, member, form, draft, token)


def _save_draft_on_purpose(
    request: HttpRequest, request_type: RequestType, member: Member | None, form: RequestForm, token: uuid.UUID | None
) -> HttpResponse:
    """On purpose, unfinished: nothing is checked but the files, which go in only if they pass."""
    services.save_draft(
        member=member,
        request_type=request_type,
        token=token or uuid.uuid4(),
        answers=form.raw_answers(),
        files=form.good_files(),
        by=request.user,
    )
    messages.success(request, _("Your draft was saved. Open it from “My drafts” to complete and submit it."))
    return redirect("requests_app:draft-list")


def _submit_or_keep(
    request: HttpRequest,
    request_type: RequestType,
    member: Member | None,
    form: RequestForm,
    draft: Draft | None,
    token: uuid.UUID | None,
) -> HttpResponse:
    """Submit a valid form; otherwise (or when the submission is refused) keep what passed in the draft."""
    token = token or uuid.uuid4()
    files = form.good_files() if not draft or not draft.service_request_id else []
    if form.is_valid():
        try:
            service_request = services.open_request(
                member=member,
                request_type=request_type,
                answers=form.cleaned_answers(),
                by=request.user,
                token=token,
                raw_answers=form.raw_answers(),
                files=files,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("We received your request. Its number is %(reference_no)s.")
                % {"reference_no": service_request.reference_no},
            )
            return redirect(service_request)
        draft = Draft.objects.get(token=token)  # kept with what passed, though the submission was refused
    else:
        draft = services.save_draft(
            member=member,
            request_type=request_type,
            token=token,
            answers=form.raw_answers(),
            files=files,
            by=request.user,
        )
    kept = list(draft.attachments.select_related("document"))
    return _render_form(request, request_type, form, kept, draft=draft, status=400)


def _render_form(request, request_type, form, kept, *, draft=None, status=200) -> HttpResponse:
    if draft is not None:
        # The hidden token must name the draft the files went into, even if the form arrived without one.
        form.data = form.data.copy()
        form.data["token"] = str(draft.token)
    return render(
        request,
        "requests_app/request_form.html",
        {"request_type": request_type, "form": form, "kept": kept},
        status=status,
    )


# --- Following up ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    """The member's requests: status, submitted, expected completion, what waits on them; and unfinished drafts."""
    member = selectors.member_of(request.user)
    if member is None:
        return render(request, "requests_app/no_member.html", status=403)
    page = Paginator(selectors.requests_for_member(member), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "requests_app/my_requests.html",
        {"page": page, "drafts": selectors.open_drafts_for_member(member)[:3], "member": member},
    )


def _own_request(request: HttpRequest, reference_no: str) -> ServiceRequest:
    return get_object_or_404(selectors.request_for_member(selectors.member_of(request.user), reference_no))


@never_cache
@login_required
@require_GET
def request_detail(request: HttpRequest, reference_no: str) -> HttpResponse:
    """One request: its answers, timeline (no internal notes), documents, receipts; message, cancel, resubmit."""
    service_request = _own_request(request, reference_no)
    return _render_detail(request, service_request, MessageForm())


def _render_detail(request, service_request, message_form, *, status=200) -> HttpResponse:
    return render(
        request,
        "requests_app/request_detail.html",
        {
            "service_request": service_request,
            "timeline": selectors.member_timeline(service_request),
            "attachments": selectors.member_attachments(service_request),
            "receipts": selectors.member_receipts(service_request),
            "expected_completion": services.expected_completion(service_request),
            "message_form": message_form,
            "panels": slots.member_request_panels(),
        },
        status=status,
    )


@uploads.with_upload_limit
@login_required
@require_POST
def request_message(request: HttpRequest, reference_no: str) -> HttpResponse:
    """The member writes to the staff (and may attach a document), whatever the request's status."""
    service_request = _own_request(request, reference_no)
    form = MessageForm(request.POST, request.FILES)
    if request.uploads_too_large:
        form.add_error("document", _("The file is larger than %(limit)s.") % {"limit": uploads.size_limit_label()})
    if form.is_valid():
        document = form.cleaned_data.get("document")
        services.add_member_message(
            service_request=service_request,
            by=request.user,
            text=form.cleaned_data["text"],
            files=[(None, document)] if document else [],
        )
        messages.success(request, _("Your message was added to the request."))
        return redirect(service_request)
    return _render_detail(request, service_request, form, status=400)


@uploads.with_upload_limit
@login_required
@require_http_methods(["GET", "POST"])
def request_resubmit(request: HttpRequest, reference_no: str) -> HttpResponse:
    """Complete a request returned for completion: shows exactly what is missing; sends it back for review."""
    service_request = _own_request(request, reference_no)
    if not service_request.waits_on_member:
        messages.info(request, _("This request is not waiting for anything from you."))
        return redirect(service_request)
    too_large = getattr(request, "uploads_too_large", set())
    form = ResubmitForm(service_request.request_type, request.POST or None, request.FILES or None, too_large=too_large)
    if request.method == "POST" and form.is_valid():
        try:
            services.resubmit(
                service_request=service_request,
                by=request.user,
                note=form.cleaned_data["note"],
                files=form.checked_files,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your request is back with the staff for review."))
            return redirect(service_request)
    return render(
        request,
        "requests_app/request_resubmit.html",
        {"service_request": service_request, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_cancel(request: HttpRequest, reference_no: str) -> HttpResponse:
    """The member cancels before work starts, after a page that asks them to confirm; later the workflow refuses."""
    service_request = _own_request(request, reference_no)
    if not service_request.can_be_cancelled:
        messages.error(request, _("This request can no longer be cancelled: work on it has started."))
        return redirect(service_request)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_request(
                service_request=service_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.TransitionNotAllowed:
            messages.error(request, _("This request can no longer be cancelled: work on it has started."))
        else:
            messages.success(request, _("Your request was cancelled."))
        return redirect(service_request)
    return render(
        request,
        "requests_app/request_cancel.html",
        {"service_request": service_request, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- Files -----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def attachment_download(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A document, to the request's member and the staff of its department only; anyone else gets a 404."""
    attachment = get_object_or_404(selectors.attachments_visible_to(request.user), public_id=public_id)
    return serve_private(attachment.file, attachment.original_name, attachment.content_type)


@login_required
@require_GET
def receipt_download(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    receipt = get_object_or_404(selectors.receipts_visible_to(request.user), public_id=public_id)
    filename = f"{receipt.service_request.reference_no}-{receipt.kind}.pdf"
    return serve_private(receipt.file, filename, "application/pdf", as_attachment=False)


@never_cache
@require_GET
def receipt_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: what proves a receipt genuine (reference, service, date, the status printed on it, masked name).

    The status is the one the receipt was issued with, never the request's current one: the QR code travels
    with every photo or copy of the receipt, and its holder should learn nothing that happened since.
    Never stored by a cache and never indexed (the token is in the URL).
    """
    receipt = receipts.receipt_for_token(token)
    if receipt is None:
        response = render(request, "requests_app/receipt_verify.html", {"receipt": None}, status=404)
    else:
        service_request = receipt.service_request
        response = render(
            request,
            "requests_app/receipt_verify.html",
            {
                "receipt": receipt,
                "service_request": service_request,
                "masked_name": receipts.mask_name(service_request.member.full_name_ar),
            },
        )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
