from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class MembersPortalConfig(AppConfig):
    """The project package as an app: template tags, the demo command and templates. It has no models."""

    name = "members_portal"
    verbose_name = "Members portal"


class PortalAdminConfig(AdminConfig):
    default_site = "members_portal.admin_site.PortalAdminSite"
