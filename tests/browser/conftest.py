"""Browser-test harness: Playwright's Python package driving Debian's Chromium (never a downloaded browser).

Fixtures: `page` (pytest-playwright, Arabic locale, desktop size), `phone_page` (360 x 740, touch),
`new_context` (pytest-playwright). Helpers to import: tests.browser.helpers (axe_check, login, save_screenshot).
Mark tests `@pytest.mark.browser` and `@pytest.mark.django_db(transaction=True)`; use `live_server`.

Without Chromium the browser tests skip with a message, except when CI=true: there they fail.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        message = (
            f"Chromium not found at {CHROMIUM}: browser tests need Debian's chromium "
            "(apt-get install chromium) or CHROMIUM_PATH pointing at one."
        )
        if running_in_ci():
            pytest.fail(message + " CI=true, so browser tests are mandatory.", pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # No viewport here: phone_page passes its own.
    return {**browser_context_args, "locale": "ar-SA", "timezone_id": "Asia/Riyadh"}


@pytest.fixture
def phone_page(new_context):
    """A page in a phone-sized context: 360 x 740, touch, mobile viewport meta honoured."""
    context = new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    return context.new_page()
