"""The room's pages: the officers' paper count entry (each secret question's paper ballots, entered by two officers
who must agree) and the door desk's list of who voted online. The rules are ballots.paper's; these views show them
beside the forms and change nothing on a refusal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from assembly import conduct
from assembly.attendance import counted_member_ids
from assembly.models import Meeting, Proxy, Registration
from ballots import paper
from ballots.models import PaperCount, Question
from ballots.paper_forms import PaperCountForm
from members.roles import Role, role_required


def _officer_meeting(request: HttpRequest, pk: int) -> Meeting:
    if not conduct.is_officer(request.user):
        raise PermissionDenied
    return get_object_or_404(Meeting.objects.exclude(status=Meeting.Status.DRAFT), pk=pk)


def _row(question: Question, form: PaperCountForm | None) -> dict:
    count = PaperCount.objects.filter(question=question).select_related("entered_by", "confirmed_by").first()
    row: dict = {"question": question, "count": count, "form": form or PaperCountForm(question)}
    if count is not None:
        line = paper.payload(count)
        labels = {option.pk: option.label for option in question.options.all()}
        row["line"] = [(labels[item["option"]], item["votes"]) for item in line["votes"]]
        if count.disputed:
            row["differences"] = paper.differences(line, count.disputed, question)
    return row


def _render(request: HttpRequest, meeting: Meeting, *, forms: dict | None = None, status: int = 200) -> HttpResponse:
    forms = forms or {}
    questions = Question.objects.filter(meeting=meeting).exclude(status=Question.Status.DRAFT).order_by("pk")
    rows = [_row(question, forms.get(question.pk)) for question in questions]
    for row in rows:
        row["allowed"] = paper.allowed_on_paper(row["question"])
    context = {
        "meeting": meeting,
        "rows": rows,
        "in_room": conduct.in_session(meeting) and timezone.now() >= meeting.starts_at,
    }
    return render(request, "ballots/paper_counts.html", context, status=status)


@never_cache
@login_required
@require_GET
def meeting_paper(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _officer_meeting(request, pk))


@login_required
@require_POST
def paper_enter(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("meeting"), pk=pk)
    meeting = _officer_meeting(request, question.meeting_id)
    form = PaperCountForm(question, request.POST)
    if form.is_valid():
        try:
            count = paper.enter(question=question, by=request.user, entry=form.entry())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if count.is_confirmed:
                messages.success(request, _("The counts agree: the paper count is confirmed and joins the tally."))
            else:
                messages.success(request, _("Your counts are entered. A second officer enters them to confirm."))
            return redirect("ballots:meeting-paper", meeting.pk)
    return _render(request, meeting, forms={question.pk: form}, status=400)


@never_cache
@role_required(Role.STAFF, Role.BOARD)
@require_GET
def door_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone registered at the door, and each principal they vote for, with "voted online" per secret question:
    who gets no paper ballot for it. Never how anyone voted."""
    meeting = get_object_or_404(Meeting.objects.exclude(status=Meeting.Status.DRAFT), pk=pk)
    there = counted_member_ids(meeting)
    registrations = list(Registration.objects.filter(meeting=meeting).select_related("member"))
    proxies = Proxy.objects.filter(meeting=meeting, status=Proxy.Status.ACCEPTED, principal_id__in=there)
    represented: dict[int, list] = {}
    for proxy in proxies.select_related("principal").order_by("principal__membership_no"):
        represented.setdefault(proxy.holder_id, []).append(proxy.principal)
    marks = paper.marks(meeting, list(there))
    rows = [
        {
            "member": registration.member,
            "marks": marks.get(registration.member_id, []),
            "principals": [
                (principal, marks.get(principal.pk, [])) for principal in represented.get(registration.member_id, [])
            ],
        }
        for registration in sorted(registrations, key=lambda row: row.member.membership_no)
    ]
    return render(request, "ballots/door_list.html", {"meeting": meeting, "rows": rows})
