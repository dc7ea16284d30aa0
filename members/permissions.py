"""What each role may do in the Django admin: defined here once, granted to the role's group after every migrate.

Roles are Django groups (members.roles), so a permission held by the group is held by everyone given the role,
whichever way the role was given (the admin's user page, activation, the demo). `grant_role_permissions` runs
after every `migrate` (members.apps) and sets each group to exactly this table: a fresh database, the demo and
production hold the same rights, and a permission removed here is taken back at the next deployment.
"""

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from members.roles import Role

EVERYTHING = ("add", "change", "delete", "view")
READ = ("view",)

# app label → model → the admin actions the administrator may take. Read only where the record is kept by the
# portal's own services (requests, the access log, survey answers); kept here where administrators own the data.
# The apps above members add their own models' rows from their AppConfig.ready() (add_role_permissions), so this
# module never names them.
ADMINISTRATOR_MODELS: dict[str, dict[str, tuple[str, ...]]] = {
    "auth": {"group": READ},
    "account": {"emailaddress": ("change", "view")},  # allauth: the addresses accounts sign in with
    # allauth.mfa: an administrator removes a lost authenticator; its owner then sets up a new one at sign-in.
    "mfa": {"authenticator": ("delete", "view")},
    "members": {
        "user": ("add", "change", "view"),
        "member": ("add", "change", "view"),
        "accesslog": READ,
        "correctionrequest": ("change", "view"),
        "memberimport": READ,
    },
}


def model_permissions(models: dict[str, dict[str, tuple[str, ...]]]) -> tuple[str, ...]:
    return tuple(
        f"{app_label}.{action}_{model}"
        for app_label, app_models in models.items()
        for model, actions in app_models.items()
        for action in actions
    )


SEND_ANNOUNCEMENT = "members.send_announcement"

# Role → "app_label.codename" permissions. Roles not listed hold none: they act through the portal's pages,
# whose views check the role itself.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.ADMINISTRATOR: (*model_permissions(ADMINISTRATOR_MODELS), SEND_ANNOUNCEMENT),
    Role.SUPERVISOR: (SEND_ANNOUNCEMENT,),
}


def add_role_permissions(role: Role, names: Iterable[str]) -> None:
    """An app above members gives a role permissions on its own models (from its AppConfig.ready(), before any
    migrate grants the table). Adding the same names again changes nothing."""
    held = ROLE_PERMISSIONS.get(role, ())
    ROLE_PERMISSIONS[role] = (*held, *(name for name in dict.fromkeys(names) if name not in held))


def _lookup(names: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return condition


def grant_role_permissions(*, using: str = "default") -> None:
    """Give each role's group exactly the permissions of ROLE_PERMISSIONS (creating groups that are missing).

    Idempotent. Raises ImproperlyConfigured when the table names a permission that does not exist (a typo or a
    renamed model), so the mistake stops `migrate` instead of silently granting less.
    """
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        names = ROLE_PERMISSIONS.get(role, ())
        permissions = list(Permission.objects.using(using).filter(_lookup(names))) if names else []
        if len(permissions) != len(set(names)):
            found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
            raise ImproperlyConfigured(f"Unknown permissions for {role.value}: {sorted(set(names) - found)}")
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        group.permissions.set(permissions)


def grant_after_migrate(sender, *, using: str = "default", apps=None, **kwargs) -> None:
    """post_migrate receiver: Django makes the models' permissions after migrating; make them all, then grant."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    grant_role_permissions(using=using)
