"""Helpers for browser tests: axe-core check, sign-in, screenshots.

from tests.browser.helpers import axe_check, login, save_screenshot
"""

from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page

AXE_SOURCE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}
_axe_source: str | None = None


def _axe() -> str:
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_SOURCE_PATH.read_text(encoding="utf-8")
    return _axe_source


def axe_check(page: Page, *, exclude: list[str] | None = None) -> list[dict]:
    """Run axe-core on the page as it is now; fail on any serious or critical violation.

    axe is injected with page.evaluate: the portal's CSP blocks add_script_tag (an inline script without nonce).
    Returns the minor and moderate violations, for a test that wants to look at them.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe())
    violations = page.evaluate(
        """async ([tags, exclude]) => {
            const context = exclude.length ? {include: [document], exclude: exclude.map((s) => [s])} : document;
            const result = await axe.run(context, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
                summary: v.nodes.length ? v.nodes[0].failureSummary : "",
            }));
        }""",
        [AXE_TAGS, exclude or []],
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe-core found {len(blocking)} serious or critical violation(s) on {page.url}:"]
        for v in blocking:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"    at {target}" for target in v["targets"])
            if v["summary"]:
                lines.append("    " + v["summary"].replace("\n", "\n    "))
        raise AssertionError("\n".join(lines))
    return violations


def totp_code_for(email_or_phone: str) -> str:
    """The code the account's authenticator app shows now (staff, board, administrators: members/two_factor.py).

    The code is marked unused first: allauth refuses a code twice in its 30 s, and tests sign the same person in
    again within seconds."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import decrypt
    from django.core.cache import cache
    from django.db.models import Q

    from members import limits
    from members.two_factor import current_totp_code

    sign_in_name = limits.identifier(email_or_phone)
    authenticator = Authenticator.objects.get(
        Q(user__email__iexact=sign_in_name) | Q(user__phone=sign_in_name), type=Authenticator.Type.TOTP
    )
    code = current_totp_code(decrypt(authenticator.data["secret"]))
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code


def login(page: Page, live_server, email_or_phone: str, password: str) -> None:
    """Sign in through the real sign-in page, in whatever language the browser has chosen; fail if it does not work.
    Staff, board and administrators then type their authenticator app's code, as people do."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(email_or_phone)
    page.locator("#id_password").fill(password)
    submit = page.locator("form:has(#id_password) button[type=submit]").first
    with page.expect_navigation():
        submit.click()
    for _ in range(2):  # a code typed just as its 30 s ran out is refused, as on a phone: type the next one
        if "/accounts/2fa/authenticate/" not in page.url:
            break
        page.locator("#id_code").fill(totp_code_for(email_or_phone))
        with page.expect_navigation():
            page.locator("form:has(#id_code) button[type=submit]").first.click()
    if "/accounts/login/" in page.url or "/accounts/2fa/authenticate/" in page.url:
        problems = page.locator(".alert, .invalid-feedback, .errorlist").all_inner_texts()
        raise AssertionError(f"sign-in as {email_or_phone} failed; the page says: {problems}")


def screenshot_path(name: str) -> Path:
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG to <VAR_DIR>/screenshots/<name>.png (var/screenshots by default) and return its path."""
    path = screenshot_path(name)
    page.screenshot(path=str(path), full_page=full_page)
    return path
