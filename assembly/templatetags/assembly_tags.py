"""`{% next_meeting %}`: the member's next General Assembly meeting on their home page, with its agenda."""

from django import template

from assembly import selectors

register = template.Library()


@register.inclusion_tag("assembly/_next_meeting.html", takes_context=True)
def next_meeting(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"meeting": selectors.next_meeting_for(user) if user is not None else None}
