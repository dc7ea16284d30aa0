"""The staff pages: home, a request worked by staff, requests opened on a member's behalf. The work queue's
pages are in queue_views, the board's in board_views. Thin: parse, call a selector or a service, render.

Access: every view needs the staff role (a member gets 403); a request of another department is 404
(the selectors are scoped).
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import slug_re
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import selectors as member_selectors
from members import services as member_services
from members.models import Member
from members.roles import Role, role_required
from requests_app import access, board_reads, services, sla, uploads, workflow
from requests_app.desk import assignment, queue, staff_forms, staff_services
from requests_app.desk.staff_home import home_summary
from requests_app.forms import RequestForm
from requests_app.models import RequestType, ServiceRequest

Status = ServiceRequest.Status
staff_required = role_required(Role.STAFF)

# --- Home ---------------------------------------------------------------------------------------------------------


@never_cache
@staff_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    """My open work, due today and late, my departments' counts, my unread notices."""
    context = home_summary(request.user)
    return render(request, "requests_app/staff/home.html", context)


@staff_required
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    staff_services.mark_notices_read(by=request.user)
    return redirect("requests_app:staff-home")


# --- One request ------------------------------------------------------------------------------------------------


def _render_request(
    request: HttpRequest,
    service_request: ServiceRequest,
    *,
    bound: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The staff request page; `bound` replaces the blank form of the one action that failed."""
    user = request.user
    scope = access.scope_of(user)
    bound = bound or {}
    version = {"version": service_request.version}
    # The moves of the workflow table this user may make now that have a button on this page.
    buttons = [move.button for move in workflow.allowed_moves(user, service_request) if move.button]
    move_forms = [
        {
            "action": button.action,
            "label": button.label,
            "style": button.style,
            "form": bound.get(button.action) or button.form(initial=version, prefix=button.action),
        }
        for button in buttons
    ]
    is_supervisor = scope.supervises(service_request.department_id)
    staff = list(access.department_staff([service_request.department_id])) if is_supervisor else []
    member = service_request.member
    member_services.record_viewed(viewer=user, member=member, detail=service_request.reference_no)
    return render(
        request,
        "requests_app/staff/request.html",
        {
            "service_request": service_request,
            "member": member,
            "sla_state": sla.state_of(service_request),
            "days_late": sla.days_late(service_request),
            "timeline": queue.staff_timeline(service_request),
            "attachments": queue.staff_attachments(service_request),
            "canned_replies": [
                (reply.title, reply.text_for(member.language)) for reply in queue.canned_replies_for(service_request)
            ],
            "move_forms": move_forms,
            "reply_form": bound.get("reply") or staff_forms.ReplyForm(),
            "note_form": bound.get("note") or staff_forms.NoteForm(),
            "assign_form": (
                bound.get("assign")
                or staff_forms.AssignForm(initial={**version, "assignee": service_request.assignee_id}, staff=staff)
            )
            if is_supervisor
            else None,
            "is_supervisor": is_supervisor,
            "may_take": service_request.assignee_id is None and not service_request.is_closed,
            "may_record_board": service_request.status == Status.PENDING_BOARD_DECISION
            and board_reads.may_record_board_decision(user, service_request),
            "member_language": member.language,
        },
        status=status,
    )


@never_cache
@staff_required
@require_GET
def request_page(request: HttpRequest, reference_no: str) -> HttpResponse:
    """A request as staff work it: the member, the answers and documents, the whole timeline, the actions."""
    return _render_request(request, queue.request_for_staff(request.user, reference_no))


def _fresh_form(form_class, posted, current_version: int, prefix: str | None):
    """After a stale post: the person's text kept, the version updated, so a second click is deliberate."""
    data = {key: value for key, value in posted.items() if key != "csrfmiddlewaretoken"}
    data[f"{prefix}-version" if prefix else "version"] = current_version
    return form_class(initial={key.removeprefix(f"{prefix}-") if prefix else key: value for key, value in data.items()},
                      prefix=prefix)  # fmt: skip


@staff_required
@require_POST
def request_move(request: HttpRequest, reference_no: str, action: str) -> HttpResponse:
    """One status move with a button on this page: the row of the workflow table from the request's status, made by
    its service (which checks who may, the law, the board's decision and the version)."""
    service_request = queue.request_for_staff(request.user, reference_no)
    moves = workflow.staff_page_moves(action)
    if not moves:
        raise Http404
    # Another status than the page showed: the service still answers (changed meanwhile, or not allowed).
    move = next((move for move in moves if move.current == service_request.status), moves[0])
    form_class = move.button.form
    form = form_class(request.POST, prefix=action)
    if not form.is_valid():
        return _render_request(request, service_request, bound={action: form}, status=400)
    arguments = {name: value for name, value in form.cleaned_data.items() if name != "version"}
    try:
        move.make(
            service_request=service_request,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **arguments,
        )
    except services.StaleRequest as stale:
        service_request.refresh_from_db()
        messages.error(request, stale.messages[0])
        fresh = _fresh_form(form_class, request.POST, service_request.version, action)
        return _render_request(request, service_request, bound={action: fresh}, status=409)
    except services.ReservedToTheBoard as refused:
        form.add_error(None, refused.args[0])
        return _render_request(request, service_request, bound={action: form}, status=400)
    except services.TransitionNotAllowed as refused:
        service_request.refresh_from_db()
        messages.error(request, str(refused.args[0]) if refused.args else _("You may not do this."))
        return _render_request(request, service_request, status=409)
    except ValidationError as problem:
        form.add_error(None, problem)
        return _render_request(request, service_request, bound={action: form}, status=400)
    messages.success(
        request,
        _("Done: the request is now “%(status)s”.") % {"status": Status(service_request.status).label},
    )
    return redirect("requests_app:staff-request", reference_no=reference_no)


@staff_required
@require_POST
def request_assign(request: HttpRequest, reference_no: str) -> HttpResponse:
    """A supervisor assigns, reassigns or unassigns the request."""
    service_request = queue.request_for_staff(request.user, reference_no)
    if not access.scope_of(request.user).supervises(service_request.department_id):
        raise PermissionDenied
    staff = list(access.department_staff([service_request.department_id]))
    form = staff_forms.AssignForm(request.POST, staff=staff)
    if not form.is_valid():
        return _render_request(request, service_request, bound={"assign": form}, status=400)
    to = next((user for user in staff if user.pk == form.cleaned_data["assignee"]), None)
    try:
        assignment.assign(
            service_request=service_request, to=to, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except services.StaleRequest as stale:
        service_request.refresh_from_db()
        messages.error(request, stale.messages[0])
        return _render_request(request, service_request, status=409)
    except ValidationError as problem:
        form.add_error(None, problem)
        return _render_request(request, service_request, bound={"assign": form}, status=400)
    if to:
        messages.success(request, _("Assigned to %(name)s.") % {"name": assignment.display_name(to)})
    else:
        messages.success(request, _("The request is unassigned."))
    return redirect("requests_app:staff-request", reference_no=reference_no)


@staff_required
@require_POST
def request_reply(request: HttpRequest, reference_no: str) -> HttpResponse:
    """A reply the member reads (and is notified of)."""
    service_request = queue.request_for_staff(request.user, reference_no)
    form = staff_forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_to_member(service_request=service_request, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Your reply was sent to the member."))
            return redirect("requests_app:staff-request", reference_no=reference_no)
    return _render_request(request, service_request, bound={"reply": form}, status=400)


@staff_required
@require_POST
def request_note(request: HttpRequest, reference_no: str) -> HttpResponse:
    """An internal note: staff only, never shown to the member."""
    service_request = queue.request_for_staff(request.user, reference_no)
    form = staff_forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_internal_note(service_request=service_request, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Note added. The member does not see it."))
            return redirect("requests_app:staff-request", reference_no=reference_no)
    return _render_request(request, service_request, bound={"note": form}, status=400)


# --- On a member's behalf --------------------------------------------------------------------------------------


@never_cache
@staff_required
@require_GET
def on_behalf_start(request: HttpRequest) -> HttpResponse:
    """Find the member who phoned, walked in or was visited, then choose the service."""
    chosen, code = request.GET.get("member", ""), request.GET.get("code", "")
    if chosen.isdigit() and slug_re.fullmatch(code):
        return redirect("requests_app:staff-request-new-form", member_pk=int(chosen), code=code)
    form = staff_forms.MemberLookupForm(request.GET or None)
    found = []
    if request.GET and form.is_valid():
        found = list(member_selectors.member_for_new_request(by=request.user, query=form.cleaned_data["q"])[:20])
    services_list = RequestType.objects.active().select_related("category").order_by("category__order", "order", "code")
    return render(
        request,
        "requests_app/staff/on_behalf_start.html",
        {"form": form, "found": found, "services": services_list, "searched": bool(request.GET)},
    )


@uploads.with_upload_limit
@staff_required
@require_http_methods(["GET", "POST"])
def on_behalf_form(request: HttpRequest, member_pk: int, code: str) -> HttpResponse:
    """The service's form, filled by staff for the member, with how the member asked (the channel)."""
    member = get_object_or_404(Member, pk=member_pk)
    request_type = get_object_or_404(RequestType.objects.active(), code=code)
    try:
        services.check_may_request(member=member, request_type=request_type)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
        return redirect(reverse("requests_app:staff-request-new") + "?q=" + member.membership_no)
    if request.method == "GET":
        form = RequestForm(request_type)
        channel_form = staff_forms.OnBehalfForm(initial={"channel": request.GET.get("channel", "")})
        status = 200
    else:
        form = RequestForm(request_type, request.POST, request.FILES, too_large=request.uploads_too_large)
        channel_form = staff_forms.OnBehalfForm(request.POST)
        if form.is_valid() & channel_form.is_valid():
            try:
                service_request = staff_services.open_request_for_member(
                    member=member,
                    request_type=request_type,
                    answers=form.cleaned_answers(),
                    raw_answers=form.raw_answers(),
                    channel=channel_form.cleaned_data["channel"],
                    files=form.good_files(),
                    token=form.cleaned_data.get("token") or uuid.uuid4(),
                    by=request.user,
                )
            except ValidationError as problem:
                form.add_error(None, problem)
            else:
                messages.success(
                    request,
                    _("The request %(reference_no)s was opened for %(name)s.")
                    % {"reference_no": service_request.reference_no, "name": member.full_name_ar},
                )
                if service_request.department_id in access.scope_of(request.user).department_ids:
                    return redirect("requests_app:staff-request", reference_no=service_request.reference_no)
                return redirect("requests_app:staff-home")
        status = 400
    return render(
        request,
        "requests_app/staff/on_behalf_form.html",
        {"member": member, "request_type": request_type, "form": form, "channel_form": channel_form},
        status=status,
    )
