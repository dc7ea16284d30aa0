"""Every URL name the project reverses (templates' {% url %} and {% fixed_url %}, reverse/redirect in code) names a
real URL: a link to a page that does not exist is found here, not by a person who clicks it."""

import re
from pathlib import Path

import pytest
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parents[2]
CODE = ["members", "members_portal", "requests_app", "surveys"]
TEMPLATE_NAME = re.compile(r"""{%\s*(?:url|fixed_url)\s+["']([^"']+)["']""")
CODE_NAME = re.compile(r"""\b(?:reverse|reverse_lazy|redirect|resolve_url)\(\s*["']([\w:-]+)["']""")
# Any string literal that reads "<app namespace>:<name>", wherever it is kept (a tuple of names to try, a setting).
NAMESPACED = re.compile(r"""["']((?:members|requests_app|surveys):[a-z][\w-]*)["']""")


def names_used() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    files = [(path, TEMPLATE_NAME) for path in (ROOT / "templates").rglob("*.html")]
    files += [
        (path, pattern)
        for folder in CODE
        for path in (ROOT / folder).rglob("*.py")
        for pattern in (CODE_NAME, NAMESPACED)
    ]
    for path, pattern in files:
        for name in pattern.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return used


def url_name_exists(name: str) -> bool:
    resolver = get_resolver()
    *namespaces, view_name = name.split(":")
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return False
        resolver = resolver.namespace_dict[namespace][1]
    return view_name in resolver.reverse_dict


def test_the_scan_finds_the_names_it_should():
    used = names_used()

    assert "requests_app:request-detail" in used
    assert "members:profile" in used
    assert len(used) > 60


@pytest.mark.parametrize("name", sorted(names_used()))
def test_every_url_name_used_exists(name):
    assert url_name_exists(name), f"{name} is used in {sorted(names_used()[name])} but no URL has that name"


def test_a_missing_name_is_caught():
    assert not url_name_exists("requests_app:apply-membership")
    assert not url_name_exists("no-such-namespace:page")
