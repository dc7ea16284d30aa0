"""Every board figure, on the page, in the PDF and in the CSV, equals a recomputation from the raw rows.

The recomputation below is written again, in plain Python over the rows of generated data (requests,
invitations, answers), without the summaries, the cube or surveys.reports.figures: if the report's
definition of a figure drifts from what its label says, these tests fail.
"""

import csv
import datetime
import hashlib
import io
import random
import uuid

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from members.models import Governorate
from members.roles import Role
from requests_app.models import RequestType, ServiceRequest
from surveys.models import Invitation, QuestionnaireVersion, Response
from surveys.reports import csv_export, dashboard, figures
from surveys.reports import pdf as report_pdf
from surveys.reports.periods import Period, aware_midnight
from surveys.reports.satisfaction import Scope
from surveys.templatetags.board_tags import figure as format_figure
from tests.requests_app.factories import MemberFactory
from tests.surveys.report_factories import service

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status
GOVERNORATES = (Governorate.NAJRAN, Governorate.THAR, Governorate.HUBUNA)
QUARTER = Period.quarter(2025, 2)


# --- Generated data ---------------------------------------------------------------------------------------------


@pytest.fixture
def generated():
    """Six months (January to June 2025) of requests of four services in two departments, from members of three
    governorates; closed requests invited, about 60 % of invitations answered, a few weeks after closing."""
    rng = random.Random(2025)  # noqa: S311 (repeatable test data)
    seedlings = service(name_ar="طلب شتلات")
    visit = service(name_ar="زيارة إرشادية", department=seedlings.department)
    certificate = service(name_ar="شهادة أسهم")
    complaint = service(name_ar="شكوى", department=certificate.department, kind=RequestType.Kind.COMPLAINT)
    types = [seedlings, visit, certificate, complaint]
    members = [MemberFactory(governorate=governorate) for governorate in GOVERNORATES for _ in range(2)]
    version = QuestionnaireVersion.objects.order_by("pk").first()
    requests = []
    for day in range(180):
        submitted = datetime.date(2025, 1, 1) + datetime.timedelta(days=day)
        for _ in range(rng.choice([1, 2, 3])):
            request_type = rng.choice(types)
            status = rng.choices(
                [Status.COMPLETED, Status.REJECTED, Status.CANCELLED, Status.IN_PROGRESS], [70, 12, 6, 12]
            )[0]
            closed = submitted + datetime.timedelta(days=rng.randint(0, 25)) if status != Status.IN_PROGRESS else None
            requests.append(
                ServiceRequest(
                    reference_no=f"NJC-2025-{len(requests) + 1:06d}",
                    member=rng.choice(members),
                    request_type=request_type,
                    department_id=request_type.department_id,
                    status=status,
                    answers=[],
                    submitted_at=aware_midnight(submitted) + datetime.timedelta(hours=rng.randint(7, 14)),
                    closed_at=aware_midnight(closed) + datetime.timedelta(hours=15) if closed else None,
                    due_date=submitted + datetime.timedelta(days=rng.randint(5, 15)),
                    paused_working_days=rng.choice([0, 0, 0, 1, 2]),
                )
            )
    ServiceRequest.objects.bulk_create(requests)
    invitations, responses = [], []
    for service_request in requests:
        if service_request.status not in (Status.COMPLETED, Status.REJECTED):
            continue
        answered = rng.random() < 0.6
        invitations.append(
            Invitation(
                member=service_request.member,
                service_request=service_request,
                questionnaire_version=version,
                token_hash=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
                origin=service_request.status,
                created_at=service_request.closed_at,
                expires_at=service_request.closed_at + datetime.timedelta(days=30),
                answered=answered,
            )
        )
        if answered:
            day = timezone.localdate(service_request.closed_at + datetime.timedelta(days=rng.randint(0, 20)))
            overall = rng.randint(1, 5)
            responses.append(
                Response(
                    questionnaire_version=version,
                    request_type=service_request.request_type,
                    department_id=service_request.department_id,
                    governorate=service_request.member.governorate,
                    month=day.replace(day=1),
                    outcome=service_request.status,
                    overall=overall,
                    speed=rng.choice([None, rng.randint(1, 5)]),
                    clarity=rng.randint(1, 5),
                    courtesy=rng.randint(1, 5),
                    ease=rng.randint(1, 5),
                    recommend=rng.choice([None, rng.randint(0, 10)]),
                    comment=rng.choice(["", "", "شكرًا"]),
                )
            )
    Invitation.objects.bulk_create(invitations)
    Response.objects.bulk_create(responses)
    return {"department": seedlings.department_id}


# --- The recomputation, independent of the report's code -------------------------------------------------------


def _in(period: Period, day: datetime.date | None) -> bool:
    return day is not None and period.start <= day < period.end


def _local(moment) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _working_days(start: datetime.date, end: datetime.date) -> int:
    """Sunday to Thursday from the day after `start` up to `end` (no holidays in this data)."""
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if day.weekday() not in (4, 5):  # Friday, Saturday
            days += 1
    return days


def _percentile(values: list[int], fraction: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    position = fraction * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def recompute(period: Period, department_id: int | None = None) -> dict:
    requests = [
        row
        for row in ServiceRequest.objects.values(
            "status",
            "submitted_at",
            "closed_at",
            "due_date",
            "paused_working_days",
            "department_id",
            "request_type__kind",
        )
        if department_id is None or row["department_id"] == department_id
    ]
    answers = [
        row
        for row in Response.objects.filter(source=Response.Source.REQUEST).values()
        if department_id is None or row["department_id"] == department_id
    ]
    invitations = [
        row
        for row in Invitation.objects.values("created_at", "answered", "service_request__department_id")
        if department_id is None or row["service_request__department_id"] == department_id
    ]
    given = [row for row in answers if period.start <= row["month"] < period.end]
    n = len(given)
    recommending = [row["recommend"] for row in given if row["recommend"] is not None]
    invited = [row for row in invitations if _in(period, _local(row["created_at"]))]
    received = [row for row in requests if _in(period, _local(row["submitted_at"]))]
    closed = [row for row in requests if _in(period, _local(row["closed_at"]))]
    completed = [row for row in closed if row["status"] == Status.COMPLETED]
    days = [
        max(_working_days(_local(row["submitted_at"]), _local(row["closed_at"])) - row["paused_working_days"], 0)
        for row in completed
    ]
    complaints = [row for row in received if row["request_type__kind"] == RequestType.Kind.COMPLAINT]
    answered_complaints = [
        row
        for row in closed
        if row["request_type__kind"] == RequestType.Kind.COMPLAINT and row["status"] != Status.CANCELLED
    ]
    today = timezone.localdate()
    figures_ = {
        "answers": n,
        "average": sum(row["overall"] for row in given) / n if n else None,
        "satisfied_share": 100 * sum(row["overall"] >= 4 for row in given) / n if n else None,
        "recommendation_score": (
            100 * (sum(r >= 9 for r in recommending) - sum(r <= 6 for r in recommending)) / len(recommending)
            if len(recommending) >= 5
            else None
        ),
        "response_rate": 100 * sum(row["answered"] for row in invited) / len(invited) if invited else None,
        "received": len(received),
        "completed": len(completed),
        "rejected": sum(row["status"] == Status.REJECTED for row in closed),
        "open": sum(
            _local(row["submitted_at"]) < period.end
            and not (row["closed_at"] and _local(row["closed_at"]) < period.end)
            for row in requests
        ),
        "median_days": _percentile(days, 0.5),
        "p90_days": _percentile(days, 0.9),
        "on_time_share": (
            100 * sum(_local(row["closed_at"]) <= row["due_date"] for row in completed) / len(completed)
            if completed
            else None
        ),
        "late_now": sum(
            row["status"] in (Status.SUBMITTED, Status.UNDER_REVIEW, Status.IN_PROGRESS) and row["due_date"] < today
            for row in requests
        ),
        "complaints": len(complaints),
        "complaints_answered": len(answered_complaints),
        "suggestions": 0,
        "suggestions_answered": 0,
    }
    for aspect in ("speed", "clarity", "courtesy", "ease"):
        values = [row[aspect] for row in given if row[aspect] is not None]
        figures_[aspect] = sum(values) / len(values) if len(values) >= 5 else None
    return figures_


# --- The report against it ---------------------------------------------------------------------------------------


def _close(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


SCOPES = [pytest.param(None, id="whole cooperative"), pytest.param("department", id="one department")]


@pytest.mark.parametrize("scope", SCOPES)
def test_every_dashboard_figure_equals_the_recomputation(generated, scope):
    department = generated["department"] if scope else None

    report = dashboard.build(period=QUARTER, scope=Scope(department_id=department))

    expected, before = recompute(QUARTER, department), recompute(QUARTER.previous(), department)
    assert report.satisfaction.published and report.previous_satisfaction.published
    for section in (figures.SATISFACTION, figures.SERVICE):
        for row in report.headline(section):
            assert _close(row.current, expected[row.figure.key]), (
                row.figure.key,
                row.current,
                expected[row.figure.key],
            )
            if row.figure.key != "late_now":
                assert _close(row.previous, before[row.figure.key]), row.figure.key
    assert len(report.headline(figures.SATISFACTION)) + len(report.headline(figures.SERVICE)) == len(figures.FIGURES)


def test_the_response_rate_is_never_above_100_percent(generated):
    for period in (QUARTER, QUARTER.previous(), Period.year(2025), *[Period.month(2025, m) for m in range(1, 7)]):
        rate = dashboard.build(period=period, scope=Scope()).satisfaction.response_rate
        assert rate is None or 0 <= rate <= 100


def test_every_csv_figure_equals_the_recomputation(generated, client, make_user):
    client.force_login(make_user("board@example.org", Role.BOARD))
    expected = recompute(QUARTER)

    response = client.get(reverse("surveys:board-csv"), {"period": QUARTER.key})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    with translation.override("ar"):
        labels = {
            (f"{figure.label}, %" if figure.unit == "%" else str(figure.label)): figure for figure in figures.FIGURES
        }
    seen = set()
    for row in rows:
        if len(row) >= 3 and row[1] in labels:
            figure = labels[row[1]]
            value = expected[figure.key]
            assert row[2] == ("" if value is None else str(csv_export.safe_cell(value))), figure.key
            seen.add(figure.key)
    assert seen == set(figures.BY_KEY)


@pytest.mark.parametrize("where", ["page", "pdf"])
def test_every_card_on_the_page_and_in_the_pdf_shows_the_recomputed_figure(generated, client, make_user, where):
    expected = recompute(QUARTER)
    client.force_login(make_user("board@example.org", Role.BOARD))
    if where == "page":
        html = client.get(reverse("surveys:board-dashboard"), {"period": QUARTER.key}).content.decode()
    else:
        with translation.override("ar"):
            report = dashboard.build(period=QUARTER, scope=Scope())
            html = render_to_string(report_pdf.TEMPLATE, report_pdf.context(report))
    with translation.override("ar"):
        for figure in figures.FIGURES:
            if not figure.card:
                continue
            value = expected[figure.key]
            shown = "—" if value is None else f"{format_figure(value, figure.decimals)}{figure.unit}"
            card = html.split(str(figure.label), 1)[1][:400]
            assert shown in card, (figure.key, shown)
