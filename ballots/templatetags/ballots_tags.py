from django import template

from ballots import paper, selectors
from ballots.models import Question
from members.roles import Role, has_role

register = template.Library()


@register.inclusion_tag("ballots/_open_ballots.html", takes_context=True)
def open_ballots(context) -> dict:
    """The home page: the meetings where the member may vote in secret now; for the board, the meetings whose secret
    questions it prepares, opens and closes (published, not yet begun)."""
    user = getattr(context.get("request"), "user", None)
    member = getattr(user, "member", None) if user is not None and user.is_authenticated else None
    voting = selectors.meetings_open_to(member) if member is not None and has_role(user, Role.MEMBER) else []
    officer = selectors.meetings_for_officers() if user is not None and has_role(user, Role.BOARD) else []
    return {"voting": voting, "officer": officer, "open_status": Question.Status.OPEN}


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
