"""What completing a request does, per kind of service: the one place a decision takes effect in the register.

`take_effect` is called by status_changes._change_status inside the transaction that completes the request, after
the status is written and before the member is told; so the effect, the status, the timeline and the audit
trail (members' access log) commit together or not at all. A kind without an effect here completes as it is.

The kinds reserved to the board take effect only with an approving BoardDecision: a membership application
admits the applicant, a share transfer moves the shares, a withdrawal ends the membership with the refund due,
the heirs' request puts the heir they chose in the deceased member's place or ends the membership with the
refund due to them. Additional shares are not the board's: staff complete the request and the shares are added.
Whether a request needs the board comes from its service (`needs_the_board`), not from having an effect here.
"""

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members import register
from members.models import User
from members_portal.templatetags.hijri import dual_date_text
from requests_app.models import BoardDecision, RequestType, ServiceRequest, TimelineEvent

Kind = RequestType.Kind
# The kinds the law reserves to the board, whatever an administrator ticks on the service (Reg. art. 17, 20, 21, 31).
RESERVED_TO_THE_BOARD = frozenset(
    {Kind.MEMBERSHIP_APPLICATION, Kind.SHARE_TRANSFER, Kind.WITHDRAWAL, Kind.HEIRS_SUCCESSION}
)
HEIRS_CHOICE, SUBSTITUTE_HEIR, REFUND = "choice", "substitute", "refund"  # MEM-05's form: what the heirs want


def needs_the_board(request_type: RequestType) -> bool:
    """The board decides this service: the catalogue says so, or the law reserves its kind."""
    return request_type.needs_board_decision or request_type.kind in RESERVED_TO_THE_BOARD


def asks_for_refund(service_request: ServiceRequest) -> bool:
    """Approving it needs the refund due (the board's decision page asks for it): a withdrawal, or the heirs
    asking for the deceased member's shares to be refunded."""
    kind = service_request.request_type.kind
    return kind == Kind.WITHDRAWAL or (
        kind == Kind.HEIRS_SUCCESSION and answer(service_request, HEIRS_CHOICE) == REFUND
    )


def answer(service_request: ServiceRequest, key: str) -> str:
    """The value the member gave for one field of the form (as kept in the request's snapshot), or ""."""
    for row in service_request.answers or []:
        if row.get("key") == key:
            return str(row.get("value") or "").strip()
    return ""


def _whole_number(service_request: ServiceRequest, key: str) -> int:
    value = answer(service_request, key)
    if not value.isdigit():
        raise ValidationError(
            _("The request has no valid number for “%(field)s”, so it cannot take effect.") % {"field": key},
            code="answer_missing",
        )
    return int(value)


def _admit(service_request: ServiceRequest, by: User, decision: BoardDecision | None) -> str:
    shares = _whole_number(service_request, "shares")
    member = register.admit_applicant(member=service_request.member, by=by, shares=shares)
    return ngettext(
        "Membership number %(membership_no)s allocated; %(shares)s share entered in the register.",
        "Membership number %(membership_no)s allocated; %(shares)s shares entered in the register.",
        shares,
    ) % {"membership_no": member.membership_no, "shares": shares}


def _add_shares(service_request: ServiceRequest, by: User, decision: BoardDecision | None) -> str:
    shares = _whole_number(service_request, "shares")
    acquired_on = timezone.localdate()
    member = register.add_shares(member=service_request.member, shares=shares, by=by, acquired_on=acquired_on)
    return ngettext(
        "%(shares)s share added to your holding in the register, acquired on %(date)s; you now hold %(held)s.",
        "%(shares)s shares added to your holding in the register, acquired on %(date)s; you now hold %(held)s.",
        shares,
    ) % {"shares": shares, "date": dual_date_text(acquired_on), "held": member.shares}


def _transfer(service_request: ServiceRequest, by: User, decision: BoardDecision | None) -> str:
    shares = _whole_number(service_request, "shares")
    transferee = register.transfer_shares(
        from_member=service_request.member,
        to_national_id=answer(service_request, "transferee_id"),
        shares=shares,
        by=by,
    )
    return ngettext(
        "%(shares)s share moved in the register to %(name)s.",
        "%(shares)s shares moved in the register to %(name)s.",
        shares,
    ) % {"shares": shares, "name": transferee.full_name_ar}


def _withdraw(service_request: ServiceRequest, by: User, decision: BoardDecision | None) -> str:
    refund_due = _refund_due(decision)
    register.withdraw_member(member=service_request.member, by=by, refund_due=refund_due)
    return _("Membership ended; refund due: %(amount)s riyals.") % {"amount": _amount(refund_due)}


def _succeed_or_refund(service_request: ServiceRequest, by: User, decision: BoardDecision | None) -> str:
    deceased_id = answer(service_request, "deceased_id")
    choice = answer(service_request, HEIRS_CHOICE)
    if choice == REFUND:
        refund_due = _refund_due(decision)
        deceased = register.refund_deceased_member(national_id=deceased_id, by=by, refund_due=refund_due)
        return _(
            "The membership of %(name)s (%(membership_no)s) ended by death; refund due to the heirs: %(amount)s riyals."
        ) % {
            "name": deceased.full_name_ar,
            "membership_no": deceased.membership_no,
            "amount": _amount(refund_due),
        }
    if choice != SUBSTITUTE_HEIR:
        raise ValidationError(
            _(
                "The request does not say whether the heirs want a substitute heir or a refund, so it cannot take "
                "effect."
            ),
            code="answer_missing",
        )
    heir, deceased, shares = register.succeed_heir(
        deceased_national_id=deceased_id, heir_national_id=answer(service_request, "heir_id"), by=by
    )
    return ngettext(
        "%(heir)s registered as a member (membership number %(membership_no)s) in place of %(deceased)s, with "
        "%(shares)s inherited share.",
        "%(heir)s registered as a member (membership number %(membership_no)s) in place of %(deceased)s, with "
        "%(shares)s inherited shares.",
        shares,
    ) % {
        "heir": heir.full_name_ar,
        "membership_no": heir.membership_no,
        "deceased": deceased.full_name_ar,
        "shares": shares,
    }


def _refund_due(decision: BoardDecision | None) -> Decimal | None:
    """The refund the approving decision gave (take_effect has checked there is one); the register refuses a
    missing refund."""
    return decision.refund_due if decision is not None else None


def _amount(value: Decimal | None) -> str:
    assert value is not None, "the register has refused a missing refund before the summary is written"
    return format(value.quantize(Decimal("0.01")), "f")


EFFECTS: dict[str, Callable[[ServiceRequest, User, BoardDecision | None], str]] = {
    Kind.MEMBERSHIP_APPLICATION: _admit,
    Kind.ADDITIONAL_SHARES: _add_shares,
    Kind.SHARE_TRANSFER: _transfer,
    Kind.WITHDRAWAL: _withdraw,
    Kind.HEIRS_SUCCESSION: _succeed_or_refund,
}


def take_effect(*, service_request: ServiceRequest, by: User, decision: BoardDecision | None) -> TimelineEvent | None:
    """Apply what completing this request means for its kind; record it on the timeline (the member sees it).

    Raises ValidationError (the caller's transaction rolls back, nothing changes) when the effect cannot
    happen: no approving board decision for a service the board decides, a rule of the register broken.
    """
    effect = EFFECTS.get(service_request.request_type.kind)
    if effect is None:
        return None
    if needs_the_board(service_request.request_type) and (decision is None or not decision.approved):
        raise ValidationError(_("Only the board's approval completes this request."), code="board_decision_required")
    with translation.override(service_request.member.language or "ar"):
        summary = effect(service_request, by, decision)
    return TimelineEvent.objects.create(
        service_request=service_request, kind=TimelineEvent.Kind.REGISTER_UPDATED, actor=by, note=summary
    )
