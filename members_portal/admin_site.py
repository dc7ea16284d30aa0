from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from members import roles


class PortalAdminSite(admin.AdminSite):
    """Django admin, for administrators only (not for every account with is_staff)."""

    site_header = _("Najran Coffee Cooperative: administration")
    site_title = _("Members portal administration")
    index_title = _("Catalogue, departments, calendars and accounts")

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and roles.has_role(request.user, roles.Role.ADMINISTRATOR)
