from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assembly import notices, proxy_views, selectors, services
from assembly.forms import AgendaItemForm, MeetingForm
from assembly.models import AgendaItem, Meeting
from members.roles import Role, role_required


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@role_required(Role.BOARD)
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(request, "assembly/meeting_list.html", {"meetings": selectors.meetings_for_board()})


@role_required(Role.BOARD)
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if form.is_valid():
        try:
            meeting = services.create_meeting(by=request.user, **form.meeting_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is drafted. Now write its agenda."))
            return redirect(meeting)
    return render(request, "assembly/meeting_form.html", {"form": form, "notice_days": settings.ASSEMBLY_NOTICE_DAYS})


@role_required(Role.BOARD)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a draft's kind, date, time or place; a published meeting's page says it can no longer change."""
    meeting = get_object_or_404(Meeting, pk=pk)
    if not meeting.is_draft:
        messages.error(
            request,
            _("The notice of this meeting is already published: its date, place and agenda can no longer change."),
        )
        return redirect(meeting)
    form = MeetingForm.for_meeting(meeting, request.POST or None)
    if form.is_valid():
        try:
            services.update_meeting(meeting=meeting, by=request.user, **form.meeting_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting's details are corrected."))
            return redirect(meeting)
    context = {"form": form, "meeting": meeting, "notice_days": settings.ASSEMBLY_NOTICE_DAYS}
    return render(request, "assembly/meeting_form.html", context)


@role_required(Role.BOARD)
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's page: the meeting, its agenda (added to while a draft), publishing, who is eligible."""
    meeting = get_object_or_404(selectors.with_agenda(Meeting.objects.all()), pk=pk)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_agenda_item(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The item is on the agenda."))
            return redirect(meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "notice_days": services.days_ahead(meeting.starts_at),
        "eligible_count": meeting.eligible.count(),
        "changed": selectors.changed_since_record_date(meeting)[:50],
    }
    return render(request, "assembly/meeting_detail.html", context)


@role_required(Role.BOARD)
@require_POST
def agenda_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting_id=pk)
    try:
        services.remove_agenda_item(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The item was taken off the agenda."))
    return redirect("assembly:meeting-detail", pk=pk)


@role_required(Role.BOARD)
@require_POST
def meeting_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        count = services.publish_notice(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("The notice is published and is being sent to %(count)s eligible members.") % {"count": count}
        )
    return redirect(meeting)


@role_required(Role.BOARD)
@require_GET
def meeting_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice per member: the members not reached by text message or e-mail, with their mobiles for a phone call
    (each mobile shown is written to the access log)."""
    meeting = get_object_or_404(Meeting.objects.exclude(status=Meeting.Status.DRAFT), pk=pk)
    rows = notices.deliveries(meeting)
    not_reached = [row for row in rows if not row.reached]
    notices.log_follow_up_list(by=request.user, rows=not_reached)
    return render(
        request,
        "assembly/meeting_delivery.html",
        {"meeting": meeting, "not_reached": not_reached, "total": len(rows), "reached": len(rows) - len(not_reached)},
    )


@login_required
@require_GET
def meeting_member(request: HttpRequest, pk: int) -> HttpResponse:
    """A published meeting as its members read it: date in both calendars, time, place, agenda and their proxy."""
    meeting = get_object_or_404(selectors.with_agenda(selectors.meeting_for_member(request.user, pk)))
    return proxy_views.render_meeting(request, meeting)
