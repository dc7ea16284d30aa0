from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys and reports")

    def ready(self) -> None:
        from members import notification_texts, permissions
        from members.roles import Role
        from requests_app import slots
        from surveys import receivers  # noqa: F401  (connects the request_completed/request_rejected receivers)
        from surveys.permissions import ADMINISTRATOR_MODELS

        permissions.add_role_permissions(Role.ADMINISTRATOR, permissions.model_permissions(ADMINISTRATOR_MODELS))
        slots.register_member_request_panel("surveys/_rate_button.html")
        notification_texts.register_template_folder("surveys/notifications")
