"""The work queue's pages: the queue with its filters and tabs, "take it", a supervisor's bulk assignment,
and the views staff save themselves. Thin: parse, call a selector (requests_app.desk.queue) or a service, render.

Access: every view needs the staff role (a member gets 403); rows are scoped to the person's departments.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from members.models import User
from members.roles import Role, role_required
from requests_app import access, sla
from requests_app.desk import assignment, queue, queue_paging, queue_rows, saved_views, staff_forms
from requests_app.desk.queue_row_html import RowHtml

staff_required = role_required(Role.STAFF)
QUEUE_TEMPLATE = "requests_app/staff/queue.html"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@never_cache
@staff_required
@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    """The department queue: filters, search, saved views, sort, 50 a page; supervisors bulk-assign from it."""
    scope = access.scope_of(request.user)
    staff = list(access.department_staff(scope.department_ids))
    form = staff_forms.QueueFilterForm(request.GET or None, services=queue.services_in_scope(request.user), staff=staff)
    filters = form.filters() if request.GET else queue.QueueFilters()
    matching = queue.selection(request.user, filters)
    page = queue_paging.page_of(
        lambda start, stop: queue.rows_between(matching.requests, filters.sort, start, stop, few=matching.few),
        counted=matching.requests,
        number=request.GET.get("page"),
    )
    formatter = queue_rows.RowFormatter(today=sla.today(), unassigned_cutoff=sla.unassigned_cutoff())
    csrf = get_token(request)  # once a page: each call masks the secret afresh (a random string)
    html = _row_html(request, csrf)
    rows = [html.render(formatter.row(values)) for values in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    kept = saved_views.views_of(request.user)
    current = saved_views.canonical_query(request.GET)
    return render(
        request,
        QUEUE_TEMPLATE,
        {
            "form": form,
            "filters": filters,
            "page_obj": page,
            "rows": rows,
            "csrf": csrf,
            "csrf_token": csrf,  # what {% csrf_token %} reads (the header's forms), instead of masking a third one
            "query": query.urlencode(),
            "views": queue.SavedView.CHOICES,
            "kept_views": kept,
            "kept_view": next((view for view in kept if view.query == current), None),
            "current_query": current,
            "view_name_length": saved_views.NAME_LENGTH,
            "today": sla.today(),
            "scope": scope,
            "assignable_staff": staff if scope.is_supervisor else [],
        },
    )


def _cell_labels() -> dict[str, str]:
    """The words every queue row repeats, translated once per page instead of once per row."""
    return {
        "reference": _("Request number"),
        "service": _("Service"),
        "member": _("Member"),
        "status": _("Status"),
        "age": _("Age"),
        "due": _("Due"),
        "sla": _("Service level"),
        "assignee": _("Assigned to"),
        "waiting": _("Waiting for someone"),
        "take": _("Take it"),
        "select": _("Select"),
    }


def _request_url_prefix() -> str:
    """…/staff/requests/ : rows append "<reference_no>/" (one reverse() a page instead of three a row)."""
    return reverse("requests_app:staff-request", args=["NJC-0000-000000"]).removesuffix("NJC-0000-000000/")


def _row_html(request: HttpRequest, csrf: str) -> RowHtml:
    return RowHtml(
        labels=_cell_labels(),
        url_prefix=_request_url_prefix(),
        csrf=csrf,
        scope=access.scope_of(request.user),
    )


def _row_response(request: HttpRequest, pk: int, *, error: str = "") -> HttpResponse:
    """The row htmx swaps in after "take it"."""
    formatter = queue_rows.RowFormatter(today=sla.today(), unassigned_cutoff=sla.unassigned_cutoff())
    return HttpResponse(
        _row_html(request, get_token(request)).render(formatter.row(queue.queue_row(request.user, pk)), error=error)
    )


@staff_required
@require_POST
def request_take(request: HttpRequest, reference_no: str) -> HttpResponse:
    """ "Take it": from the queue (htmx swaps the row) or from the request page (redirect back)."""
    service_request = queue.request_for_staff(request.user, reference_no)
    error = ""
    try:
        assignment.take(service_request=service_request, by=request.user)
    except ValidationError as problem:
        error = problem.messages[0]
    if _is_htmx(request):
        return _row_response(request, service_request.pk, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The request %(reference_no)s is yours.") % {"reference_no": reference_no})
    if request.POST.get("next") == "queue":
        return redirect("requests_app:queue")
    return redirect("requests_app:staff-request", reference_no=reference_no)


@staff_required
@require_POST
def queue_bulk_assign(request: HttpRequest) -> HttpResponse:
    """A supervisor assigns the requests ticked in the queue to one person."""
    scope = access.scope_of(request.user)
    if not scope.is_supervisor:
        raise PermissionDenied
    staff = list(access.department_staff(scope.supervised_ids))
    ids = [int(value) for value in request.POST.getlist("requests") if value.isdigit()]
    form = staff_forms.BulkAssignForm(request.POST, staff=staff, request_ids=ids)
    # The queue's filters, re-encoded: the raw value would go into the Location header as it came.
    query = QueryDict(request.POST.get("query", "")).urlencode()
    back = reverse("requests_app:queue") + ("?" + query if query else "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    assignee = User.objects.get(pk=form.cleaned_data["assignee"])
    try:
        outcome = assignment.bulk_assign(
            service_request_ids=form.cleaned_data["requests"], to=assignee, by=request.user
        )
    except (ValidationError, PermissionDenied) as problem:
        messages.error(request, _first_message(problem))
        return redirect(back)
    if outcome.assigned:
        count = len(outcome.assigned)
        messages.success(
            request,
            ngettext("%(count)s request assigned to %(name)s.", "%(count)s requests assigned to %(name)s.", count)
            % {"count": count, "name": assignment.display_name(assignee)},
        )
    if outcome.refused:
        refused = "; ".join(f"\u2066{reference_no}\u2069 ({reason})" for reference_no, reason in outcome.refused)
        messages.warning(request, _("Not assigned: %(requests)s.") % {"requests": refused})
    if outcome.not_found:
        messages.warning(
            request,
            ngettext(
                "%(count)s selected request was not found in your departments.",
                "%(count)s selected requests were not found in your departments.",
                outcome.not_found,
            )
            % {"count": outcome.not_found},
        )
    return redirect(back)


def _first_message(problem: Exception) -> str:
    if isinstance(problem, ValidationError):
        return problem.messages[0]
    return str(problem) or _("You may not do this.")


@staff_required
@require_POST
def saved_view_create(request: HttpRequest) -> HttpResponse:
    """Keep the queue's current filters as a view of one's own, under the name the person gives it."""
    query = QueryDict(request.POST.get("query", ""))
    try:
        view = saved_views.save_view(owner=request.user, name=request.POST.get("name", ""), query=query)
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
        back = saved_views.canonical_query(query)
        return redirect(reverse("requests_app:queue") + ("?" + back if back else ""))
    messages.success(request, _("The view “%(name)s” is saved: it is one of your tabs now.") % {"name": view.name})
    return redirect(reverse("requests_app:queue") + ("?" + view.query if view.query else ""))


@staff_required
@require_POST
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of the person's own views (another person's is not found)."""
    if not saved_views.delete_view(owner=request.user, pk=pk):
        raise Http404
    messages.success(request, _("The view was deleted."))
    return redirect("requests_app:queue")
