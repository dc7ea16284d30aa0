"""The portal's URLs plus one view that fails, to see the 500 page a person would get."""

from django.urls import path

from members_portal.urls import urlpatterns as portal_urlpatterns


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [*portal_urlpatterns, path("broken/", broken_view)]
