"""Getting in: activating a member's account, registering an applicant, and a new password by a code to the
mobile. Thin: parse, call members.activation, render. Each flow keeps its attempt (a token, and the identifier its
limits count on) in the session."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from members import activation
from members.client_address import client_address
from members.forms import ActivationStartForm, CodeForm, ForgotPasswordForm, NewPasswordForm, RegistrationForm
from members.models import OneTimeCode

ACTIVATION_SESSION = "members_activation"
REGISTRATION_SESSION = "members_registration"
PASSWORD_SESSION = "members_new_password"  # noqa: S105 (a session key, not a password)


def _client(request: HttpRequest) -> str:
    # The client's address as nginx passes it (REMOTE_ADDR is the proxy's own).
    return client_address(request)


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
        except activation.TooManyAttempts as refused:
            form.add_error(None, refused.message)
        else:
            subject = activation.activation_subject(
                form.cleaned_data["membership_no"], form.cleaned_data["national_id"]
            )
            request.session[ACTIVATION_SESSION] = {"token": token, "subject": subject}
            return redirect("members:activate-code")
    return render(request, "members/activate.html", {"form": form})


def _code_step(request: HttpRequest, *, session_key: str, purpose: str, restart: str, next_step: str, template: str):
    state = request.session.get(session_key)
    if not state or "token" not in state:
        return redirect(restart)
    if request.method == "POST" and "resend" in request.POST:
        try:
            activation.resend_code(token=state["token"], subject=state.get("subject", ""), client=_client(request))
        except activation.TooManyAttempts as refused:
            messages.error(request, refused.message)
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
        except activation.TooManyAttempts as refused:
            form.add_error(None, refused.message)
        else:
            details = {key: data[key] for key in ("national_id", "full_name_ar", "governorate", "village", "email")}
            subject = activation.registration_subject(data["mobile"])
            request.session[REGISTRATION_SESSION] = {"token": token, "subject": subject, "details": details}
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


# --- A new password by a code to the mobile ----------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def password_forgot(request: HttpRequest) -> HttpResponse:
    form = ForgotPasswordForm(request.POST or None)
    if form.is_valid():
        mobile = form.cleaned_data["mobile"]
        try:
            token = activation.start_password_reset(mobile=mobile, client=_client(request))
        except activation.TooManyAttempts as refused:
            form.add_error(None, refused.message)
        else:
            subject = activation.password_reset_subject(mobile)
            request.session[PASSWORD_SESSION] = {"token": token, "subject": subject}
            return redirect("members:password-code")
    return render(request, "members/password_forgot.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def password_code(request: HttpRequest) -> HttpResponse:
    return _code_step(
        request,
        session_key=PASSWORD_SESSION,
        purpose=OneTimeCode.Purpose.PASSWORD_RESET,
        restart="members:password-forgot",
        next_step="members:password-new",
        template="members/password_code.html",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def password_new(request: HttpRequest) -> HttpResponse:
    code = _proven_code(request, PASSWORD_SESSION)
    if code is None:
        return redirect("members:password-forgot")
    form = NewPasswordForm(request.POST or None)
    if form.is_valid():
        try:
            activation.complete_password_reset(code=code, password=form.cleaned_data["password1"])
        except ValidationError as error:
            if error.code == "expired":
                request.session.pop(PASSWORD_SESSION, None)
                messages.error(request, error.messages[0])
                return redirect("members:password-forgot")
            form.add_error("password1", error)
        else:
            request.session.pop(PASSWORD_SESSION, None)
            messages.success(request, _("Your new password is set. Sign in with your mobile number and it."))
            return redirect("account_login")
    return render(request, "members/password_new.html", {"form": form})
