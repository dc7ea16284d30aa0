"""The charts read right: whole-number ticks for counts, and the ranking charts show what their captions say."""

import datetime
import itertools
import re

import pytest

from surveys import charts
from surveys.reports import dashboard, dashboard_charts
from surveys.reports.periods import Period
from surveys.reports.satisfaction import Scope
from tests.surveys.report_factories import answers, service

pytestmark = pytest.mark.django_db


def _ticks(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize("values", [[0, 0, 0, 1, 1], [0, 3], [7], [0], [12, 130]])
def test_a_count_axis_has_distinct_whole_number_ticks(values):
    svg = charts.columns(
        chart_id="c",
        title="t",
        description="d",
        categories=[str(i) for i in range(len(values))],
        series=[charts.Series("s", values)],
    )

    ticks = _ticks(svg)
    numbers = [int(tick.replace(",", "")) for tick in ticks]
    assert len(set(ticks)) == len(ticks) == 5
    assert numbers[0] == 0 and numbers[-1] >= max(values)
    assert len({b - a for a, b in itertools.pairwise(numbers)}) == 1


def test_the_service_chart_shows_every_service_with_an_average_and_only_those():
    april = datetime.date(2025, 4, 1)
    rated = [service(name_ar=f"خدمة {index}") for index in range(14)]
    for index, request_type in enumerate(rated):
        answers(6, request_type=request_type, month=april, overall=1 + index % 5)
    quiet = service(name_ar="خدمة بلا إجابات كافية")
    answers(2, request_type=quiet, month=april)

    report = dashboard.build(period=Period.quarter(2025, 2), scope=Scope())
    chart = dashboard_charts.chart_svgs(report)["service_ranking"]

    shown = re.findall(r'class="chart-label">([^<]*)<', chart)
    published = [row.label for row in report.breakdowns["service"] if row.satisfaction.published]
    assert shown == published and len(shown) >= 13  # one more is hidden to protect the quiet one
    assert quiet.name_ar not in chart
    averages = [float(value) for value in re.findall(r'class="chart-value">([\d.]+)<', chart)]
    assert averages == sorted(averages, reverse=True) and len(averages) == len(shown)
