"""Staff pages of the members app: the directory, a member's record (masked, each opening and "show" written to the
access log), correction requests and the register import. Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from members import importing, register_columns, selectors, services
from members.forms import CorrectionDecisionForm, DirectorySearchForm, ImportUploadForm
from members.models import CorrectionRequest, Member
from members.roles import Role, role_required

PAGE_SIZE = 25


# --- Staff: the directory ----------------------------------------------------------------------------


@require_http_methods(["GET"])
@role_required(Role.STAFF)
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.directory_for(
        by=request.user,
        query=filters.get("q", ""),
        governorate=filters.get("governorate", ""),
        status=filters.get("status", ""),
    )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "members/directory.html", {"form": form, "page": page, "query": query.urlencode()})


@require_http_methods(["GET", "POST"])
@role_required(Role.STAFF)
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The record, with the national ID and mobile masked; a POST of `reveal` shows one, logged as such."""
    revealed = request.POST.get("reveal", "") if request.method == "POST" else ""
    if revealed and revealed not in services.REVEALABLE:
        return HttpResponse(status=400)
    try:
        if revealed:
            member = selectors.record_for_staff(by=request.user, pk=pk)
            services.reveal_detail(by=request.user, member=member, field=revealed)
        else:
            member = services.open_record_for_staff(by=request.user, pk=pk, detail=request.path)
    except Member.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "record": register_columns.record_lines(member),
            "masked": True,
            "revealed": revealed,
            "service_requests": selectors.requests_of(member, visible_to=request.user),
            "corrections": list(member.correction_requests.select_related("handled_by")[:20]),
        },
    )


# --- Staff: correction requests ------------------------------------------------------------------------


@require_http_methods(["GET"])
@role_required(Role.STAFF)
def correction_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", CorrectionRequest.Status.OPEN)
    if status not in CorrectionRequest.Status.values:
        status = CorrectionRequest.Status.OPEN
    corrections = selectors.corrections_for_staff(by=request.user, status=status)
    page = Paginator(corrections, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/correction_list.html",
        {
            "page": page,
            "status": status,
            "statuses": CorrectionRequest.Status.choices,
            "form": CorrectionDecisionForm(),
        },
    )


@require_POST
@role_required(Role.STAFF)
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(selectors.corrections_for_staff(by=request.user, status=""), pk=pk)
    form = CorrectionDecisionForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "apply":
                services.apply_correction(
                    correction=correction, by=request.user, staff_note=form.cleaned_data["staff_note"]
                )
            else:
                services.decline_correction(
                    correction=correction, by=request.user, staff_note=form.cleaned_data["staff_note"]
                )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The correction request is handled; the member will be told."))
    else:
        messages.error(request, _("Choose whether to correct the record or decline."))
    return redirect("members:correction-list")


# --- Staff: importing the register ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.STAFF)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        member_import = importing.check_upload(data=upload.read(), filename=upload.name, by=request.user)
        return redirect("members:import-preview", pk=member_import.pk)
    recent = selectors.imports_for_staff(by=request.user)[:10]
    return render(
        request,
        "members/import_upload.html",
        {"form": form, "recent": recent, "max_rows": importing.MAX_ROWS, "headers": importing.HEADERS},
    )


@require_http_methods(["GET"])
@role_required(Role.STAFF)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    member_import = get_object_or_404(selectors.imports_for_staff(by=request.user), pk=pk)
    return render(request, "members/import_preview.html", {"member_import": member_import, **member_import.report})


@require_POST
@role_required(Role.STAFF)
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    member_import = get_object_or_404(selectors.imports_for_staff(by=request.user), pk=pk)
    if request.POST.get("action") == "discard":
        try:
            importing.discard_upload(member_import=member_import, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("members:import-upload")
    try:
        done = importing.commit_upload(member_import=member_import, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            " ".join(
                [
                    _("The register is imported."),
                    ngettext("%(n)s new member.", "%(n)s new members.", done.new_rows) % {"n": done.new_rows},
                    ngettext("%(n)s member updated.", "%(n)s members updated.", done.updated_rows)
                    % {"n": done.updated_rows},
                ]
            ),
        )
    return redirect("members:import-preview", pk=member_import.pk)
