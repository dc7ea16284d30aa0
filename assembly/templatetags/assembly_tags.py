"""`{% next_meeting %}`: the member's next General Assembly meeting on their home page, with its agenda;
`{% past_minutes %}`: the minutes of the meetings held; `{% governance_calendar %}`: the board's calendar of the
law's deadlines before the annual Assembly."""

from django import template

from assembly import approval, calendar, selectors
from members.roles import Role, has_role

register = template.Library()


@register.inclusion_tag("assembly/_next_meeting.html", takes_context=True)
def next_meeting(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"meeting": selectors.next_meeting_for(user) if user is not None else None}


@register.inclusion_tag("assembly/_door_today.html", takes_context=True)
def door_today(context) -> dict:
    """Staff and the board on their home page, on a meeting's day: the way to the door desk."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"meetings": selectors.meetings_today_for_desk(user) if user is not None else []}


@register.inclusion_tag("assembly/_meeting_day.html")
def meeting_day(meeting) -> dict:
    """The board's meeting page on and after the day: the desk, the quorum panel, the adjournment and its links."""
    return selectors.meeting_day(meeting)


@register.inclusion_tag("assembly/_past_minutes.html", takes_context=True)
def past_minutes(context) -> dict:
    """The minutes of the held meetings the member was eligible for, newest first (the board: every one)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"meetings": selectors.minutes_for(user) if user is not None else []}


@register.inclusion_tag("assembly/_governance_calendar.html", takes_context=True)
def governance_calendar(context) -> dict:
    """The board's home: the law's chain from the year end to the annual Assembly, with its warnings."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not has_role(user, Role.BOARD):
        return {"chain": None}
    return {"chain": calendar.for_board()}


@register.simple_tag(takes_context=True)
def may_approve_minutes(context, meeting) -> bool:
    """The minutes page's approval form: for the chair of the meeting or a board member, once, when rendered."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or meeting.minutes_approved_at or not meeting.minutes:
        return False
    return approval.may_approve(meeting, user)
