"""The portal's URLs under another prefix: a test swaps ROOT_URLCONF to it."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("members_portal.urls"))]
