from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Service requests")

    def ready(self) -> None:
        from members import slots
        from requests_app import member_scope, selectors

        slots.register_applicant_link(selectors.membership_application_link)
        slots.register_member_scope(member_scope.members_of_departments)
