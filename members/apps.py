from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and accounts")

    def ready(self) -> None:
        from members import permissions, session_guard, two_factor  # noqa: F401 (they connect their receivers)

        post_migrate.connect(
            permissions.grant_after_migrate, sender=self, dispatch_uid="members.grant_role_permissions"
        )
