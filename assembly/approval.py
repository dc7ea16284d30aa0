"""Approving the minutes of a held meeting (اعتماد المحضر): the chair of the meeting or a board member (the board's
secretary signs the minutes; the portal holds no separate secretary role) approves them once they are rendered.

What the minutes decided takes effect then: `signals.minutes_approved` is sent inside the same transaction (an
election's result becomes the board, ballots.results), so the approval and its effects commit or roll back
together. Once only: the meeting's row is locked and a second approval (a double click, the chair and the secretary
at once) waits, finds the minutes approved and is refused; nothing is sent again.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import Meeting
from assembly.signals import minutes_approved
from members.models import User
from members.roles import Role, has_role


def may_approve(meeting: Meeting, user: User) -> bool:
    """The chair of the meeting (signed in as themselves) or a board member."""
    if has_role(user, Role.BOARD):
        return True
    return meeting.chair_id is not None and getattr(getattr(user, "member", None), "pk", None) == meeting.chair_id


@transaction.atomic
def approve_minutes(*, meeting: Meeting, by: User) -> Meeting:
    """Approve a held meeting's rendered minutes. Refused, nothing changed: not the chair or the board, a meeting
    not held or its minutes not yet rendered, minutes already approved."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not may_approve(locked, by):
        raise ValidationError(
            _("Only the chair of the meeting or a board member approves its minutes."), code="permission"
        )
    if locked.status != Meeting.Status.HELD or not locked.minutes:
        raise ValidationError(
            _("The minutes can be approved once the meeting is closed and its minutes are ready."), code="not_ready"
        )
    if locked.minutes_approved_at is not None:
        raise ValidationError(_("These minutes are already approved: nothing was changed."), code="approved")
    locked.minutes_approved_at = timezone.now()
    locked.minutes_approved_by = by
    locked.save(update_fields=["minutes_approved_at", "minutes_approved_by"])
    minutes_approved.send(sender=Meeting, meeting=locked, by=by)
    return locked
