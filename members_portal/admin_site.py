from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from members import roles


class AdministratorAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in admits the administrator role, whatever the account's is_staff flag says."""

    def confirm_login_allowed(self, user) -> None:
        if not user.is_active or not roles.has_role(user, roles.Role.ADMINISTRATOR):
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login", params={"username": ""})


class PortalAdminSite(admin.AdminSite):
    """Django admin, for holders of the administrator role only (not for every account with is_staff).

    The role is the only key: what the administrator may do inside comes from the role's group permissions
    (members.permissions), so an account given the role through the user page can administer at once.
    """

    site_header = _("Najran Coffee Cooperative: administration")
    site_title = _("Members portal administration")
    index_title = _("Catalogue, departments, calendars and accounts")
    login_form = AdministratorAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and roles.has_role(request.user, roles.Role.ADMINISTRATOR)
