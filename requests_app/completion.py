"""What completing a request does, per kind of service: the one place a decision takes effect in the register.

`take_effect` is called by status_changes._change_status inside the transaction that completes the request, after
the status is written and before the member is told; so the effect, the status, the timeline and the audit
trail (members' access log) commit together or not at all. A kind without an effect here completes as it is.

The kinds reserved to the board take effect only with an approving BoardDecision: a membership application
admits the applicant, a share transfer moves the shares, a withdrawal ends the membership with the refund due.
"""

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members import register
from members.models import User
from requests_app.models import BoardDecision, RequestType, ServiceRequest, TimelineEvent

Kind = RequestType.Kind


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


def _admit(service_request: ServiceRequest, by: User, decision: BoardDecision) -> str:
    shares = _whole_number(service_request, "shares")
    member = register.admit_applicant(member=service_request.member, by=by, shares=shares)
    return ngettext(
        "Membership number %(membership_no)s allocated; %(shares)s share entered in the register.",
        "Membership number %(membership_no)s allocated; %(shares)s shares entered in the register.",
        shares,
    ) % {"membership_no": member.membership_no, "shares": shares}


def _transfer(service_request: ServiceRequest, by: User, decision: BoardDecision) -> str:
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


def _withdraw(service_request: ServiceRequest, by: User, decision: BoardDecision) -> str:
    register.withdraw_member(member=service_request.member, by=by, refund_due=decision.refund_due)
    return _("Membership ended; refund due: %(amount)s riyals.") % {"amount": _amount(decision.refund_due)}


def _amount(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


EFFECTS: dict[str, Callable[[ServiceRequest, User, BoardDecision], str]] = {
    Kind.MEMBERSHIP_APPLICATION: _admit,
    Kind.SHARE_TRANSFER: _transfer,
    Kind.WITHDRAWAL: _withdraw,
}


def take_effect(*, service_request: ServiceRequest, by: User, decision: BoardDecision | None) -> TimelineEvent | None:
    """Apply what completing this request means for its kind; record it on the timeline (the member sees it).

    Raises ValidationError (the caller's transaction rolls back, nothing changes) when the effect cannot
    happen: no approving board decision for a reserved kind, a rule of the register broken.
    """
    effect = EFFECTS.get(service_request.request_type.kind)
    if effect is None:
        return None
    if decision is None or not decision.approved:
        raise ValidationError(_("Only the board's approval completes this request."), code="board_decision_required")
    with translation.override(service_request.member.language or "ar"):
        summary = effect(service_request, by, decision)
    return TimelineEvent.objects.create(
        service_request=service_request, kind=TimelineEvent.Kind.REGISTER_UPDATED, actor=by, note=summary
    )
