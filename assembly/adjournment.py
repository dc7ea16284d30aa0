"""Adjourning a meeting that failed its quorum (Law art. 22, Reg. art. 42; issue 17 item 7), in one action.

The law sets the later meeting: 15 days after, at the same time and place, valid with 10 % (assembly.attendance reads
`adjourned_from`). So the board's one action, once the meeting has begun without its quorum:
  - marks the meeting adjourned;
  - creates the later meeting already published (the 15-day notice rule does not apply: the law sets the date), with
    the same record date and eligible list, the agenda copied (an appeal's link moves to the later meeting's item,
    where it will be decided) and the accepted proxies carried over (assembly.proxies.carry_over);
  - after commit, tells every eligible member (assembly.notices: the adjournment's own texts).
Refused, with nothing changed: a draft, a meeting not yet begun, one that has its quorum, one already adjourned or
held, and a meeting that is itself the adjourned one (the law has it held with whoever attends).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly import proxies
from assembly.attendance import attendance
from assembly.models import AgendaItem, EligibleMember, Meeting
from members.models import User
from members.roles import Role, has_role
from members_portal.enqueue import after_commit

ADJOURN_DAYS = 15  # Law art. 22


def later_start(meeting: Meeting) -> datetime.datetime:
    """Fifteen days after, at the same time of day in Riyadh."""
    local = timezone.localtime(meeting.starts_at)
    day = local.date() + datetime.timedelta(days=ADJOURN_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))


def _check(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.DRAFT:
        raise ValidationError(_("A draft meeting has not been held: it cannot be adjourned."), code="draft")
    if meeting.status == Meeting.Status.ADJOURNED:
        raise ValidationError(_("This meeting is already adjourned."), code="adjourned")
    if meeting.status != Meeting.Status.PUBLISHED:
        raise ValidationError(_("This meeting was held: it cannot be adjourned."), code="held")
    if meeting.adjourned_from_id:
        raise ValidationError(
            _("This meeting is itself the adjourned one: the law has it held with the members who attend."),
            code="second",
        )
    if timezone.now() < meeting.starts_at:
        raise ValidationError(
            _("The quorum is known once the meeting begins: it cannot be adjourned before then."), code="early"
        )
    seen = attendance(meeting)
    if seen.quorum_met:
        raise ValidationError(
            _("The meeting has its quorum (%(counted)s members counted, %(needed)s needed): it is held, not adjourned.")
            % {"counted": seen.counted, "needed": seen.needed},
            code="quorum_met",
        )


@transaction.atomic
def adjourn(*, meeting: Meeting, by: User) -> Meeting:
    """Adjourn the meeting for want of quorum and create the later one (see the module's docstring). Returns the
    later meeting. Once only: the meeting's row is locked (the door's registrations take the same lock, so the
    quorum read here is the final one) and a second call finds it adjourned."""
    if not has_role(by, Role.BOARD):
        raise ValidationError(_("Only the board may adjourn a General Assembly meeting."), code="permission")
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check(locked)
    now = timezone.now()
    later = Meeting.objects.create(
        kind=locked.kind,
        starts_at=later_start(locked),
        place_ar=locked.place_ar,
        place_en=locked.place_en,
        remote_attendance=locked.remote_attendance,
        status=Meeting.Status.PUBLISHED,
        created_by=by,
        published_at=now,
        published_by=by,
        record_date=locked.record_date,
        adjourned_from=locked,
    )
    items = list(locked.agenda_items.order_by("order"))
    # An appeal is on one agenda only (a one-to-one link): it moves to the meeting that will decide it.
    AgendaItem.objects.filter(meeting=locked, appeal__isnull=False).update(appeal=None)
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=later,
            kind=item.kind,
            order=item.order,
            title_ar=item.title_ar,
            title_en=item.title_en,
            appeal_id=item.appeal_id,
        )
        for item in items
    )
    EligibleMember.objects.bulk_create(
        (
            EligibleMember(meeting=later, member_id=member_id, membership_no=membership_no, shares=shares)
            for member_id, membership_no, shares in locked.eligible.order_by("pk")
            .values_list("member_id", "membership_no", "shares")
            .iterator()
        ),
        batch_size=2000,
    )
    proxies.carry_over(from_meeting=locked, to_meeting=later)
    locked.status = Meeting.Status.ADJOURNED
    locked.save(update_fields=["status"])
    from assembly import tasks

    after_commit(tasks.send_meeting_notice, later.pk)
    return later
