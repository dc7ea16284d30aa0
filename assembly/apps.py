from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssemblyConfig(AppConfig):
    name = "assembly"
    verbose_name = _("General Assembly")

    def ready(self) -> None:
        from assembly.permissions import ADMINISTRATOR_MODELS
        from members import notification_texts, permissions
        from members.roles import Role

        permissions.add_role_permissions(Role.ADMINISTRATOR, permissions.model_permissions(ADMINISTRATOR_MODELS))
        notification_texts.register_template_folder("assembly/notifications")
