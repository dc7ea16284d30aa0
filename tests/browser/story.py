"""Steps the journey tests share: a phone of one's own for each person, and the checks every page of a story gets.

from tests.browser.story import phone, visit
"""

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.helpers import axe_check, save_screenshot


def phone(new_context) -> Page:
    """A person's own phone: 360 x 740, touch, Arabic (the session's locale), signed in as nobody yet."""
    return new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True).new_page()


def visit(page: Page, name: str) -> None:
    """Every page of a story: Arabic, right to left, nothing wider than the phone, accessible; a screenshot kept."""
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT["width"], f"{page.url} scrolls sideways on a phone ({width} px)"
    axe_check(page)
    save_screenshot(page, f"journey-{name}")
