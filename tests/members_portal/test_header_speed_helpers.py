"""What the header uses to render fast on every page must not change what it shows: `{% fixed_url %}` gives what
`{% url %}` gives, under any script prefix, and `roles` answers every role, True only for those held."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import clear_script_prefix, reverse, set_script_prefix

from members.context_processors import roles
from members.roles import Role
from tests.members.factories import UserFactory

NAMES = ["home", "requests_app:queue", "members:directory", "account_logout", "surveys:board-dashboard"]


def test_a_fixed_url_is_the_reversed_url_under_each_script_prefix():
    template = Template("{% load fixed_urls %}" + "|".join(f"{{% fixed_url '{name}' %}}" for name in NAMES))
    try:
        for prefix in ("/", "/portal/", "/"):  # one after the other in one process: a cached address must not leak
            set_script_prefix(prefix)
            rendered = template.render(Context())
            assert rendered.split("|") == [reverse(name) for name in NAMES]
            assert rendered.startswith(prefix)
    finally:
        clear_script_prefix()


def test_a_fixed_url_follows_a_new_url_configuration(settings):
    template = Template("{% load fixed_urls %}{% fixed_url 'home' %}")
    assert template.render(Context()) == "/"

    settings.ROOT_URLCONF = "tests.members_portal.prefixed_urls"

    assert template.render(Context()) == "/elsewhere/"


@pytest.mark.django_db
def test_roles_answers_every_role_true_only_for_those_held():
    request = RequestFactory().get("/")
    request.user = UserFactory(roles=[Role.SUPERVISOR])

    held = roles(request)["roles"]

    assert {role.value for role in Role if held[role.value]} == {Role.SUPERVISOR, Role.STAFF}
    rendered = Template("{% if roles.staff %}S{% endif %}{% if roles.member %}M{% endif %}").render(
        Context({"roles": held})
    )
    assert rendered == "S"
