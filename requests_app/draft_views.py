"""The member's drafts: the list (dated), and deleting one after a confirmation page."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from requests_app import drafts, selectors

MAX_LISTED = 50


@login_required
@require_GET
def draft_list(request: HttpRequest) -> HttpResponse:
    """Forms not submitted yet, last saved first, each with its date and what to do with it."""
    member = selectors.member_of(request.user)
    if member is None:
        return render(request, "requests_app/no_member.html", status=403)
    return render(
        request,
        "requests_app/draft_list.html",
        {"drafts": selectors.open_drafts_for_member(member)[:MAX_LISTED], "member": member},
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_delete(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """GET asks «are you sure?»; POST deletes. Another member's draft, or a submitted one, is a 404."""
    draft = get_object_or_404(selectors.open_drafts_for_member(selectors.member_of(request.user)), token=token)
    if request.method == "POST":
        drafts.delete_draft(draft=draft, by=request.user)
        messages.success(request, _("The draft was deleted."))
        return redirect("requests_app:draft-list")
    return render(request, "requests_app/draft_delete.html", {"draft": draft})
