"""The register changes a board decision makes: an applicant admitted, shares transferred, a member withdrawn.

Called inside the transaction that records the decision (requests_app.completion), so the register and the
request's status commit or roll back together. Each change writes an access-log line (the audit trail of
member records) and tells the members concerned through the outbox.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from members import outbox
from members.models import AccessLog, Member, User
from members.roles import Role
from members.services import SHARE_CAP_LOCK, _advisory_lock, check_share_cap, log_access

MEMBERSHIP_NO_LOCK = 7_351_002  # PostgreSQL advisory lock serialising the allocation of membership numbers
FIRST_MEMBERSHIP_NO = 10001  # when the register has no all-digit number yet


def _next_membership_no() -> str:
    """One more than the highest all-digit membership number (call under MEMBERSHIP_NO_LOCK)."""
    highest = Member.objects.filter(membership_no__regex=r"^[0-9]{1,18}$").aggregate(
        highest=Max(Cast("membership_no", output_field=BigIntegerField()))
    )["highest"]
    return f"{highest + 1 if highest else FIRST_MEMBERSHIP_NO}"


@transaction.atomic
def admit_applicant(*, member: Member, by: User, shares: int = 0, joined_on: date | None = None) -> Member:
    """The board accepted an application: the applicant becomes an active member with a new membership number
    and the shares the application asked for, keeping the same account (its role changes from applicant to
    member). Notifies the new member (inbox, SMS).

    Raises ValidationError if the record is not an applicant's or the shares break the 10 % cap. Membership
    numbers never collide: they are allocated under an advisory lock held until commit, and the database
    keeps them unique.
    """
    _advisory_lock(MEMBERSHIP_NO_LOCK)
    locked = Member.objects.select_for_update(of=("self",)).select_related("user").get(pk=member.pk)
    if locked.status != Member.Status.APPLICANT:
        raise ValidationError(_("Only a membership applicant can be admitted."), code="not_applicant")
    locked.membership_no = _next_membership_no()
    locked.status = Member.Status.ACTIVE
    locked.joined_on = joined_on or timezone.localdate()
    locked.shares = shares or locked.shares
    if locked.shares:
        _advisory_lock(SHARE_CAP_LOCK)
        check_share_cap({locked.full_name_ar: locked.shares}, exclude_pks={locked.pk})
    locked.full_clean()
    locked.save()
    if locked.user is not None:
        locked.user.groups.remove(*Group.objects.filter(name=Role.APPLICANT))
        locked.user.groups.add(*Group.objects.filter(name=Role.MEMBER))
    log_access(
        viewer=by,
        member=locked,
        action=AccessLog.Action.CHANGED_RECORD,
        detail=f"admitted: membership_no {locked.membership_no}, shares {locked.shares}",
    )
    outbox.queue_notification(
        member=locked,
        event="membership_admitted",
        key=f"admitted:{locked.pk}",
        link="/members/me/",
        context={"membership_no": locked.membership_no, "name": locked.full_name_ar},
    )
    member.refresh_from_db()
    return locked


@transaction.atomic
def transfer_shares(*, from_member: Member, to_national_id: str, shares: int, by: User) -> Member:
    """Move `shares` from one member to another active member (found by national ID), under the 10 % cap.

    Returns the transferee. Raises ValidationError (nothing changes) when the transferee is not an active
    member, the transferor holds fewer shares, or the transferee would pass the cap. The transferee is told.
    """
    if shares <= 0:
        raise ValidationError(_("The number of shares to transfer must be at least one."), code="no_shares")
    _advisory_lock(SHARE_CAP_LOCK)
    to_member = Member.objects.filter(national_id=to_national_id, status=Member.Status.ACTIVE).first()
    if to_member is None:
        raise ValidationError(
            _(
                "The transferee (ID %(national_id)s) is not an active member in the register, so the shares "
                "cannot move. Register them as a member first."
            )
            % {"national_id": to_national_id},
            code="no_transferee",
        )
    if to_member.pk == from_member.pk:
        raise ValidationError(_("A member cannot transfer shares to themselves."), code="same_member")
    # Both rows locked in one order (by pk), so two transfers between the same members cannot deadlock.
    rows = Member.objects.select_for_update(of=("self",)).filter(pk__in=[from_member.pk, to_member.pk]).order_by("pk")
    locked = {row.pk: row for row in rows}
    giver, taker = locked[from_member.pk], locked[to_member.pk]
    if giver.shares < shares:
        raise ValidationError(
            _("%(name)s holds %(held)s shares, fewer than the %(shares)s to transfer.")
            % {"name": giver.full_name_ar, "held": giver.shares, "shares": shares},
            code="not_enough_shares",
        )
    giver.shares -= shares
    taker.shares += shares
    check_share_cap(
        {f"{row.full_name_ar} ({row.membership_no})": row.shares for row in (giver, taker)},
        exclude_pks={giver.pk, taker.pk},
    )
    for changed in (giver, taker):
        changed.save(update_fields=["shares", "updated_at"])
    log_access(viewer=by, member=giver, action=AccessLog.Action.CHANGED_RECORD, detail=f"shares -{shares}: transfer")
    log_access(viewer=by, member=taker, action=AccessLog.Action.CHANGED_RECORD, detail=f"shares +{shares}: transfer")
    outbox.queue_notification(
        member=taker,
        event="shares_received",
        key=f"shares_received:{giver.pk}:{taker.pk}:{taker.shares}",
        link="/members/me/",
        context={"shares_count": shares, "held_count": taker.shares},
    )
    from_member.refresh_from_db()
    return taker


@transaction.atomic
def withdraw_member(*, member: Member, by: User, refund_due: Decimal, on: date | None = None) -> Member:
    """The board accepted a withdrawal: membership ends on `on` (today) with the refund the board decided.

    The member keeps their account and their record (they still read their history); a withdrawn member's
    shares no longer count in the cooperative's capital (see services.check_share_cap).
    """
    if refund_due is None or refund_due < 0:
        raise ValidationError(
            {"refund_due": _("Give the refund due to the member, in riyals.")}, code="refund_required"
        )
    locked = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if locked.status != Member.Status.ACTIVE:
        raise ValidationError(_("Only an active member can withdraw."), code="not_active")
    locked.status = Member.Status.WITHDRAWN
    locked.withdrawn_on = on or timezone.localdate()
    locked.refund_due = refund_due
    locked.save(update_fields=["status", "withdrawn_on", "refund_due", "updated_at"])
    log_access(
        viewer=by, member=locked, action=AccessLog.Action.CHANGED_RECORD, detail=f"withdrawn: refund due {refund_due}"
    )
    member.refresh_from_db()
    return locked
