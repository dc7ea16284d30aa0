"""Demo: last year's ordinary General Assembly, held: its members registered at the door (five of them voting by
proxy for absent members too), the chair they elected, each item decided by two officers' counts (one by the chair's
vote on a tie), and its minutes rendered and sent.

Written straight to the tables with a date in the past (the services hold a meeting only on its own day); the
results still come from assembly.voting and the minutes from assembly.minutes, as in a real meeting. Idempotent: a
second run finds the held meeting and changes nothing.
"""

import datetime

from django.utils import timezone

from assembly import minutes, services, voting
from assembly.attendance import attendance
from assembly.demo import AGENDA
from assembly.models import AgendaItem, Decision, EligibleMember, Meeting, Proxy, Registration
from members.models import User
from members.roles import Role

# Each item's counts as shares of those present: (for, against, abstained); the second ties, the chair votes for.
COUNTS = [(0.8, 0.1, 0.1), (0.5, 0.4, 0.1), (0.7, 0.2, 0.1), (0.3, 0.6, 0.1)]


def seed(stdout) -> list[tuple[str, str, str]]:
    if Meeting.objects.filter(status=Meeting.Status.HELD).exists():
        stdout.write("  General Assembly minutes: already there")
        return []
    secretary = User.objects.get(email="board@najran-coffee.example")
    second = User.objects.get(email="board2@najran-coffee.example")
    day = timezone.localdate() - datetime.timedelta(days=330)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 0)))
    meeting = _published_meeting(by=secretary, day=day, starts_at=starts_at)
    eligible = _freeze_eligible(meeting)
    present = _register_present(meeting, eligible=eligible, by=secretary)
    _represent(meeting, present=present, eligible=[pk for pk, _number, _shares in eligible], at=starts_at)
    counted = attendance(meeting).counted  # those present in person and those their proxies represent
    meeting.chair_id = present[1] if len(present) > 1 else present[0]
    meeting.chair_votes = counted * 3 // 4
    meeting.chair_elected_by = secretary
    _decide_items(meeting, counted=counted, entered_by=secretary, confirmed_by=second, starts_at=starts_at)
    meeting.status = Meeting.Status.HELD
    meeting.closed_at = starts_at + datetime.timedelta(hours=2)
    meeting.closed_by = secretary
    meeting.save()
    minutes.issue_minutes(meeting_id=meeting.pk)
    stdout.write(
        f"  General Assembly minutes: a meeting held on {day.isoformat()}, {counted} of {len(eligible)} present"
    )
    return []


def _published_meeting(*, by: User, day: datetime.date, starts_at: datetime.datetime) -> Meeting:
    """The meeting as its notice was published twenty days before, with the demo's agenda."""
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.ORDINARY,
        starts_at=starts_at,
        status=Meeting.Status.PUBLISHED,
        created_by=by,
        published_at=starts_at - datetime.timedelta(days=20),
        published_by=by,
        record_date=day - datetime.timedelta(days=20),
    )
    for order, (kind, title_ar, title_en) in enumerate(AGENDA, start=1):
        AgendaItem.objects.create(meeting=meeting, kind=kind, order=order, title_ar=title_ar, title_en=title_en)
    return meeting


def _freeze_eligible(meeting: Meeting) -> list[tuple[int, str, int]]:
    """The members eligible today, as the meeting's list: (pk, membership number, shares) in pk order."""
    eligible = list(services.eligible_members().order_by("pk").values_list("pk", "membership_no", "shares"))
    EligibleMember.objects.bulk_create(
        EligibleMember(meeting=meeting, member_id=pk, membership_no=number, shares=shares)
        for pk, number, shares in eligible
    )
    return eligible


def _register_present(meeting: Meeting, *, eligible: list[tuple[int, str, int]], by: User) -> list[int]:
    """Register at the door those who came; returns their member ids, sorted."""
    # Every third member came, and the demo member of the README among them: 34 % of the members, over the 25 %.
    present = [pk for index, (pk, _number, _shares) in enumerate(eligible) if index % 3 == 0]
    readme_member = meeting.eligible.filter(member__user__phone="+966500000201").values_list("member_id", flat=True)
    present = sorted(set(present) | set(readme_member))
    Registration.objects.bulk_create(
        Registration(meeting=meeting, member_id=pk, registered_by=by, desk="1") for pk in present
    )
    return present


def _decide_items(
    meeting: Meeting, *, counted: int, entered_by: User, confirmed_by: User, starts_at: datetime.datetime
) -> None:
    """Each item's decision from its COUNTS, entered by one officer and confirmed by the other ten minutes apart;
    the result is assembly.voting's."""
    for item, shares in zip(meeting.agenda_items.order_by("order"), COUNTS, strict=True):
        votes_for, against, abstain = _votes(counted, shares)
        side = Decision.Side.FOR if voting.is_tie(votes_for=votes_for, present=counted) else ""
        result = voting.outcome(
            votes_for=votes_for, votes_against=against, abstentions=abstain, present=counted, chair_side=side
        )
        Decision.objects.create(
            item=item,
            votes_for=votes_for,
            votes_against=against,
            abstentions=abstain,
            present=counted,
            chair_side=side,
            adopted=result.adopted,
            entered_by=entered_by,
            confirmed_by=confirmed_by,
            confirmed_at=starts_at + datetime.timedelta(minutes=30 + 10 * item.order),
        )


def _votes(counted: int, shares: tuple[float, float, float]) -> tuple[int, int, int]:
    """(for, against, abstained) from the shares of those counted; a half share for is exactly half when those
    counted are even (a tie), one more than half when they are odd."""
    votes_for, against = int(counted * shares[0]), int(counted * shares[1])
    if shares[0] == 0.5:
        votes_for = counted // 2 if counted % 2 == 0 else counted // 2 + 1
    abstain = min(int(counted * shares[2]), counted - votes_for - against)
    return votes_for, against, abstain


def _represent(meeting: Meeting, *, present: list[int], eligible: list[int], at) -> None:
    """Five absent members gave proxies, accepted before the cut-off, to five present members not on the board: the
    minutes count them as represented. Written as rows (the proxies' services refuse anything past the cut-off)."""
    board = set(
        EligibleMember.objects.filter(meeting=meeting, member__user__groups__name=Role.BOARD).values_list(
            "member_id", flat=True
        )
    )
    holders = [pk for pk in present if pk not in board][-5:]
    absent = [pk for pk in eligible if pk not in set(present) and pk not in board][: len(holders)]
    accepted_at = at - datetime.timedelta(days=5)
    Proxy.objects.bulk_create(
        Proxy(
            meeting=meeting,
            principal_id=principal,
            holder_id=holder,
            status=Proxy.Status.ACCEPTED,
            answered_at=accepted_at,
        )
        for principal, holder in zip(absent, holders, strict=False)
    )
