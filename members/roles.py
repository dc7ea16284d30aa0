"""Roles are Django groups. The one way to ask about them: `has_role`, `role_required`, and `roles` in templates."""

from collections.abc import Callable
from functools import cache, wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    APPLICANT = "applicant", _("Membership applicant")
    STAFF = "staff", _("Staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    BOARD = "board", _("Board member")
    ADMINISTRATOR = "administrator", _("Administrator")


def roles_of(user) -> frozenset[Role]:
    """The roles a user holds, read once per user object. A supervisor is staff too; a superuser administers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        held = {Role(name) for name in _group_names(user) if name in Role.values}
        if Role.SUPERVISOR in held:
            held.add(Role.STAFF)
        if user.is_superuser:
            held.add(Role.ADMINISTRATOR)
        cached = user._portal_roles = frozenset(held)
    return cached


def _group_names(user) -> list[str]:
    """The names of the user's groups, asked on every request (a role taken away takes effect at the next click).
    One plain statement: the ORM took about 1 ms to build this join through the related manager, three times the
    time of running it, on every page."""
    with connection.cursor() as cursor:
        cursor.execute(_group_names_sql(), [user.pk])
        return [name for (name,) in cursor.fetchall()]


GROUP_NAMES = "SELECT g.{name} FROM {groups} g JOIN {link} l ON l.{group} = g.{id} WHERE l.{user} = %s"


@cache
def _group_names_sql() -> str:
    """GROUP_NAMES with the tables' and columns' names read from the models (the user's id is a parameter)."""
    link = get_user_model().groups.through._meta
    q = connection.ops.quote_name
    return GROUP_NAMES.format(
        name=q("name"),
        groups=q(Group._meta.db_table),
        link=q(link.db_table),
        group=q(link.get_field("group").column),
        id=q("id"),
        user=q(link.get_field("user").column),
    )


def has_role(user, *wanted: Role) -> bool:
    """True when the user holds at least one of the wanted roles."""
    return not roles_of(user).isdisjoint(wanted)


def role_required(*wanted: Role) -> Callable:
    """View decorator: sign-in first, then one of the roles, else 403. A page only privileged roles open asks for
    the second factor first when the role came after sign-in (members.two_factor)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            held = roles_of(request.user).intersection(wanted)
            if not held:
                raise PermissionDenied
            from members import two_factor

            if held <= set(two_factor.PRIVILEGED) and two_factor.needs_second_factor_now(request):
                return two_factor.ask_for_second_factor(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
