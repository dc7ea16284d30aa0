"""Who is at a meeting and whether it has its quorum (Law art. 22 and 25, Reg. art. 42 and 46): one definition that
the door's quorum panel, the decisions and the minutes all read.

A member counts once: present in person (a `Registration`), or represented by the holder of their accepted proxy
when that holder is present and they are not. The quorum is counted against the members eligible at the record date:
  - an ordinary meeting: at least 25 % (ASSEMBLY_QUORUM_PERCENT);
  - a meeting adjourned for want of quorum, held 15 days later: at least 10 % (ASSEMBLY_ADJOURNED_QUORUM_PERCENT);
  - an extraordinary meeting: a majority of the shareholders, more than half.
"""

from dataclasses import dataclass

from django.conf import settings

from assembly.models import Meeting, Proxy, Registration


@dataclass(frozen=True)
class Attendance:
    eligible: int
    present: int
    represented: int
    # The rule: more than half when `majority`, else at least `required_percent` %.
    required_percent: int
    majority: bool

    @property
    def counted(self) -> int:
        """Members present in person or by proxy: those who may vote."""
        return self.present + self.represented

    @property
    def percent(self) -> float:
        """The counted members as a percentage of the eligible, for display (the rule itself is exact)."""
        return 100 * self.counted / self.eligible if self.eligible else 0.0

    @property
    def needed(self) -> int:
        """The fewest counted members that make the quorum."""
        if self.majority:
            return self.eligible // 2 + 1
        return -(-self.eligible * self.required_percent // 100)  # ceiling, in integers

    @property
    def quorum_met(self) -> bool:
        return self.eligible > 0 and self.counted >= self.needed


def quorum_rule(meeting: Meeting) -> tuple[int, bool]:
    """(required percent, majority) for this meeting."""
    if meeting.kind == Meeting.Kind.EXTRAORDINARY:
        return 50, True
    if meeting.adjourned_from_id:
        return settings.ASSEMBLY_ADJOURNED_QUORUM_PERCENT, False
    return settings.ASSEMBLY_QUORUM_PERCENT, False


def _present(meeting: Meeting):
    return Registration.objects.filter(meeting=meeting).values("member_id")


def _represented(meeting: Meeting):
    """The accepted proxies whose holder is present and whose principal is not: each counts its principal once."""
    present_ids = _present(meeting)
    return Proxy.objects.filter(meeting=meeting, status=Proxy.Status.ACCEPTED, holder_id__in=present_ids).exclude(
        principal_id__in=present_ids
    )


def counted_member_ids(meeting: Meeting) -> set[int]:
    """The members `attendance` counts (its `counted`), by id: present in person, or represented by the present
    holder of their accepted proxy. The room's paper ballots are theirs (ballots.paper)."""
    present = set(_present(meeting).values_list("member_id", flat=True))
    return present | set(_represented(meeting).values_list("principal_id", flat=True))


def attendance(meeting: Meeting) -> Attendance:
    """The meeting's attendance now, in three counting queries."""
    represented = _represented(meeting).count()
    required_percent, majority = quorum_rule(meeting)
    return Attendance(
        eligible=meeting.eligible.count(),
        present=Registration.objects.filter(meeting=meeting).count(),
        represented=represented,
        required_percent=required_percent,
        majority=majority,
    )
