from django.contrib import admin
from django.urls import include, path

from members import member_views, outbox_views
from members_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ready", views.readiness, name="readiness"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before allauth's own: the mobile is changed through the register, not by the account holder alone.
    path("accounts/phone/change/", member_views.phone_change, name="account_change_phone"),
    path("accounts/email/", member_views.email_change, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("members/", include("members.urls")),
    path("surveys/", include("surveys.urls")),
    path("requests/", include("requests_app.urls")),
    path("assembly/", include("assembly.urls")),
    path("ballots/", include("ballots.urls")),
    # The SMS providers' delivery reports (their servers call these, checked by a shared secret).
    path("messaging/", include("messaging.urls")),
    # Short links for text messages (SMS has little room): a message, an announcement.
    path("n/<str:token>/", outbox_views.notification_link, name="notification-link"),
    path("a/<int:pk>/", outbox_views.announcement_link, name="announcement-link"),
]
