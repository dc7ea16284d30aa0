"""Demo nominations for the board: the drafted meeting's board election takes nominations. Two members stood (one
nominated themselves, the board entered the other), and the board disqualified a third with the reason the candidate
reads. The README's member has not stood: their page offers «رشّح نفسي».

Runs after assembly.demo. Idempotent: a second run finds the nominations and changes nothing.
"""

from assembly import services as assembly_services
from assembly.models import AgendaItem, Meeting
from ballots import nominations
from ballots.models import Nomination
from members.models import User
from members.roles import Role

DISQUALIFIED_REASON = "لم يمضِ على عضويته في الجمعية سنة كاملة حتى تاريخ الترشح"


def seed(stdout) -> list[tuple[str, str, str]]:
    meeting = (
        Meeting.objects.filter(status=Meeting.Status.DRAFT, agenda_items__kind=AgendaItem.Kind.BOARD_ELECTION)
        .order_by("pk")
        .first()
    )
    if meeting is None or Nomination.objects.filter(meeting=meeting).exists():
        stdout.write("  Nominations for the board: already there")
        return []
    board = User.objects.get(email="board@najran-coffee.example")
    standing = list(
        assembly_services.eligible_members()
        .exclude(user__phone="+966500000201")
        .exclude(user__groups__name=Role.BOARD)
        .filter(user__isnull=False)
        .order_by("membership_no")[:3]
    )
    itself, entered, refused = standing
    nominations.nominate(meeting=meeting, member=itself, by=itself.user)
    nominations.nominate(meeting=meeting, member=entered, by=board)
    nominations.disqualify(
        nomination=nominations.nominate(meeting=meeting, member=refused, by=refused.user),
        by=board,
        reason=DISQUALIFIED_REASON,
    )
    stdout.write("  Nominations for the board: two standing, one disqualified with its reason")
    return []
