"""Pages of the members app: the member's own pages, the staff directory, correction requests and the register
import (getting in: members/entrance_views.py). Thin: parse, call a service or selector, render."""

import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from members import channel_table, importing, register_columns, selectors, services, slots
from members.forms import (
    CorrectionDecisionForm,
    CorrectionRequestForm,
    DirectorySearchForm,
    ImportUploadForm,
    PreferencesForm,
)
from members.models import AccessLog, CorrectionRequest, Member
from members.roles import Role, role_required

PAGE_SIZE = 25


def member_required(view):
    """Signed in and holding a member record (a member, or an applicant for their own record); else 403."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            member = request.user.member
        except ObjectDoesNotExist:
            raise PermissionDenied from None
        return view(request, member, *args, **kwargs)

    return wrapped


# --- The member's own pages ----------------------------------------------------------------------------


@require_http_methods(["GET"])
@member_required
def profile(request: HttpRequest, member: Member) -> HttpResponse:
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "record": register_columns.record_lines(member),
            "corrections": member.correction_requests.all()[:20],
            "applicant_links": slots.applicant_links(member) if member.is_applicant else [],
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def preferences(request: HttpRequest, member: Member) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=Member.objects.get(pk=member.pk))
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = services.update_preferences(
                member=member,
                by=request.user,
                language=data["language"],
                surveys_opt_out=data["surveys_opt_out"],
                **{name: data[name] for name in channel_table.consent_fields()},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            with translation.override(updated.language):
                messages.success(request, _("Your preferences are saved."))
            response = redirect("members:profile")
            # The portal's own language follows the preference at once (the switcher sets the same cookie).
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                updated.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
            return response
    return render(request, "members/preferences.html", {"form": form, "member": member})


@require_http_methods(["GET", "POST"])
@member_required
def correction_new(request: HttpRequest, member: Member) -> HttpResponse:
    form = CorrectionRequestForm(request.POST or None, initial={"field": request.GET.get("field", "")})
    if form.is_valid():
        try:
            services.request_correction(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your correction request was sent to the cooperative's staff."))
            return redirect("members:profile")
    return render(request, "members/correction_form.html", {"form": form, "member": member})


def _export_name(member: Member, extension: str) -> str:
    return f"najran-coffee-my-data-{member.membership_no or member.pk}-{timezone.localdate():%Y%m%d}.{extension}"


@never_cache
@require_http_methods(["GET"])
@member_required
def export_json(request: HttpRequest, member: Member) -> HttpResponse:
    data = selectors.member_data_export(member)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, _export_name(member, "json"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
    try:
        member = selectors.record_for_staff(by=request.user, pk=pk)
    except Member.DoesNotExist:
        raise Http404 from None
    revealed = request.POST.get("reveal", "") if request.method == "POST" else ""
    if revealed:
        if revealed not in services.REVEALABLE:
            return HttpResponse(status=400)
        services.reveal_detail(by=request.user, member=member, field=revealed)
    else:
        services.log_access(
            viewer=request.user, member=member, action=AccessLog.Action.VIEWED_RECORD, detail=request.path
        )
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


@require_http_methods(["GET", "POST"])
@login_required
def phone_change(request: HttpRequest) -> HttpResponse:
    """Replaces allauth's "change phone": the mobile is part of the register, corrected by staff, so that codes
    always go to the number on record and the account and the record never disagree."""
    messages.info(request, _("Your mobile number is part of your record in the register: ask staff to correct it."))
    if hasattr(request.user, "member"):
        return redirect(f"{reverse('members:correction-new')}?field=mobile")
    return redirect("home")


@require_http_methods(["GET", "POST"])
@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    """Replaces allauth's e-mail management: a signed-in session cannot add an unproven address, make it primary and
    have the password reset sent to it. A member's e-mail is part of the register, corrected by staff; a staff
    account's is set by an administrator."""
    if hasattr(request.user, "member"):
        messages.info(request, _("Your e-mail is part of your record in the register: ask staff to correct it."))
        return redirect(f"{reverse('members:correction-new')}?field=email")
    messages.info(request, _("Your e-mail is set by the portal's administrators: ask them to change it."))
    return redirect("home")
