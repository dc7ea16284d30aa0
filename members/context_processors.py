from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from members.roles import roles_of


def roles(request: HttpRequest) -> dict:
    """`roles.member`, `roles.staff`, … in every template; no query unless a template asks."""
    user = getattr(request, "user", None)
    return {"roles": SimpleLazyObject(lambda: {role.value: True for role in roles_of(user)})}
