"""A member's drafts: forms saved on purpose («حفظ كمسودة») or kept after a failed try, until submitted or deleted.

Saving and submitting live in requests_app.submission (`save_draft`, `submit_request`); this is what a member does
with a draft they no longer want.
"""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction

from members.models import User
from requests_app.models import Draft


@transaction.atomic
def delete_draft(*, draft: Draft, by: User) -> None:
    """The member deletes their own unsubmitted draft and the files uploaded into it.

    A submitted draft is part of a request's history and is never deleted (PermissionDenied), nor is another
    member's. The files leave storage after commit, so a rolled-back deletion loses nothing. Idempotent: a draft
    already deleted (a second click) is simply gone.
    """
    locked = Draft.objects.select_for_update().select_related("member").filter(pk=draft.pk).first()
    if locked is None:
        return
    if locked.member.user_id != by.pk or locked.service_request_id is not None:
        raise PermissionDenied
    attachments = list(locked.attachments.filter(service_request__isnull=True))
    for attachment in attachments:
        # django-stubs types a file's name as optional; an attachment always has its file.
        transaction.on_commit(partial(attachment.file.storage.delete, attachment.file.name))  # type: ignore[arg-type]
    locked.attachments.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    locked.delete()
