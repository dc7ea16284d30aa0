"""Every page of the portal, as the person who uses it, in Arabic and in English, on a 360 px phone.

On the demo data (the README's accounts, hundreds of requests, a year of answers) each page must: fit the screen
(the document is never wider than 360 px), pass axe, keep reference numbers, dates and other Latin runs on one
line, and keep the header on one row. A desktop pass checks the expanded header does not wrap at 1280 px.
`test_every_page_is_listed` fails when a URL is added without being visited here (or excluded with a reason).
"""

import re
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from assembly.models import Meeting
from members.demo import synthetic_national_id
from members.models import Announcement, Member, User
from requests_app import receipts
from requests_app.models import Receipt, RequestType, ServiceRequest
from surveys.models import Suggestion
from tests.browser.helpers import axe_check, login, save_screenshot
from tests.browser.not_pages import NOT_PAGES
from tests.seed_data import restore_seed_data

Status = ServiceRequest.Status
PASSWORD = "Qahwa-Najran-2026"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

ACCOUNTS = {
    "member": "0500000201",
    "applicant": "0500000105",
    "staff": "staff@najran-coffee.example",
    "supervisor": "supervisor@najran-coffee.example",
    "board": "board@najran-coffee.example",
    "administrator": "admin@najran-coffee.example",
}


@dataclass
class Visit:
    who: str | None  # an ACCOUNTS key, or None for a visitor who is not signed in
    name: str
    url: str


def _url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
                if pattern.namespace != "admin":
                    walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), "")
    return names


def _demo_visits(survey_link: str) -> list[Visit]:
    """Every page, with real objects of the demo for the pages that show one."""
    member = Member.objects.select_related("user").get(user__phone="+966500000201")
    own = ServiceRequest.objects.filter(member=member).order_by("-submitted_at")
    requestable = RequestType.objects.filter(active=True, needs_board_decision=False).order_by("code").first()
    staff = User.objects.get(email=ACCOUNTS["staff"])
    worked = ServiceRequest.objects.filter(department__memberships__user=staff).order_by("-submitted_at").first()
    pending_board = ServiceRequest.objects.filter(status=Status.PENDING_BOARD_DECISION).order_by("pk").first()
    announcement = Announcement.objects.order_by("pk").first()
    suggestion = Suggestion.objects.order_by("month").first()
    receipt = Receipt.objects.order_by("pk").first()
    closed = own.filter(status__in=[Status.COMPLETED, Status.REJECTED]).first()
    meeting = Meeting.objects.filter(status=Meeting.Status.PUBLISHED).order_by("pk").first()
    draft = Meeting.objects.filter(status=Meeting.Status.DRAFT).order_by("pk").first()
    upcoming = Meeting.objects.filter(status=Meeting.Status.PUBLISHED).order_by("starts_at").first()
    held = Meeting.objects.filter(status=Meeting.Status.HELD).order_by("pk").first()
    visits = [
        Visit(None, "home", reverse("home")),
        Visit(None, "privacy", reverse("privacy")),
        Visit(None, "account_login", reverse("account_login")),
        Visit(None, "account_request_login_code", reverse("account_request_login_code")),
        Visit(None, "account_reset_password", reverse("account_reset_password")),
        Visit(None, "account_reset_password_done", reverse("account_reset_password_done")),
        Visit(None, "account_reset_password_from_key_done", reverse("account_reset_password_from_key_done")),
        Visit(None, "account_inactive", reverse("account_inactive")),
        Visit(None, "account_email_verification_sent", reverse("account_email_verification_sent")),
        Visit(None, "members:activate", reverse("members:activate")),
        Visit(None, "members:register", reverse("members:register")),
        Visit(None, "members:password-forgot", reverse("members:password-forgot")),
        Visit(None, "requests_app:guide", reverse("requests_app:guide")),
        Visit(None, "requests_app:guide-service", reverse("requests_app:guide-service", args=[requestable.code])),
        Visit(
            None,
            "requests_app:receipt-verify",
            reverse("requests_app:receipt-verify", args=[receipts.verification_token(receipt)]),
        ),
        Visit(None, "surveys:survey-answer", survey_link),
        Visit(None, "surveys:adopted-list", reverse("surveys:adopted-list")),
        Visit("member", "home", reverse("home")),
        Visit("member", "members:profile", reverse("members:profile")),
        Visit("member", "members:preferences", reverse("members:preferences")),
        Visit("member", "members:correction-new", reverse("members:correction-new")),
        Visit("member", "members:data-export", reverse("members:data-export")),
        Visit("member", "members:inbox", reverse("members:inbox")),
        Visit("supervisor", "members:announcement-list", reverse("members:announcement-list")),
        Visit("member", "members:announcement-detail", reverse("members:announcement-detail", args=[announcement.pk])),
        Visit("member", "requests_app:request-list", reverse("requests_app:request-list")),
        Visit("member", "requests_app:draft-list", reverse("requests_app:draft-list")),
        Visit("member", "requests_app:request-submit", reverse("requests_app:request-submit", args=[requestable.code])),
        Visit(
            "member", "requests_app:request-detail", reverse("requests_app:request-detail", args=[own[0].reference_no])
        ),
        Visit("member", "surveys:suggestion-create", reverse("surveys:suggestion-create")),
        Visit("member", "account_change_password", reverse("account_change_password")),
        Visit("member", "account_email", reverse("account_email")),
        Visit("member", "account_change_phone", reverse("account_change_phone")),
        Visit("member", "account_verify_phone", reverse("account_verify_phone")),
        Visit("member", "account_set_password", reverse("account_set_password")),
        Visit("member", "account_reauthenticate", reverse("account_reauthenticate")),
        Visit("applicant", "members:profile", reverse("members:profile")),
        Visit("applicant", "requests_app:request-list", reverse("requests_app:request-list")),
        Visit("staff", "home", reverse("home")),
        Visit("staff", "requests_app:staff-home", reverse("requests_app:staff-home")),
        Visit("staff", "requests_app:queue", reverse("requests_app:queue")),
        Visit("staff", "requests_app:staff-request", reverse("requests_app:staff-request", args=[worked.reference_no])),
        Visit("staff", "requests_app:staff-request-new", reverse("requests_app:staff-request-new") + "?q=آل"),
        Visit(
            "staff",
            "requests_app:staff-request-new-form",
            reverse("requests_app:staff-request-new-form", args=[member.pk, requestable.code]),
        ),
        Visit("staff", "mfa_index", reverse("mfa_index")),
        Visit("staff", "members:directory", reverse("members:directory")),
        Visit("staff", "members:member-detail", reverse("members:member-detail", args=[member.pk])),
        Visit("staff", "members:correction-list", reverse("members:correction-list")),
        Visit("staff", "members:import-upload", reverse("members:import-upload")),
        Visit("staff", "surveys:my-results", reverse("surveys:my-results")),
        Visit("staff", "surveys:suggestion-list", reverse("surveys:suggestion-list")),
        Visit("staff", "surveys:suggestion-adopt", reverse("surveys:suggestion-adopt", args=[suggestion.pk])),
        Visit("supervisor", "home", reverse("home")),
        Visit("supervisor", "members:announcement-create", reverse("members:announcement-create")),
        Visit(
            "supervisor", "members:announcement-report", reverse("members:announcement-report", args=[announcement.pk])
        ),
        Visit("supervisor", "surveys:department-report", reverse("surveys:department-report")),
        Visit("supervisor", "requests_app:board-decisions", reverse("requests_app:board-decisions")),
        Visit("board", "home", reverse("home")),
        Visit("board", "surveys:board-dashboard", reverse("surveys:board-dashboard")),
        Visit("board", "surveys:quarterly-reports", reverse("surveys:quarterly-reports")),
        Visit("board", "messaging:delivery-summary", reverse("messaging:delivery-summary")),
        Visit("board", "requests_app:board-decisions", reverse("requests_app:board-decisions")),
        Visit("board", "assembly:meeting-list", reverse("assembly:meeting-list")),
        Visit("board", "assembly:meeting-create", reverse("assembly:meeting-create")),
        Visit("board", "assembly:meeting-detail", reverse("assembly:meeting-detail", args=[meeting.pk])),
        Visit("board", "assembly:meeting-delivery", reverse("assembly:meeting-delivery", args=[meeting.pk])),
        Visit("board", "assembly:meeting-documents", reverse("assembly:meeting-documents", args=[meeting.pk])),
        Visit("board", "assembly:meeting-edit", reverse("assembly:meeting-edit", args=[draft.pk])),
        Visit("board", "assembly:meeting-detail", reverse("assembly:meeting-detail", args=[draft.pk])),
        Visit("board", "ballots:meeting-nominations", reverse("ballots:meeting-nominations", args=[draft.pk])),
        Visit("member", "ballots:my-nominations", reverse("ballots:my-nominations")),
        Visit("member", "assembly:meeting-member", reverse("assembly:meeting-member", args=[meeting.pk])),
        Visit("member", "assembly:meeting-pass", reverse("assembly:meeting-pass", args=[upcoming.pk])),
        Visit("staff", "assembly:door-desk", reverse("assembly:door-desk", args=[upcoming.pk])),
        Visit("board", "assembly:meeting-quorum", reverse("assembly:meeting-quorum", args=[upcoming.pk])),
        Visit("board", "assembly:meeting-conduct", reverse("assembly:meeting-conduct", args=[held.pk])),
        Visit("member", "assembly:meeting-member", reverse("assembly:meeting-member", args=[held.pk])),
        Visit("administrator", "home", reverse("home")),
        Visit("administrator", "members:outbox-list", reverse("members:outbox-list")),
        Visit("administrator", "members:access-log", reverse("members:access-log")),
    ]
    if pending_board is not None:
        visits.append(
            Visit(
                "board",
                "requests_app:board-decision",
                reverse("requests_app:board-decision", args=[pending_board.reference_no]),
            )
        )
    if closed is not None:
        visits.append(
            Visit("member", "surveys:request-rate", reverse("surveys:request-rate", args=[closed.reference_no]))
        )
        visits.append(
            Visit(
                "member",
                "requests_app:request-cancel",
                reverse("requests_app:request-cancel", args=[own.filter(status=Status.SUBMITTED).first().reference_no]),
            )
            if own.filter(status=Status.SUBMITTED).exists()
            else None
        )
    returned = own.filter(status=Status.RETURNED_TO_MEMBER).first()
    if returned is not None:
        visits.append(
            Visit(
                "member",
                "requests_app:request-resubmit",
                reverse("requests_app:request-resubmit", args=[returned.reference_no]),
            )
        )
    return [visit for visit in visits if visit is not None]


# Pages reached only through a step before them (a session): visited by driving that step.
STEP_PAGES = {"members:activate-code", "members:register-code", "members:password-code", "members:import-preview"}
# Pages that need an object the demo may lack; the test says which it could not visit.
OPTIONAL = {"requests_app:board-decision", "surveys:request-rate", "requests_app:request-cancel",
            "requests_app:request-resubmit"}  # fmt: skip

LATIN_RUNS_WRAPPED = """() => [...document.querySelectorAll('[dir=ltr]')]
    .filter((el) => el.offsetParent !== null && !/\\s/.test(el.textContent.trim()) && el.textContent.trim())
    .filter((el) => el.getClientRects().length > 1 || el.getBoundingClientRect().height > 1.8 * parseFloat(getComputedStyle(el).lineHeight || 20))
    .map((el) => el.textContent.trim()).slice(0, 5)"""  # noqa: E501
# In a right-to-left page a request number or a date outside a left-to-right span reads backwards ("04-01-2027").
LATIN_RUNS_LOOSE = """() => {
    if (document.documentElement.dir !== 'rtl') return [];
    const pattern = /[A-Z]{2,5}-\\d{4}-\\d+|\\d{4}[-\\/]\\d{1,2}[-\\/]\\d{1,2}/;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const loose = [];
    while (walker.nextNode()) {
        const parent = walker.currentNode.parentElement;
        if (!parent || parent.offsetParent === null) continue;
        if (parent.closest('[dir=ltr], [lang=en], .visually-hidden, script, style, option, textarea, code')) continue;
        const found = walker.currentNode.textContent.match(pattern);
        if (found) loose.push(found[0]);
    }
    return loose.slice(0, 5);
}"""
WIDEST = """() => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 || el.getBoundingClientRect().left < -1)
    .filter((el) => !el.closest('.table-responsive, .overflow-auto, .visually-hidden, .collapse:not(.show), .dropdown-menu'))
    .slice(0, 3).map((el) => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().width) + 'px')"""  # noqa: E501
HEADER_ROWS = """() => {
    const bar = document.querySelector('.site-header .navbar > .container');
    const visible = [...bar.children].filter((el) => el.offsetParent !== null && !el.classList.contains('navbar-collapse'));
    const tops = visible.map((el) => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2));
    const items = [...document.querySelectorAll('#main-nav > ul:first-child > li')].filter((el) => el.offsetParent !== null);
    const navTops = new Set(items.map((el) => Math.round(el.getBoundingClientRect().top)));
    const wrapped = [...document.querySelectorAll('#main-nav .nav-link')].filter((el) => el.offsetParent !== null)
        .filter((el) => { const style = getComputedStyle(el);
            const inner = el.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
            return inner > 1.5 * parseFloat(style.lineHeight); }).map((el) => el.textContent.trim());
    return {barRows: new Set(tops.map((t) => Math.round(t / 8))).size, navRows: navTops.size, wrapped: wrapped,
            expanded: getComputedStyle(document.querySelector('#main-nav')).display !== 'none'};
}"""  # noqa: E501


def _problems_on(page, visit: Visit, language: str, width: int) -> list[str]:
    label = f"[{language} {width}px {visit.who or 'visitor'}] {visit.url}"
    problems = []
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"{label}: {scroll_width} px wide; widest: {page.evaluate(WIDEST)}")
    wrapped = page.evaluate(LATIN_RUNS_WRAPPED)
    if wrapped:
        problems.append(f"{label}: broken mid-token: {wrapped}")
    loose = page.evaluate(LATIN_RUNS_LOOSE)
    if loose:
        problems.append(f"{label}: outside a left-to-right span (reads backwards): {loose}")
    header = page.evaluate(HEADER_ROWS)
    if header["barRows"] > 1 or (header["expanded"] and header["navRows"] > 1):
        problems.append(f"{label}: the header wraps ({header})")
    try:
        axe_check(page)
    except AssertionError as failure:
        problems.append(f"{label}: {failure}")
    return problems


def _signed_in_pages(new_context, live_server, language: str, viewport: dict):
    """One browser context per person, signed in through the real sign-in page, in the language."""
    pages = {}

    def page_for(who: str | None):
        if who not in pages:
            context = new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            page = context.new_page()
            if who in ACCOUNTS:
                login(page, live_server, ACCOUNTS[who], PASSWORD)
            pages[who] = page
        return pages[who]

    return page_for


def _step_pages(page_for, live_server) -> list[tuple[object, Visit]]:
    """The pages behind a first step: the activation code, the registration code, the import preview."""
    reached = []
    visitor = page_for(None)
    visitor.goto(f"{live_server.url}{reverse('members:activate')}")
    visitor.locator("input[name=membership_no]").fill("10150")
    visitor.locator("input[name=national_id]").fill("1000001501")
    visitor.locator("main form button[type=submit]").first.click()
    visitor.wait_for_load_state()
    reached.append((visitor, Visit(None, "members:activate-code", visitor.url)))

    forgetting = page_for("forgetting")
    forgetting.goto(f"{live_server.url}{reverse('members:password-forgot')}")
    forgetting.locator("input[name=mobile]").fill(ACCOUNTS["member"])
    forgetting.locator("main form button[type=submit]").first.click()
    forgetting.wait_for_load_state()
    reached.append((forgetting, Visit(None, "members:password-code", forgetting.url)))

    registering = page_for("registering")
    registering.goto(f"{live_server.url}{reverse('members:register')}")
    registering.locator("input[name=national_id]").fill(synthetic_national_id(777))
    registering.locator("input[name=mobile]").fill("0555123456")
    registering.locator("input[name=full_name_ar]").fill("عبدالله بن سعد بن علي آل مريح")
    registering.locator("select[name=governorate]").select_option(index=1)
    registering.locator("input[name=agree]").check()
    registering.locator("main form button[type=submit]").first.click()
    registering.wait_for_load_state()
    reached.append((registering, Visit(None, "members:register-code", registering.url)))

    staff = page_for("staff")
    staff.goto(f"{live_server.url}{reverse('members:import-upload')}")
    staff.locator("input[type=file]").set_input_files(
        files=[{"name": "register.csv", "mimeType": "text/csv", "buffer": _register_csv()}]
    )
    staff.locator("main form button[type=submit]").first.click()
    staff.wait_for_load_state()
    reached.append((staff, Visit("staff", "members:import-preview", staff.url)))
    return reached


def _register_csv() -> bytes:
    return (
        "رقم العضوية,الاسم,رقم الهوية,الجوال,المحافظة,عدد الأسهم\n"
        "10001,عضو معدل الاسم,1000000013,0500000201,نجران,5\n"
        "99001,عضو جديد,1000099015,0555000001,نجران,3\n"
        "99002,صف فيه خطأ,123,0555000002,نجران,3\n"
    ).encode()


# The data migrations that seed what the demo builds on, in order: an earlier transactional test empties the tables.
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone_passes_axe_and_keeps_its_tokens_whole(new_context, live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    restore_seed_data()
    output = tmp_path / "demo.txt"
    with output.open("w", encoding="utf-8") as stream:
        call_command("load_demo", stdout=stream)
    survey_link = re.search(r"(/surveys/s/[\w-]+/)", output.read_text(encoding="utf-8")).group(1)
    visits = _demo_visits(survey_link)
    problems: list[str] = []
    seen: set[str] = set()
    for language in ("ar", "en"):
        page_for = _signed_in_pages(new_context, live_server, language, PHONE)
        steps = _step_pages(page_for, live_server)
        for visit in visits:
            page = page_for(visit.who)
            response = page.goto(f"{live_server.url}{visit.url}")
            if response.status != 200:
                problems.append(f"[{language}] {visit.who} {visit.url}: HTTP {response.status}")
                continue
            seen.add(visit.name)
            problems += _problems_on(page, visit, language, PHONE["width"])
            save_screenshot(page, f"every-page-{language}-{visit.who or 'visitor'}-{visit.name.replace(':', '-')}")
        for page, visit in steps:
            page.goto(visit.url)
            reached = resolve(urlparse(page.url).path).view_name
            if reached != visit.name:
                problems.append(f"[{language}] the step to {visit.name} ended on {reached}")
                continue
            seen.add(visit.name)
            problems += _problems_on(page, visit, language, PHONE["width"])
            save_screenshot(page, f"every-page-{language}-{visit.name.replace(':', '-')}")
        desktop_for = _signed_in_pages(new_context, live_server, language, DESKTOP)
        for who in ACCOUNTS:
            page = desktop_for(who)
            page.goto(f"{live_server.url}/")
            header = page.evaluate(HEADER_ROWS)
            if header["barRows"] > 1 or header["navRows"] > 1 or header["wrapped"]:
                problems.append(f"[{language} 1280px {who}] the header wraps: {header}")

    missing = _url_names() - set(NOT_PAGES) - seen - OPTIONAL
    assert not missing and not problems, "\n".join([f"pages never visited: {sorted(missing)}", *problems])


def test_every_page_is_listed():
    """A new URL must be visited by the test above, or named here as not a page, with the reason."""
    listed = set(NOT_PAGES) | STEP_PAGES | OPTIONAL | {visit_name for visit_name in _names_in_visits()}
    assert _url_names() - listed == set()
    assert set(NOT_PAGES) - _url_names() == set(), "named as not a page, yet no such route (removed: remove it here)"


def _names_in_visits() -> set[str]:
    """The URL names the visits above use (read from their source, so a page added there counts here)."""
    import inspect

    return set(re.findall(r'"([\w:-]+)"', inspect.getsource(_demo_visits))) & _url_names()
