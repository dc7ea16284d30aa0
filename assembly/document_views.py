"""The Assembly's documents in pages: the board's page to upload, publish and see how many members opened each one,
and the file itself, served only through these views (never a public address) to the board and to the members on
the meeting's list once published. The rules are assembly.documents'."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assembly import documents, selectors, services
from assembly.forms import DocumentForm
from assembly.models import Document, Meeting
from members.models import Member
from members.roles import Role, has_role, role_required
from members_portal.private_files import serve_private
from requests_app import uploads


@uploads.with_upload_limit
@role_required(Role.BOARD)
@require_http_methods(["GET", "POST"])
def meeting_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a document (PDF), publish the uploaded ones, see how many members opened each."""
    meeting = get_object_or_404(Meeting, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.uploads_too_large:
            form.add_error("file", _("The file is larger than %(limit)s.") % {"limit": uploads.size_limit_label()})
        if form.is_valid():
            try:
                documents.upload_document(
                    meeting=meeting, by=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, _("The document is uploaded. Members see it once you publish it."))
                return redirect("assembly:meeting-documents", pk=pk)
    context = {
        "meeting": meeting,
        "form": form,
        "documents": documents.for_board(meeting),
        "documents_days": settings.ASSEMBLY_DOCUMENTS_DAYS,
        "days_ahead": services.days_ahead(meeting.starts_at),
    }
    return render(request, "assembly/meeting_documents.html", context, status=400 if form.errors else 200)


@role_required(Role.BOARD)
@require_POST
def documents_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        count = documents.publish_documents(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s documents are open to the members.") % {"count": count})
    return redirect("assembly:meeting-documents", pk=pk)


@role_required(Role.BOARD)
@require_POST
def document_remove(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=doc_pk, meeting_id=pk)
    try:
        documents.remove_document(document=document, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document is removed."))
    return redirect("assembly:meeting-documents", pk=pk)


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """The PDF: to the board at any time, to a member on the meeting's list once published (their first look is
    counted); anyone else gets a 404."""
    if has_role(request.user, Role.BOARD):
        document = get_object_or_404(Document.objects.select_related("meeting"), pk=doc_pk, meeting_id=pk)
    else:
        meeting = get_object_or_404(selectors.meeting_for_member(request.user, pk))
        document = get_object_or_404(
            Document.objects.select_related("meeting"), pk=doc_pk, meeting=meeting, published_at__isnull=False
        )
    if document.published_at is not None:
        documents.record_view(document=document, member=Member.objects.filter(user=request.user).first())
    return serve_private(document.file, document.download_name, "application/pdf", as_attachment=False)
