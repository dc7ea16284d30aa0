from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Service requests")

    def ready(self) -> None:
        from members import notification_texts, permissions, slots
        from members.roles import Role
        from requests_app import (
            member_replies,
            member_scope,
            reference_data,  # noqa: F401 (its kinds watch their models from now on)
            selectors,
        )
        from requests_app.permissions import ADMINISTRATOR_MODELS

        slots.register_applicant_link(selectors.membership_application_link)
        slots.register_member_scope(member_scope.members_of_departments)
        slots.register_open_requests(member_scope.members_with_open_requests)
        slots.register_member_requests(member_scope.member_requests)
        slots.register_reply_receiver(member_replies.land_reply)
        permissions.add_role_permissions(Role.ADMINISTRATOR, permissions.model_permissions(ADMINISTRATOR_MODELS))
        notification_texts.register_template_folder("requests_app/notifications")
