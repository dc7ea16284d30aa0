"""Nominations for a board election (issue 18 item 7; DOMAIN.md a.6): before a meeting's notice is published, a
member nominates themselves, or the board enters a member's nomination, for the board election on its agenda.

Who may stand: an active member holding shares (the rule the eligible list is frozen by at the notice,
assembly.services.eligible_members), nominated once per meeting. Nominations close when the notice is published:
the meeting's row is locked here as publishing locks it, so a nomination never lands after the list is frozen. The
board may disqualify a nomination with a written reason, which the candidate reads, until the election is prepared.
The election's candidates are the standing nominations of members on the meeting's eligible list, in the order of
their Arabic names. Every refusal says why in the member's words and stores nothing.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly import services as assembly_services
from assembly.models import AgendaItem, EligibleMember, Meeting
from ballots.models import Nomination, Question
from members.models import Member, User
from members.roles import Role, has_role


def has_election(meeting: Meeting) -> bool:
    return meeting.agenda_items.filter(kind=AgendaItem.Kind.BOARD_ELECTION).exists()


def meetings_taking_nominations() -> QuerySet[Meeting]:
    """Meetings still in draft (notice not published) with a board election on the agenda, not yet begun."""
    return Meeting.objects.filter(
        status=Meeting.Status.DRAFT,
        starts_at__gt=timezone.now(),
        agenda_items__kind=AgendaItem.Kind.BOARD_ELECTION,
    ).distinct()


def _check_open(meeting: Meeting) -> None:
    if not has_election(meeting):
        raise ValidationError(_("This meeting has no board election on its agenda. Nothing was recorded."), code="none")
    if meeting.status != Meeting.Status.DRAFT:
        raise ValidationError(
            _("Nominations closed when the meeting's notice was published. Nothing was recorded."), code="closed"
        )
    if timezone.now() >= meeting.starts_at:
        raise ValidationError(_("This meeting has already begun. Nothing was recorded."), code="begun")


def _check_candidate(meeting: Meeting, member: Member) -> None:
    if not assembly_services.eligible_members().filter(pk=member.pk).exists():
        raise ValidationError(
            _(
                "Only an active member holding shares may stand for the board. The membership record of %(name)s "
                "does not allow it. Nothing was recorded."
            )
            % {"name": member.full_name_ar},
            code="not_eligible",
        )
    earlier = Nomination.objects.filter(meeting=meeting, member=member).first()
    if earlier is not None and not earlier.is_standing:
        raise ValidationError(
            _("This nomination was disqualified by the board: %(reason)s. Nothing was recorded.")
            % {"reason": earlier.disqualified_reason},
            code="disqualified",
        )
    if earlier is not None:
        raise ValidationError(
            _("%(name)s is already nominated for this election. Nothing was recorded.") % {"name": member.full_name_ar},
            code="twice",
        )


@transaction.atomic
def nominate(*, meeting: Meeting, member: Member, by: User) -> Nomination:
    """A member nominates themselves (`by` is their account) or the board enters a member's nomination."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    own = getattr(getattr(by, "member", None), "pk", None) == member.pk
    if not own and not has_role(by, Role.BOARD):
        raise ValidationError(_("Only the board enters another member's nomination."), code="permission")
    _check_open(locked)
    _check_candidate(locked, member)
    try:
        with transaction.atomic():
            return Nomination.objects.create(meeting=locked, member=member, entered_by=by)
    except IntegrityError as error:  # the same member nominated at the same instant
        raise ValidationError(
            _("%(name)s is already nominated for this election. Nothing was recorded.") % {"name": member.full_name_ar},
            code="twice",
        ) from error


@transaction.atomic
def disqualify(*, nomination: Nomination, by: User, reason: str) -> Nomination:
    """The board disqualifies a nomination, with the reason the candidate reads; until the election is prepared."""
    if not has_role(by, Role.BOARD):
        raise ValidationError(_("Only the board disqualifies a nomination."), code="permission")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Write the reason: the candidate reads it. Nothing was changed."), code="no_reason")
    Meeting.objects.select_for_update().only("pk").get(pk=nomination.meeting_id)
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not locked.is_standing:
        raise ValidationError(_("This nomination is already disqualified. Nothing was changed."), code="already")
    if Question.objects.filter(meeting_id=locked.meeting_id, kind=Question.Kind.ELECTION).exists():
        raise ValidationError(
            _("The election's ballot is already prepared: its candidates no longer change. Nothing was changed."),
            code="prepared",
        )
    locked.disqualified_at = timezone.now()
    locked.disqualified_by = by
    locked.disqualified_reason = reason
    locked.save(update_fields=["disqualified_at", "disqualified_by", "disqualified_reason"])
    return locked


def of_meeting(meeting: Meeting) -> QuerySet[Nomination]:
    return Nomination.objects.filter(meeting=meeting).select_related("member", "entered_by", "disqualified_by")


def candidates(meeting: Meeting) -> list[Member]:
    """The election's candidates: standing nominations of members on the meeting's eligible list, by Arabic name."""
    listed = EligibleMember.objects.filter(meeting=meeting).values("member_id")
    standing = of_meeting(meeting).filter(disqualified_at__isnull=True, member_id__in=listed)
    return [nomination.member for nomination in standing.order_by("member__full_name_ar", "member__pk")]


def of_member(member: Member) -> QuerySet[Nomination]:
    return Nomination.objects.filter(member=member).select_related("meeting").order_by("-meeting__starts_at")
