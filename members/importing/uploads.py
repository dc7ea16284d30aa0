"""The staff form's import: an upload is kept privately with its preview (the check of every row), then imported
or discarded by a staff member. A MemberImport row keeps the file, its counts and the preview."""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.importing import applying, checking
from members.models import MemberImport, User

logger = logging.getLogger(__name__)


@transaction.atomic
def check_upload(*, data: bytes, filename: str, by: User) -> MemberImport:
    """Keep an uploaded file privately with its preview (the check of every row). Imports nothing yet."""
    report = checking.check_file(data, filename)
    member_import = MemberImport(
        uploaded_by=by,
        original_name=filename[:200],
        total_rows=len(report.rows),
        new_rows=report.new_count,
        updated_rows=report.update_count,
        problem_rows=len(report.problem_rows),
        report=report.as_json(),
    )
    member_import.file.save(_safe_name(filename), ContentFile(data), save=False)
    member_import.save()
    return member_import


def _safe_name(filename: str) -> str:
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"register-{timezone.now():%Y%m%d-%H%M%S}{extension}"


def commit_upload(*, member_import: MemberImport, by: User) -> MemberImport:
    """Import a checked upload: read its file again, re-check it, commit all or nothing, record the counts.

    Raises ValidationError (nothing imported) if it was already imported or now has problems; the preview
    is then updated with the problems found.
    """
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        if locked.status != MemberImport.Status.CHECKED:
            raise ValidationError(_("This file was already imported or discarded."))
        with locked.file.open("rb") as stored:
            data = stored.read()
        report = checking.check_file(data, locked.original_name)
        if report.ok:
            created, updated = applying.commit(report, by=by)
            locked.status = MemberImport.Status.COMMITTED
            locked.new_rows, locked.updated_rows = created, updated
            locked.committed_at = timezone.now()
            locked.save(update_fields=["status", "new_rows", "updated_rows", "committed_at"])
            logger.info("register import %s: %s new, %s updated, by user %s", locked.pk, created, updated, by.pk)
            return locked
        locked.total_rows = len(report.rows)
        locked.problem_rows = len(report.problem_rows)
        locked.report = report.as_json()
        locked.save(update_fields=["total_rows", "problem_rows", "report"])
    raise ValidationError(_("The file has problems; nothing was imported. Check it again and correct them."))


@transaction.atomic
def discard_upload(*, member_import: MemberImport, by: User) -> MemberImport:
    """Drop a checked upload that will not be imported; the file is deleted, the row kept as a trace."""
    locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
    if locked.status != MemberImport.Status.CHECKED:
        raise ValidationError(_("This file was already imported or discarded."))
    locked.file.delete(save=False)
    locked.status = MemberImport.Status.DISCARDED
    locked.save(update_fields=["status", "file"])
    return locked
