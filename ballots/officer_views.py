"""The officers' page of a meeting's secret questions: prepare an item or an election, open voting, close it. The
board acts here; each step is logged in the meeting's hash chain by the services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assembly.models import Meeting
from ballots import nominations, services
from ballots.forms import QuestionForm
from ballots.models import Question, Slot
from members.roles import Role, role_required


@role_required(Role.BOARD)
@require_http_methods(["GET", "POST"])
def meeting_questions(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = QuestionForm(meeting, request.POST or None)
    if form.is_valid():
        try:
            services.create_question(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question is prepared. Open voting when members may vote."))
            return redirect("ballots:meeting-questions", meeting.pk)
    questions = [
        (question, Slot.objects.filter(question=question, issued=True).count())
        for question in Question.objects.filter(meeting=meeting).order_by("pk")
    ]
    context = {
        "meeting": meeting,
        "form": form,
        "questions": questions,
        "has_election": nominations.has_election(meeting),
    }
    return render(request, "ballots/meeting_questions.html", context)


def _officer_step(request: HttpRequest, pk: int, step, done: str) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    try:
        step(question=question, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("ballots:meeting-questions", question.meeting_id)


@role_required(Role.BOARD)
@require_POST
def question_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_step(request, pk, services.open_question, _("Voting is open."))


@role_required(Role.BOARD)
@require_POST
def question_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_step(request, pk, services.close_question, _("Voting is closed and the results are published."))
