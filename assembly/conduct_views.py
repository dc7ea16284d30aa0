"""Holding the meeting on its day (the officers' page): the attendance and quorum, the chair's election, each item's
counts entered by two officers, closing; and the minutes' download for the members and the board. The rules and
their refusals are assembly.conduct's; these views show them beside the forms and change nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assembly import approval, conduct, selectors, slots
from assembly.attendance import attendance
from assembly.forms import ChairForm, CountsForm
from assembly.models import AgendaItem, Meeting
from members_portal.private_files import serve_private


def _officer_meeting(request: HttpRequest, pk: int) -> Meeting:
    if not conduct.is_officer(request.user):
        raise PermissionDenied
    meetings = selectors.with_agenda(Meeting.objects.exclude(status=Meeting.Status.DRAFT).select_related("chair"))
    return get_object_or_404(meetings, pk=pk)


def _render(request: HttpRequest, meeting: Meeting, *, chair_form=None, counts_forms=None, status=200) -> HttpResponse:
    counts_forms = counts_forms or {}
    items = list(meeting.agenda_items.all())
    decisions = selectors.decisions_of(meeting)
    secret = slots.items_put_in_secret(meeting)
    decided_in_secret = slots.items_decided_in_secret(meeting)
    rows = [
        {
            "item": item,
            "decision": decisions.get(item.pk),
            "form": counts_forms.get(item.pk, CountsForm(prefix_item=item.pk)),
            "secret": item.pk in secret,
            "secret_closed": item.pk in decided_in_secret,
        }
        for item in items
    ]
    context = {
        "meeting": meeting,
        "in_session": conduct.in_session(meeting),
        "attendance": attendance(meeting),
        "chair_form": chair_form or ChairForm(),
        "rows": rows,
        "undecided": sum(
            1 for row in rows if not (row["secret_closed"] or (row["decision"] and row["decision"].is_confirmed))
        ),
    }
    return render(request, "assembly/meeting_conduct.html", context, status=status)


@login_required
@require_GET
def meeting_conduct(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _officer_meeting(request, pk))


@login_required
@require_POST
def chair_elect(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _officer_meeting(request, pk)
    form = ChairForm(request.POST)
    if form.is_valid():
        try:
            conduct.elect_chair(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # a field's error (membership number, votes) goes beside its field
        else:
            messages.success(request, _("The chair is recorded. The items can now be decided."))
            return redirect("assembly:meeting-conduct", pk=pk)
    return _render(request, meeting, chair_form=form, status=400)


@login_required
@require_POST
def counts_enter(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _officer_meeting(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    form = CountsForm(request.POST, prefix_item=item.pk)
    if form.is_valid():
        try:
            decision = conduct.enter_counts(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if decision.is_confirmed:
                messages.success(request, _("The counts agree: the decision is recorded."))
            else:
                messages.success(request, _("Your counts are entered. A second officer enters them to confirm."))
            return redirect("assembly:meeting-conduct", pk=pk)
    return _render(request, meeting, counts_forms={item.pk: form}, status=400)


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _officer_meeting(request, pk)
    try:
        conduct.close_meeting(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assembly:meeting-conduct", pk=pk)
    messages.success(request, _("The meeting is closed. Its minutes are being prepared and sent to the members."))
    return redirect("assembly:meeting-conduct", pk=pk)


@login_required
@require_GET
def minutes_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes' PDF, for the members eligible for the meeting and the board (selectors.meeting_for_member);
    anyone else, or minutes not yet rendered: not found."""
    meeting = selectors.meeting_for_member(request.user, pk).filter(status=Meeting.Status.HELD).first()
    if meeting is None or not meeting.minutes:
        raise Http404
    filename = f"minutes-{meeting.starts_at:%Y-%m-%d}.pdf"
    return serve_private(meeting.minutes, filename, "application/pdf", as_attachment=False)


@login_required
@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair of the meeting or a board member approves its minutes (assembly.approval), from the meeting page."""
    meeting = selectors.meeting_for_member(request.user, pk).first()
    if meeting is None:
        raise Http404
    try:
        approval.approve_minutes(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The minutes are approved; their decisions take effect."))
    return redirect("assembly:meeting-member", pk=pk)
