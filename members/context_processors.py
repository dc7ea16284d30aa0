from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, cached_property

from members.roles import Role, roles_of


def roles(request: HttpRequest) -> dict:
    """`roles.member`, `roles.staff`, … in every template; no query unless a template asks. Every role is a key,
    True or False: the template engine looks a missing key up four more ways (attribute, `dir`, list index) before
    it gives up, and the header asks for each role it does not hold (a tenth of the header's time)."""
    user = getattr(request, "user", None)
    return {"roles": SimpleLazyObject(lambda: _every_role(user))}


def _every_role(user) -> dict[str, bool]:
    held = roles_of(user)
    return {role.value: role in held for role in Role}


class _InboxBell:
    """`inbox_bell.unread`: counted on first use (one COUNT query), then remembered for the request."""

    def __init__(self, user) -> None:
        self._user = user

    @cached_property
    def unread(self) -> int:
        if self._user is None or not self._user.is_authenticated:
            return 0
        from members.outbox import unread_count

        return unread_count(self._user)


def inbox(request: HttpRequest) -> dict:
    """The bell in the header: no query unless a template reads `inbox_bell.unread`."""
    return {"inbox_bell": _InboxBell(getattr(request, "user", None))}
