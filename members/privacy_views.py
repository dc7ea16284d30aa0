"""Pages of the privacy officer (the administrator role): the log of staff looking at member records."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from members import selectors
from members.forms import AccessLogFilterForm
from members.roles import Role, role_required

PAGE_SIZE = 50


@require_http_methods(["GET"])
@role_required(Role.ADMINISTRATOR)
def access_log(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET or None, viewers=selectors.staff_accounts())
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.access_log_for(
        by=request.user, membership_no=filters.get("member", ""), viewer=filters.get("viewer")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "members/access_log.html", {"form": form, "page": page, "query": query.urlencode()})
