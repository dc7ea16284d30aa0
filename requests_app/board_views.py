"""The board's pages: the requests waiting for its decision, and recording one decision with its meeting.

Board members, or a supervisor of the request's department recording a meeting's decision on the board's
behalf; a request outside what the person may decide is 404. A board member's own request is shown with
the reason it is not theirs to decide, never with the form.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from members.roles import Role, has_role, role_required
from requests_app import access, board_reads, completion, services, sla
from requests_app.desk import queue, staff_forms, staff_services


def _board_access(user) -> None:
    if not (has_role(user, Role.BOARD) or access.scope_of(user).is_supervisor):
        raise PermissionDenied


@never_cache
@role_required(Role.BOARD, Role.SUPERVISOR)
@require_GET
def board_list(request: HttpRequest) -> HttpResponse:
    """Requests waiting for the board's decision, and the decisions recorded lately."""
    _board_access(request.user)
    return render(
        request,
        "requests_app/staff/board_list.html",
        {
            "pending": board_reads.board_queue(request.user),
            "own_request_reason": staff_services.OWN_REQUEST_REASON,
            "recent": board_reads.recent_board_decisions(request.user),
            "today": sla.today(),
        },
    )


@role_required(Role.BOARD, Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def board_decision(request: HttpRequest, reference_no: str) -> HttpResponse:
    """Record the board's decision on one request, with the meeting that took it."""
    _board_access(request.user)
    service_request = board_reads.board_request(request.user, reference_no)
    own_request = board_reads.is_own_request(request.user, service_request)
    form = staff_forms.BoardDecisionForm(
        request.POST or None,
        initial={"version": service_request.version},
        asks_for_refund=completion.asks_for_refund(service_request),
    )
    status = 200
    if own_request:
        # Not offered, and refused by staff_services.record_board_decision too: the page says why.
        form, status = None, 403 if request.method == "POST" else 200
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                staff_services.record_board_decision(
                    service_request=service_request,
                    by=request.user,
                    approved=data["decision"],
                    meeting_reference=data["meeting_reference"],
                    meeting_date=data["meeting_date"],
                    note=data["note"],
                    refund_due=data.get("refund_due"),
                    expected_version=data["version"],
                )
            except services.StaleRequest as stale:
                messages.error(request, stale.messages[0])
                return redirect("requests_app:board-decision", reference_no=reference_no)
            except services.TransitionNotAllowed as refused:
                messages.error(request, str(refused.args[0]) if refused.args else _("You may not do this."))
                return redirect("requests_app:board-decisions")
            except ValidationError as problem:
                if hasattr(problem, "error_dict"):
                    for field, errors in problem.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, problem)
            else:
                messages.success(request, _("The decision was recorded and the member was told."))
                return redirect("requests_app:board-decisions")
    return render(
        request,
        "requests_app/staff/board_decision.html",
        {
            "service_request": service_request,
            "member": service_request.member,
            "timeline": board_reads.board_timeline(service_request),
            "attachments": queue.staff_attachments(service_request),
            "form": form,
            "own_request_reason": staff_services.OWN_REQUEST_REASON if own_request else "",
            "on_behalf": not has_role(request.user, Role.BOARD),
        },
        status=status,
    )
