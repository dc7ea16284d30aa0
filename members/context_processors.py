from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from members.roles import roles_of


def roles(request: HttpRequest) -> dict:
    """`roles.member`, `roles.staff`, … in every template; no query unless a template asks."""
    user = getattr(request, "user", None)
    return {"roles": SimpleLazyObject(lambda: {role.value: True for role in roles_of(user)})}


def inbox(request: HttpRequest) -> dict:
    """`inbox_unread` for the bell in the header: one COUNT query, run only when a template reads it."""
    user = getattr(request, "user", None)

    def unread() -> int:
        if user is None or not user.is_authenticated:
            return 0
        from members.outbox import unread_count

        return unread_count(user)

    return {"inbox_unread": SimpleLazyObject(unread)}
