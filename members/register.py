"""The register changes a completed request makes: an applicant admitted, shares added or transferred, a member
withdrawn, a deceased member's heir put in their place (or their membership ended with the heirs' refund).

Called inside the transaction that records the decision (requests_app.completion), so the register and the
request's status commit or roll back together. Each change writes an access-log line (the audit trail of
member records) and tells the members concerned through the outbox.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from members import outbox
from members.models import AccessLog, Member, ShareAcquisition, User
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
    locked.shares = shares or locked.shares
    if locked.shares:
        _advisory_lock(SHARE_CAP_LOCK)
        check_share_cap({locked.full_name_ar: locked.shares}, exclude_pks={locked.pk})
    _make_member(locked, joined_on=joined_on)
    _acquired(locked, locked.shares, ShareAcquisition.How.ADMISSION, on=locked.joined_on)
    log_access(
        viewer=by,
        member=locked,
        action=AccessLog.Action.CHANGED_RECORD,
        detail=f"admitted: membership_no {locked.membership_no}, shares {locked.shares}",
        changes={
            "status": (Member.Status.APPLICANT, locked.status),
            "membership_no": ("", locked.membership_no),
            "shares": (0, locked.shares),
        },
    )
    _welcome(locked)
    member.refresh_from_db()
    return locked


def _make_member(applicant: Member, *, joined_on: date | None = None) -> None:
    """The locked applicant's record becomes an active member's (call under MEMBERSHIP_NO_LOCK): the next membership
    number, the joining date, the member role instead of the applicant role."""
    applicant.membership_no = _next_membership_no()
    applicant.status = Member.Status.ACTIVE
    applicant.joined_on = joined_on or timezone.localdate()
    applicant.full_clean()
    applicant.save()
    if applicant.user is not None:
        applicant.user.groups.remove(*Group.objects.filter(name=Role.APPLICANT))
        applicant.user.groups.add(*Group.objects.filter(name=Role.MEMBER))


def _welcome(member: Member) -> None:
    outbox.queue_notification(
        member=member,
        event="membership_admitted",
        key=f"admitted:{member.pk}",
        link="/members/me/",
        context={"membership_no": member.membership_no, "name": member.full_name_ar},
    )


@transaction.atomic
def add_shares(*, member: Member, shares: int, by: User, acquired_on: date | None = None) -> Member:
    """A member subscribed to more shares: they are added to the holding, acquired on `acquired_on` (today), under
    the 10 % cap. Writes an access-log line naming the shares and their acquisition date.

    Raises ValidationError (nothing changes) when the member is not active or the holding would pass the cap.
    """
    if shares <= 0:
        raise ValidationError(_("The number of shares to add must be at least one."), code="no_shares")
    _advisory_lock(SHARE_CAP_LOCK)
    locked = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if locked.status != Member.Status.ACTIVE:
        raise ValidationError(_("Only an active member can subscribe to more shares."), code="not_active")
    locked.shares += shares
    check_share_cap({f"{locked.full_name_ar} ({locked.membership_no})": locked.shares}, exclude_pks={locked.pk})
    locked.save(update_fields=["shares", "updated_at"])
    acquired_on = acquired_on or timezone.localdate()
    _acquired(locked, shares, ShareAcquisition.How.SUBSCRIPTION, on=acquired_on)
    log_access(
        viewer=by,
        member=locked,
        action=AccessLog.Action.CHANGED_RECORD,
        detail=f"shares +{shares}: subscription, acquired {acquired_on.isoformat()}",
        changes={"shares": (locked.shares - shares, locked.shares)},
    )
    member.refresh_from_db()
    return locked


@transaction.atomic
def transfer_shares(*, from_member: Member, to_national_id: str, shares: int, by: User) -> Member:
    """Move `shares` from one member to another active member (found by national ID), under the 10 % cap.

    Returns the transferee. Raises ValidationError (nothing changes) when the transferee is not an active
    member, the transferor holds fewer shares or would be left with fewer than MEMBERSHIP_MIN_SHARES (but some), or
    the transferee would pass the cap. A transferor left with no shares is no longer a member (withdrawn, nothing
    refunded). The transferee is told.
    """
    if shares <= 0:
        raise ValidationError(_("The number of shares to transfer must be at least one."), code="no_shares")
    _advisory_lock(SHARE_CAP_LOCK)
    to_member = _transferee(to_national_id, from_member)
    # Both rows locked in one order (by pk), so two transfers between the same members cannot deadlock.
    rows = Member.objects.select_for_update(of=("self",)).filter(pk__in=[from_member.pk, to_member.pk]).order_by("pk")
    locked = {row.pk: row for row in rows}
    giver, taker = locked[from_member.pk], locked[to_member.pk]
    _check_giver_can_give(giver, shares)
    giver.shares -= shares
    taker.shares += shares
    check_share_cap(
        {f"{row.full_name_ar} ({row.membership_no})": row.shares for row in (giver, taker)},
        exclude_pks={giver.pk, taker.pk},
    )
    for changed in (giver, taker):
        changed.save(update_fields=["shares", "updated_at"])
    _acquired(taker, shares, ShareAcquisition.How.TRANSFER)
    if giver.shares == 0:  # a member who gave away every share is no longer a member; nothing is refunded
        _end_membership(giver, status=Member.Status.WITHDRAWN, refund_due=None)
    log_access(
        viewer=by,
        member=giver,
        action=AccessLog.Action.CHANGED_RECORD,
        detail=f"shares -{shares}: transfer" + ("; membership ended (no shares left)" if giver.shares == 0 else ""),
        changes={
            "shares": (giver.shares + shares, giver.shares),
            **({"status": (Member.Status.ACTIVE, giver.status)} if giver.shares == 0 else {}),
        },
    )
    log_access(
        viewer=by,
        member=taker,
        action=AccessLog.Action.CHANGED_RECORD,
        detail=f"shares +{shares}: transfer",
        changes={"shares": (taker.shares - shares, taker.shares)},
    )
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
def withdraw_member(*, member: Member, by: User, refund_due: Decimal | None, on: date | None = None) -> Member:
    """The board accepted a withdrawal: membership ends on `on` (today) with the refund the board decided.

    The member keeps their account and their record (they still read their history); a withdrawn member's
    shares no longer count in the cooperative's capital (see services.check_share_cap).
    """
    _check_refund(refund_due)
    locked = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if locked.status != Member.Status.ACTIVE:
        raise ValidationError(_("Only an active member can withdraw."), code="not_active")
    _end_membership(locked, status=Member.Status.WITHDRAWN, refund_due=refund_due, on=on)
    log_access(
        viewer=by,
        member=locked,
        action=AccessLog.Action.CHANGED_RECORD,
        detail=f"withdrawn: refund due {refund_due}",
        changes={"status": (Member.Status.ACTIVE, locked.status), "refund_due": (None, refund_due)},
    )
    member.refresh_from_db()
    return locked


@transaction.atomic
def refund_deceased_member(*, national_id: str, by: User, refund_due: Decimal | None, on: date | None = None) -> Member:
    """The board accepted the heirs' request for a refund: the deceased member's membership ends on `on` (today) with
    the refund due to the heirs, as for a withdrawal (their shares no longer count in the capital).

    Raises ValidationError (nothing changes) without a refund or when the ID is not an active member's.
    """
    _check_refund(refund_due)
    deceased = _locked_deceased(national_id)
    _end_membership(deceased, status=Member.Status.DECEASED, refund_due=refund_due, on=on)
    log_access(
        viewer=by, member=deceased, action=AccessLog.Action.CHANGED_RECORD, detail=f"deceased: refund due {refund_due}"
    )
    return deceased


@transaction.atomic
def succeed_heir(*, deceased_national_id: str, heir_national_id: str, by: User) -> tuple[Member, Member, int]:
    """The board accepted the heir the heirs agreed on in a deceased member's place: the heir holds the inherited
    shares (a membership applicant becomes a member with a new membership number; a member keeps theirs), under
    the 10 % cap; the deceased member's membership ends with no shares. Returns (heir, deceased, shares inherited).

    The heir must meet the membership conditions: a Saudi (ID starting with 1) already in the register as an
    applicant or an active member. Raises ValidationError (nothing changes) otherwise. The heir is told.
    """
    heir_national_id = _check_heir_id(heir_national_id)
    _advisory_lock(MEMBERSHIP_NO_LOCK)
    _advisory_lock(SHARE_CAP_LOCK)
    deceased = _locked_deceased(deceased_national_id)
    heir = _locked_heir(heir_national_id)
    if heir.pk == deceased.pk:
        raise ValidationError(_("The heir and the deceased member are the same person."), code="same_member")
    inherited = deceased.shares
    heir.shares += inherited
    check_share_cap(
        {f"{heir.full_name_ar} ({heir.membership_no or heir.national_id_masked})": heir.shares},
        exclude_pks={heir.pk, deceased.pk},
    )
    _end_membership(deceased, status=Member.Status.DECEASED, refund_due=None)
    deceased.shares = 0
    deceased.save(update_fields=["shares", "updated_at"])
    admitted = heir.status == Member.Status.APPLICANT
    if admitted:
        _make_member(heir)
    else:
        heir.save(update_fields=["shares", "updated_at"])
    _acquired(heir, inherited, ShareAcquisition.How.INHERITANCE)
    log_access(
        viewer=by,
        member=deceased,
        action=AccessLog.Action.CHANGED_RECORD,
        detail=f"deceased: shares -{inherited} to the heir {heir.membership_no}",
    )
    log_access(
        viewer=by,
        member=heir,
        action=AccessLog.Action.CHANGED_RECORD,
        detail=f"heir of {deceased.membership_no}: shares +{inherited}, membership_no {heir.membership_no}",
    )
    if admitted:
        _welcome(heir)
    else:
        outbox.queue_notification(
            member=heir,
            event="shares_received",
            key=f"inherited:{deceased.pk}:{heir.pk}",
            link="/members/me/",
            context={"shares_count": inherited, "held_count": heir.shares},
        )
    return heir, deceased, inherited


def _transferee(national_id: str, from_member: Member) -> Member:
    """The active member the shares go to; ValidationError when there is none, or it is the transferor."""
    to_member = Member.objects.filter(national_id=national_id, status=Member.Status.ACTIVE).first()
    if to_member is None:
        raise ValidationError(
            _(
                "The transferee (ID %(national_id)s) is not an active member in the register, so the shares "
                "cannot move. Register them as a member first."
            )
            % {"national_id": national_id},
            code="no_transferee",
        )
    if to_member.pk == from_member.pk:
        raise ValidationError(_("A member cannot transfer shares to themselves."), code="same_member")
    return to_member


def _check_giver_can_give(giver: Member, shares: int) -> None:
    """The transferor (locked) holds the shares and keeps either none or at least MEMBERSHIP_MIN_SHARES."""
    if giver.shares < shares:
        raise ValidationError(
            _("%(name)s holds %(held)s shares, fewer than the %(shares)s to transfer.")
            % {"name": giver.full_name_ar, "held": giver.shares, "shares": shares},
            code="not_enough_shares",
        )
    left = giver.shares - shares
    if 0 < left < settings.MEMBERSHIP_MIN_SHARES:
        raise ValidationError(
            _(
                "After the transfer %(name)s would hold %(left)s shares, fewer than the %(minimum)s a member must "
                "hold: transfer all the shares (which ends the membership) or fewer."
            )
            % {"name": giver.full_name_ar, "left": left, "minimum": settings.MEMBERSHIP_MIN_SHARES},
            code="below_minimum",
        )


def _check_heir_id(heir_national_id: str) -> str:
    """The substitute heir's national ID as the request gives it, stripped; a Saudi national's, or ValidationError."""
    heir_national_id = (heir_national_id or "").strip()
    if not heir_national_id:
        raise ValidationError(
            _("The request does not name the substitute heir's national ID, so the heir cannot be registered."),
            code="no_heir",
        )
    if not heir_national_id.startswith("1"):
        raise ValidationError(
            _("The heir (ID %(national_id)s) is not a Saudi national, so they cannot become a member.")
            % {"national_id": heir_national_id},
            code="heir_not_citizen",
        )
    return heir_national_id


def _locked_heir(national_id: str) -> Member:
    """The heir's record, locked: a membership applicant or an active member of the register."""
    heir = Member.objects.select_for_update(of=("self",)).select_related("user").filter(national_id=national_id).first()
    if heir is None or heir.status not in {Member.Status.APPLICANT, Member.Status.ACTIVE}:
        raise ValidationError(
            _(
                "The heir (ID %(national_id)s) is neither a membership applicant nor an active member in the "
                "register, so they cannot take the deceased member's place. They register in the portal first."
            )
            % {"national_id": national_id},
            code="no_heir_in_register",
        )
    return heir


def _acquired(member: Member, shares: int, how: str, *, on: date | None = None) -> None:
    """Date the shares entering the holding (share seniority); nothing for none."""
    if shares > 0:
        ShareAcquisition.objects.create(member=member, shares=shares, how=how, acquired_on=on or timezone.localdate())


def _check_refund(refund_due: Decimal | None) -> None:
    if refund_due is None or refund_due < 0:
        raise ValidationError(
            {"refund_due": _("Give the refund due to the member, in riyals.")}, code="refund_required"
        )


def _locked_deceased(national_id: str) -> Member:
    """The deceased member's record, locked: an active member of the register (found by national ID)."""
    deceased = (
        Member.objects.select_for_update(of=("self",))
        .filter(national_id=(national_id or "").strip(), status=Member.Status.ACTIVE)
        .first()
    )
    if deceased is None:
        raise ValidationError(
            _("The deceased (ID %(national_id)s) is not an active member in the register.")
            % {"national_id": national_id},
            code="no_deceased_member",
        )
    return deceased


def _end_membership(locked: Member, *, status: str, refund_due: Decimal | None, on: date | None = None) -> None:
    locked.status = status
    locked.withdrawn_on = on or timezone.localdate()
    locked.refund_due = refund_due
    locked.save(update_fields=["status", "withdrawn_on", "refund_due", "updated_at"])
