"""Checking what members upload: the type by its first bytes (never by its name), the size, a safe display name.

The upload handler stops reading a file past the size limit, so a 50 MB upload is refused without
being written whole to disk; the form then says which file was too large.
"""

import re
import unicodedata
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from members_portal.member_input import refuse_nul

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Content type -> (first bytes, the document-type key in RequestDocument.allowed_types)
SIGNATURES = {
    "application/pdf": (b"%PDF-", "pdf"),
    "image/jpeg": (b"\xff\xd8\xff", "jpeg"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
}
TYPE_LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}

# Bidi controls, zero-width and other invisible format characters: they can make "fdp.exe" read as "exe.pdf".
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c]")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def sniff_content_type(head: bytes) -> str | None:
    """The content type the first bytes prove, or None."""
    for content_type, (magic, _key) in SIGNATURES.items():
        if head.startswith(magic):
            return content_type
    return None


def safe_display_name(name: str | None, *, extension: str) -> str:
    """A name to show and to offer on download: no folders, no control or bidi characters, the real extension."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/")
    name = PurePosixPath(name).name  # drops "../../" and any folder
    name = _INVISIBLE.sub("", name)
    name = _UNSAFE.sub("_", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:80].strip(" .") or "document"
    return f"{stem}{extension}"


def size_limit_label() -> str:
    """The upload limit as people read it: "10 MB", «10 ميجابايت» (Django's file size filter writes «10.0 م.ب»)."""
    return _("%(n)s MB") % {"n": MAX_UPLOAD_BYTES // (1024 * 1024)}


def check_upload(upload: UploadedFile, *, allowed: list[str]) -> str:
    """Validate one uploaded file; returns its content type. Raises ValidationError with an Arabic-first message."""
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file %(name)s is larger than %(limit)s."),
            code="too_large",
            params={"name": safe_display_name(upload.name, extension=""), "limit": size_limit_label()},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None or SIGNATURES[content_type][1] not in allowed:
        raise ValidationError(
            _("This file is not a real %(types)s file. Please attach a PDF, JPEG or PNG file."),
            code="bad_type",
            params={"types": _(" or ").join(TYPE_LABELS[key] for key in allowed)},
        )
    return content_type


class SizeLimitUploadHandler(FileUploadHandler):
    """Skip any file past MAX_UPLOAD_BYTES and remember its field, so the form can say which one."""

    def new_file(self, field_name, *args, **kwargs) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_UPLOAD_BYTES:
            too_large = getattr(self.request, "uploads_too_large", set())
            too_large.add(self.field_name)
            self.request.uploads_too_large = too_large
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def install_size_limit(request) -> None:
    """Call before the request's body is read (views that are csrf_exempt, then csrf_protect inside)."""
    request.uploads_too_large = set()
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))


def with_upload_limit(view):
    """Install the size-limited upload handler before anything reads the body, then check CSRF as usual.

    Django reads the body for the CSRF check, so the view is csrf_exempt on the outside and csrf_protect inside.
    The body is read here for the first time, so the NUL check the middleware leaves to csrf_exempt views runs here.
    """
    protected = csrf_protect(view)

    @csrf_exempt
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            install_size_limit(request)
            refused = refuse_nul(request)
            if refused is not None:
                return refused
        return protected(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
