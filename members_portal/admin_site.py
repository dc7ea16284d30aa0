from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
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

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """No sign-in of its own: the portal's, with its limits and the second factor, then back here."""
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise PermissionDenied  # signed in, not an administrator: a 403, never a loop through sign-in
            return redirect("admin:index")
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index")
        return redirect_to_login(next_url, login_url=reverse("account_login"))

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and roles.has_role(request.user, roles.Role.ADMINISTRATOR)
