"""The member's own pages in the members app: the record, preferences, asking for a correction, the data as JSON,
and the account's mobile and e-mail sent back to the register (getting in: members/entrance_views.py; the PDF
export: export_views.py; the inbox: outbox_views.py). Thin: parse, call a service or selector, render."""

import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from members import channel_reach, channel_table, register_columns, selectors, services, slots
from members.forms import CorrectionRequestForm, PreferencesForm
from members.models import Member


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
    return render(
        request,
        "members/preferences.html",
        {"form": form, "member": member, "reach": channel_reach.reach_of(Member.objects.get(pk=member.pk))},
    )


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


# --- The account's mobile and e-mail: the register's, corrected by staff ------------------------------------


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
