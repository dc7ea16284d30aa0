from django import template

from ballots import nominations, paper, selectors
from ballots.models import Question
from members.roles import Role, has_role

register = template.Library()


@register.inclusion_tag("ballots/_open_ballots.html", takes_context=True)
def open_ballots(context) -> dict:
    """The home page: the meetings where the member may vote in secret now; for the board, the meetings whose secret
    questions it prepares, opens and closes (published, not yet begun); standing for the board while nominations
    are open (or the member has stood), and for the board the nominations to review."""
    user = getattr(context.get("request"), "user", None)
    member = getattr(user, "member", None) if user is not None and user.is_authenticated else None
    voting = selectors.meetings_open_to(member) if member is not None and has_role(user, Role.MEMBER) else []
    board = user is not None and has_role(user, Role.BOARD)
    officer = selectors.meetings_for_officers() if board else []
    taking = list(nominations.meetings_taking_nominations().order_by("starts_at"))
    standing = member is not None and has_role(user, Role.MEMBER) and (taking or nominations.of_member(member).exists())
    return {
        "voting": voting,
        "officer": officer,
        "open_status": Question.Status.OPEN,
        "standing": standing,
        "review": (taking + [meeting for meeting in officer if nominations.has_election(meeting)]) if board else [],
    }


@register.inclusion_tag("ballots/_online_marks.html")
def online_marks(meeting, member) -> dict:
    """The door desk's mark for one member: per secret question of the meeting, "voted online" (no paper ballot for
    it) or "paper ballot". From THAT their slot was used, never how they voted."""
    if member is None:
        return {"marks": []}
    return {"marks": paper.marks(meeting, [member.pk]).get(member.pk, [])}


@register.simple_tag
def secret_questions_put(meeting) -> bool:
    """Whether the meeting has a secret question open or closed (the door and conduct pages then link the room's)."""
    return Question.objects.filter(meeting=meeting).exclude(status=Question.Status.DRAFT).exists()
