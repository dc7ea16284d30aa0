"""Nominations for the board: the member's page (nominate yourself, see where your nomination stands) and the board's
review page of a meeting (enter a member's nomination, disqualify one with a reason). The rules and their refusals
are ballots.nominations'; these views show them beside the forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assembly.models import AgendaItem, Meeting
from ballots import nominations
from ballots.forms import DisqualifyForm, NominationForm
from ballots.models import Nomination, Question
from members.roles import Role, role_required


def _with_election():
    return Meeting.objects.filter(agenda_items__kind=AgendaItem.Kind.BOARD_ELECTION).distinct()


@role_required(Role.MEMBER)
@require_http_methods(["GET", "POST"])
def my_nominations(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    if request.method == "POST":
        meeting = get_object_or_404(_with_election(), pk=request.POST.get("meeting") or 0)
        try:
            nominations.nominate(meeting=meeting, member=member, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your nomination is recorded. The board reviews it before the notice."))
        return redirect("ballots:my-nominations")
    mine = list(nominations.of_member(member))
    nominated = {nomination.meeting_id for nomination in mine}
    open_meetings = [meeting for meeting in nominations.meetings_taking_nominations() if meeting.pk not in nominated]
    on_ballot = set(
        Question.objects.filter(kind=Question.Kind.ELECTION, options__candidate=member).values_list(
            "meeting_id", flat=True
        )
    )
    rows = [{"nomination": nomination, "on_ballot": nomination.meeting_id in on_ballot} for nomination in mine]
    return render(request, "ballots/my_nominations.html", {"open_meetings": open_meetings, "rows": rows})


def _review(request: HttpRequest, meeting: Meeting, *, form=None, status=200) -> HttpResponse:
    context = {
        "meeting": meeting,
        "nominations": nominations.of_meeting(meeting).order_by("member__full_name_ar"),
        "taking": meeting.status == Meeting.Status.DRAFT,
        "prepared": Question.objects.filter(meeting=meeting, kind=Question.Kind.ELECTION).exists(),
        "form": form or NominationForm(),
        "disqualify_form": DisqualifyForm(),
        "candidates": {member.pk for member in nominations.candidates(meeting)},
    }
    return render(request, "ballots/meeting_nominations.html", context, status=status)


@role_required(Role.BOARD)
@require_http_methods(["GET", "POST"])
def meeting_nominations(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(_with_election(), pk=pk)
    if request.method == "GET":
        return _review(request, meeting)
    form = NominationForm(request.POST)
    if form.is_valid():
        try:
            nominations.nominate(meeting=meeting, member=form.cleaned_data["membership_no"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The nomination is recorded."))
            return redirect("ballots:meeting-nominations", meeting.pk)
    return _review(request, meeting, form=form, status=400)


@role_required(Role.BOARD)
@require_POST
def nomination_disqualify(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(Nomination, pk=pk)
    form = DisqualifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the reason: the candidate reads it. Nothing was changed."))
    else:
        try:
            nominations.disqualify(nomination=nomination, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The nomination is disqualified; the candidate sees the reason."))
    return redirect("ballots:meeting-nominations", nomination.meeting_id)
