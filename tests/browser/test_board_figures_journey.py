"""The board's headline figures are true, told on 360 px phones in Arabic: a clerk completes a member's request, the
member answers the survey from the SMS link, and a board member reads this quarter's response rate and average
rating on the dashboard and in the CSV download. The test recomputes both from the rows themselves (invitations
created in the quarter and whether they were answered; answers given in the quarter), in plain Python, and compares.
The quarter's data has what made the old figure wrong: answers in the quarter to invitations of the quarter before,
invitations not answered yet, and a previous quarter that must not count. axe on every page visited."""

import csv
import datetime
import hashlib
import importlib
import io
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from members.models import Governorate
from members.roles import Role
from requests_app.models import ServiceRequest
from surveys.models import Invitation, Questionnaire, QuestionnaireVersion, Response
from surveys.reports.periods import QUARTER, Period, add_months, aware_midnight
from surveys.templatetags.board_tags import figure as shown_as
from tests.browser.helpers import login
from tests.browser.story import phone, visit
from tests.members.factories import PASSWORD
from tests.requests_app.factories import DepartmentFactory, MemberFactory, RequestTypeFactory, UserFactory
from tests.requests_app.staff_fixtures import make_request, staff_in
from tests.surveys.report_factories import answers, request_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = ServiceRequest.Status
SURVEY_SEED = importlib.import_module("surveys.migrations.0002_seed_default_questionnaire")
RATE_LABEL = "نسبة الاستجابة (الدعوات المُجاب عنها / الدعوات)"
AVERAGE_LABEL = "متوسط التقييم (من 1 إلى 5)"


@pytest.fixture
def sms_file(live_server, settings, tmp_path):
    """The SMS sink, and links in messages that point at the test's server."""
    settings.SITE_URL = live_server.url
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    return settings.SMS_FILE_PATH


@pytest.fixture
def seedlings(db):
    questionnaire, created = Questionnaire.objects.get_or_create(
        code="default", defaults={"name": "الاستبانة العامة", "is_default": True, **SURVEY_SEED.DEFAULT}
    )
    if created:
        QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, content=SURVEY_SEED.DEFAULT)
    department = DepartmentFactory(code="jb-extension", name_ar="الإرشاد الزراعي")
    return RequestTypeFactory(code="JB-01", name_ar="طلب شتلات بن", department=department, sla_days=5)


def invited(request_type, day: datetime.date, *, answered_in: datetime.date | None, overall: int = 4) -> None:
    """A request closed on `day`, its invitation created then, and (if answered) the anonymous answer given in the
    month of `answered_in`, as the survey service writes them."""
    service_request = request_in(request_type=request_type, submitted=day, status=Status.COMPLETED, closed=day)
    noon = aware_midnight(day) + datetime.timedelta(hours=12)
    Invitation.objects.create(
        member=service_request.member,
        service_request=service_request,
        questionnaire_version=QuestionnaireVersion.objects.order_by("pk").first(),
        token_hash=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
        origin=Invitation.Origin.COMPLETED,
        created_at=noon,
        expires_at=noon + datetime.timedelta(days=30),
        answered=answered_in is not None,
    )
    if answered_in is not None:
        answers(1, request_type=request_type, month=answered_in.replace(day=1), overall=overall)


def history(request_type, quarter: Period) -> None:
    """The quarter before: 8 invitations, 7 answered, 2 of those in this quarter. This quarter: 9 invitations, 6
    answered, ratings from 1 to 5. Each quarter has at least 5 answers (so neither is withheld for anonymity)."""
    first, now = quarter.start, timezone.localdate()
    before = add_months(first, -1)
    for index in range(8):
        answered_in = None if index == 7 else (first if index < 2 else before)
        invited(request_type, before + datetime.timedelta(days=index), answered_in=answered_in, overall=5)
    for index, overall in enumerate([5, 4, 2, 1, 3, 4, None, None, None]):
        day = min(first + datetime.timedelta(days=index), now)
        invited(request_type, day, answered_in=day if overall else None, overall=overall or 4)


def recomputed(quarter: Period) -> dict[str, float]:
    """From the rows, without the report's code: invitations created in the quarter (Riyadh days) and how many of
    them were answered; the overall rating of the answers given in the quarter."""
    created = [
        (timezone.localdate(row["created_at"]), row["answered"])
        for row in Invitation.objects.values("created_at", "answered")
    ]
    of_quarter = [answered for day, answered in created if quarter.start <= day < quarter.end]
    ratings = [
        row["overall"]
        for row in Response.objects.filter(source=Response.Source.REQUEST).values("month", "overall")
        if quarter.start <= row["month"] < quarter.end
    ]
    return {"response_rate": 100 * sum(of_quarter) / len(of_quarter), "average": sum(ratings) / len(ratings)}


def test_the_board_reads_a_response_rate_and_average_the_rows_bear_out(new_context, live_server, seedlings, sms_file):
    quarter = Period.current(QUARTER)
    history(seedlings, quarter)
    clerk = staff_in(seedlings.department, first_name="أمل", last_name="آل سالم")
    hamad = MemberFactory(
        full_name_ar="حمد بن علي آل منصور", mobile="+966551110021", sms_consent=True, governorate=Governorate.NAJRAN
    )
    service_request = make_request(seedlings, member=hamad, status=Status.UNDER_REVIEW)

    # The clerk completes Hamad's request; the survey invitation goes out with it.
    page = phone(new_context)
    login(page, live_server, clerk.email, PASSWORD)
    page.goto(live_server.url + reverse("requests_app:staff-request", args=[service_request.reference_no]))
    page.get_by_role("textbox", name="النتيجة").fill("سُلّمت 40 شتلة في مشتل الجمعية.")
    page.get_by_role("button", name="إكمال الطلب").click()
    expect(page.get_by_role("main")).to_contain_text("مكتمل")
    visit(page, "figures-completed")
    page.context.close()

    # Hamad opens the link of the SMS on his phone and rates the service «جيد».
    texts = [json.loads(line)["text"] for line in sms_file.read_text(encoding="utf-8").splitlines()]
    link = next(text.split()[-1] for text in texts if "/surveys/s/" in text)
    page = phone(new_context)
    page.goto(link)
    visit(page, "figures-survey")
    page.get_by_role("group", name="ما تقييمك العام للخدمة؟").get_by_text("جيد", exact=True).click()
    page.get_by_role("button", name="أرسل تقييمي").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("شكرًا لك على تقييمك")
    page.context.close()

    # The board member opens the reports: this quarter, by default.
    board = UserFactory(roles=[Role.BOARD], first_name="علي", last_name="آل حارث")
    page = phone(new_context)
    login(page, live_server, board.email, PASSWORD)
    page.goto(live_server.url + reverse("surveys:board-dashboard"))
    expect(page.get_by_role("main")).to_contain_text(quarter.gregorian_label())
    visit(page, "figures-dashboard")
    expected = recomputed(quarter)
    assert expected["response_rate"] == pytest.approx(700 / 10)  # 6 of 9 invitations, and Hamad's: 7 of 10
    with translation.override("ar"):
        rate = shown_as(expected["response_rate"], 0) + "%"
        average = shown_as(expected["average"], 2)
    expect(card(page, RATE_LABEL)).to_have_text(rate)
    expect(card(page, AVERAGE_LABEL)).to_have_text(average)

    # The CSV says the same, to two decimals.
    with page.expect_download() as download:
        page.get_by_role("link", name="تنزيل CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as table:
        lines = {row[1]: row for row in csv.reader(io.StringIO(table.read())) if len(row) >= 3}
    assert float(lines[f"{RATE_LABEL}, %"][2]) == pytest.approx(expected["response_rate"], abs=0.005)
    assert float(lines[AVERAGE_LABEL][2]) == pytest.approx(expected["average"], abs=0.005)


def card(page, label: str):
    """The value of one figure's card on the dashboard."""
    return page.locator(".board-kpi", has=page.get_by_text(label, exact=True)).locator(".value")
