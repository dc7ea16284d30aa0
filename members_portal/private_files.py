"""Serving a private file (an attachment, a receipt) AFTER the calling view has checked who may see it.

    from members_portal.private_files import serve_private
    return serve_private(attachment.file, attachment.original_name, attachment.content_type)

How the bytes travel depends on the deployment, never on the view:
- development (default): Django streams the file from the storage (FileResponse);
- behind nginx (`PRIVATE_FILES_X_ACCEL=1`): an empty response with `X-Accel-Redirect: /_private/<name>`, and
  nginx sends the file from its `internal` location (deploy/nginx/members-portal.conf), so no gunicorn worker
  is held by a slow download;
- S3-compatible object store (`STORAGE_BACKEND=s3`): a redirect to a presigned URL that expires within minutes.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


def _storage_name(file_field_or_name: File | str) -> str:
    name = file_field_or_name if isinstance(file_field_or_name, str) else file_field_or_name.name
    if not name or name.startswith("/") or ".." in name.split("/"):
        raise ValueError(f"Not a storage name: {name!r}")
    return name


def _no_caching(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_private(
    file_field_or_name: File | str, filename: str, content_type: str, *, as_attachment: bool = True
) -> HttpResponseBase:
    """The response that delivers one private file, named `filename` for the person's download folder.

    `as_attachment=False` shows it in the browser (a receipt PDF opened in a tab).
    """
    name = _storage_name(file_field_or_name)
    disposition = content_disposition_header(as_attachment, filename)
    if settings.STORAGE_BACKEND == "s3":
        url = default_storage.url(  # type: ignore[call-arg]  # django-storages' S3 storage takes both
            name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
            expire=settings.PRIVATE_FILES_URL_EXPIRY,
        )
        return _no_caching(HttpResponseRedirect(url))
    if settings.PRIVATE_FILES_X_ACCEL:
        redirect = HttpResponse(content_type=content_type)
        redirect["X-Accel-Redirect"] = settings.PRIVATE_FILES_X_ACCEL_PREFIX + quote(name)
        redirect["Content-Disposition"] = disposition or ""
        return _no_caching(redirect)
    response = FileResponse(
        default_storage.open(name, "rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    return _no_caching(response)
