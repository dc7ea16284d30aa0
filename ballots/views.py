"""The member's ballot pages and the published results. A credential travels only in a form's body and in the page
that shows it, never in a URL, a message, the session or an error report (`sensitive_post_parameters`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from assembly.models import Meeting
from ballots import log, record, selectors, voting
from ballots.forms import BallotForm
from ballots.models import Slot
from members.roles import Role, role_required


def _member_slot(request: HttpRequest, pk: int) -> Slot:
    return get_object_or_404(selectors.usable_slots(request.user.member), pk=pk)


@role_required(Role.MEMBER)
@require_GET
def meeting_ballots(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk, status=Meeting.Status.PUBLISHED)
    slots = selectors.open_slots(request.user.member, meeting)
    return render(request, "ballots/meeting_ballots.html", {"meeting": meeting, "slots": slots})


@role_required(Role.MEMBER)
@require_POST
def slot_open(request: HttpRequest, pk: int) -> HttpResponse:
    slot = _member_slot(request, pk)
    try:
        credential = voting.open_voting(slot=slot, by=request.user.member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ballots:meeting-ballots", slot.question.meeting_id)
    form = BallotForm(slot.question, initial={"credential": credential})
    return render(request, "ballots/ballot.html", {"slot": slot, "form": form, "credential": credential})


@role_required(Role.MEMBER)
@require_GET
def slot_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """Voting again: the member types the code they were given."""
    slot = _member_slot(request, pk)
    return render(request, "ballots/ballot.html", {"slot": slot, "form": BallotForm(slot.question)})


@sensitive_post_parameters("credential")
@role_required(Role.MEMBER)
@require_POST
def slot_cast(request: HttpRequest, pk: int) -> HttpResponse:
    slot = _member_slot(request, pk)
    form = BallotForm(slot.question, request.POST)
    if form.is_valid():
        try:
            cast = voting.cast(
                slot=slot,
                by=request.user.member,
                credential=form.cleaned_data["credential"],
                option_ids=form.chosen(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "ballots/receipt.html", {"slot": slot, "cast": cast})
    return render(request, "ballots/ballot.html", {"slot": slot, "form": form})


@role_required(Role.MEMBER, Role.BOARD)
@require_GET
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The published results: each closed question's tally and every ballot by receipt code."""
    meeting = get_object_or_404(Meeting, pk=pk)
    questions = []
    for question in record.published_questions(meeting).prefetch_related("options"):
        published = record.question_record(question)
        labels = {option.pk: option.label for option in question.options.all()}
        on_paper = {row["option"]: row["votes"] for row in (published["paper"] or {}).get("votes", [])}
        published["ranked"] = [
            {
                **row,
                "label": labels[row["option"]],
                "elected": row["option"] in published["tally"].get("elected", []),
                "paper": on_paper.get(row["option"], 0),
            }
            for row in published["tally"]["ranked"]
        ]
        for ballot in published["ballots"]:
            ballot["labels"] = [labels[option] for option in ballot["options"]]
        questions.append({"question": question, **published})
    chain = log.entries(meeting)
    head = chain[-1]["digest"] if chain else log.GENESIS
    return render(request, "ballots/record.html", {"meeting": meeting, "questions": questions, "head": head})


@role_required(Role.MEMBER, Role.BOARD)
@require_GET
def meeting_record_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The same record as `manage.py export_ballot_record`, for scripts/verify_ballot_record.py."""
    meeting = get_object_or_404(Meeting, pk=pk)
    response = JsonResponse(record.build(meeting), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="ballot-record-{meeting.pk}.json"'
    return response
