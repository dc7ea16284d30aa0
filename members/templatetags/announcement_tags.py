"""`{% home_announcements %}`: the latest announcements a signed-in member received, for the home page."""

from django import template

from members import announcements

register = template.Library()

HOME_COUNT = 3


@register.inclusion_tag("members/announcement_home.html", takes_context=True)
def home_announcements(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"items": []}
    return {"items": list(announcements.for_member(user)[:HOME_COUNT])}
