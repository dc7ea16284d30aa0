"""Pages of the members app: activation and registration, the member's own pages, the staff directory,
correction requests and the register import. Thin: parse, call a service or selector, render."""

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
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from members import activation, importing, selectors, services, slots
from members.client_address import client_address
from members.forms import (
    ActivationStartForm,
    CodeForm,
    CorrectionDecisionForm,
    CorrectionRequestForm,
    DirectorySearchForm,
    ImportUploadForm,
    NewPasswordForm,
    PreferencesForm,
    RegistrationForm,
)
from members.models import AccessLog, CorrectionRequest, Member, OneTimeCode
from members.roles import Role, role_required

ACTIVATION_SESSION = "members_activation"
REGISTRATION_SESSION = "members_registration"
PAGE_SIZE = 25


def _client(request: HttpRequest) -> str:
    # The client's address as nginx passes it (REMOTE_ADDR is the proxy's own); the per-subject limit and the
    # per-code attempts hold either way.
    return client_address(request)


def _too_many() -> str:
    return _("Too many attempts. Please wait an hour and try again, or contact the cooperative.")


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


# --- Activation --------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    form = ActivationStartForm(request.POST or None)
    if form.is_valid():
        try:
            token = activation.start_activation(
                membership_no=form.cleaned_data["membership_no"],
                national_id=form.cleaned_data["national_id"],
                client=_client(request),
            )
        except activation.TooManyAttempts:
            form.add_error(None, _too_many())
        else:
            request.session[ACTIVATION_SESSION] = {"token": token}
            return redirect("members:activate-code")
    return render(request, "members/activate.html", {"form": form})


def _code_step(request: HttpRequest, *, session_key: str, purpose: str, restart: str, next_step: str, template: str):
    state = request.session.get(session_key)
    if not state or "token" not in state:
        return redirect(restart)
    if request.method == "POST" and "resend" in request.POST:
        try:
            activation.resend_code(token=state["token"], client=_client(request))
        except activation.TooManyAttempts:
            messages.error(request, _too_many())
        else:
            messages.info(request, _("If the details match, a new code is on its way. It can take a minute."))
        return redirect(request.path)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        code = activation.verify_code(token=state["token"], code=form.cleaned_data["code"], purpose=purpose)
        if code is not None:
            request.session[session_key] = {**state, "code_id": code.pk}
            return redirect(next_step)
        form.add_error("code", _("This code is not right, has expired, or was already used."))
    return render(request, template, {"form": form, "ttl_minutes": int(activation.CODE_TTL.total_seconds() // 60)})


@never_cache
@require_http_methods(["GET", "POST"])
def activate_code(request: HttpRequest) -> HttpResponse:
    return _code_step(
        request,
        session_key=ACTIVATION_SESSION,
        purpose=OneTimeCode.Purpose.ACTIVATION,
        restart="members:activate",
        next_step="members:activate-password",
        template="members/activate_code.html",
    )


def _proven_code(request: HttpRequest, session_key: str) -> OneTimeCode | None:
    state = request.session.get(session_key) or {}
    if "code_id" not in state:
        return None
    return OneTimeCode.objects.filter(pk=state["code_id"], token=state.get("token")).first()


@never_cache
@require_http_methods(["GET", "POST"])
def activate_password(request: HttpRequest) -> HttpResponse:
    code = _proven_code(request, ACTIVATION_SESSION)
    if code is None:
        return redirect("members:activate")
    form = NewPasswordForm(request.POST or None)
    if form.is_valid():
        try:
            activation.complete_activation(code=code, password=form.cleaned_data["password1"])
        except ValidationError as error:
            if error.code == "expired":
                request.session.pop(ACTIVATION_SESSION, None)
                messages.error(request, error.messages[0])
                return redirect("members:activate")
            form.add_error("password1" if error.code != "phone_taken" else None, error)
        else:
            request.session.pop(ACTIVATION_SESSION, None)
            messages.success(
                request, _("Your account is ready. Sign in with your mobile number (or e-mail) and your new password.")
            )
            return redirect("account_login")
    return render(request, "members/activate_password.html", {"form": form})


# --- Applicant registration --------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            token = activation.start_registration(
                national_id=data["national_id"], mobile=data["mobile"], client=_client(request)
            )
        except activation.TooManyAttempts:
            form.add_error(None, _too_many())
        else:
            details = {key: data[key] for key in ("national_id", "full_name_ar", "governorate", "village", "email")}
            request.session[REGISTRATION_SESSION] = {"token": token, "details": details}
            return redirect("members:register-code")
    return render(request, "members/register.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def register_code(request: HttpRequest) -> HttpResponse:
    return _code_step(
        request,
        session_key=REGISTRATION_SESSION,
        purpose=OneTimeCode.Purpose.REGISTRATION,
        restart="members:register",
        next_step="members:register-password",
        template="members/register_code.html",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def register_password(request: HttpRequest) -> HttpResponse:
    code = _proven_code(request, REGISTRATION_SESSION)
    if code is None:
        return redirect("members:register")
    details = request.session[REGISTRATION_SESSION]["details"]
    form = NewPasswordForm(request.POST or None)
    if form.is_valid():
        try:
            activation.complete_registration(
                code=code, password=form.cleaned_data["password1"], language=translation.get_language()[:2], **details
            )
        except ValidationError as error:
            if error.code in {"expired", "already_known"}:
                request.session.pop(REGISTRATION_SESSION, None)
                messages.error(request, error.messages[0])
                return redirect("members:register" if error.code == "expired" else "home")
            form.add_error("password1", error)
        else:
            request.session.pop(REGISTRATION_SESSION, None)
            messages.success(request, _("You are registered. Sign in with your mobile number and your new password."))
            return redirect("account_login")
    return render(request, "members/register_password.html", {"form": form})


# --- The member's own pages ----------------------------------------------------------------------------


@require_http_methods(["GET"])
@member_required
def profile(request: HttpRequest, member: Member) -> HttpResponse:
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
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
                sms_consent=data["sms_consent"],
                email_consent=data["email_consent"],
                surveys_opt_out=data["surveys_opt_out"],
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


@never_cache
@require_http_methods(["GET"])
@member_required
def export_pdf(request: HttpRequest, member: Member) -> HttpResponse:
    from members_portal.pdf import render_pdf

    # Rendered in the request: one small document on a member's explicit click (about 0.1-0.5 s).
    pdf = render_pdf("members/pdf/my_data.html", {"member": member, "data": selectors.member_data_export(member)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, _export_name(member, "pdf"))
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
            _("The register is imported: %(new)s new members, %(updated)s updated.")
            % {"new": done.new_rows, "updated": done.updated_rows},
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
