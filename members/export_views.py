"""The member's data export as a PDF: asked for on a page, prepared in the background, downloaded by its member."""

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from members import data_exports
from members.member_views import _export_name, member_required
from members.models import DataExport, Member
from members_portal.private_files import serve_private


@never_cache
@require_http_methods(["GET", "POST"])
@member_required
def data_export(request: HttpRequest, member: Member) -> HttpResponse:
    """GET: where the member's export stands (none, being prepared, ready). POST: prepare it (in the background)."""
    if request.method == "POST":
        data_exports.request_data_export(member=member, by=request.user)
        return redirect("members:data-export")
    return render(request, "members/data_export.html", {"export": data_exports.latest_export(member)})


@never_cache
@require_GET
@member_required
def data_export_download(request: HttpRequest, member: Member, public_id: uuid.UUID) -> HttpResponse:
    """The prepared PDF, to its own member only: anyone else's id (or one not ready) is a 404."""
    export = get_object_or_404(DataExport, member=member, public_id=public_id, status=DataExport.Status.READY)
    return serve_private(export.file, _export_name(member, "pdf"), "application/pdf")
