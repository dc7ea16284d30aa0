"""The cube's cell counts and the anonymity fixed point against the plain first versions they replaced.

`Cube._count_cells` and `anonymity.suppress` were rewritten for speed (issue 15): counting by month first, and
skipping breakdowns with nothing hidden. Their first versions are kept here, word for word, as the reference:
the counts and the hidden cells must be the same on random cubes full of small cells (services split between
departments among them) and on a cube read back from the summaries of answers made by the factories.
"""

import datetime
import random
from collections import defaultdict

import pytest

from surveys.reports import anonymity, satisfaction
from surveys.reports.satisfaction import ALL, Cube, CubeRow, time_nodes
from tests.surveys.report_factories import answers, service

GOVERNORATES = ("najran", "sharurah", "hubuna", "thar", "khubash")


def reference_counts(cube: Cube) -> dict:
    counts: dict = defaultdict(int)
    for row in cube.rows:
        n = row.n
        for org in cube.org_nodes(row):
            for geo in (ALL, row.governorate):
                for time in time_nodes(row.month):
                    counts[(org, geo, time)] += n
    return dict(counts)


def reference_complete(counts: dict, children: list, hidden: set) -> list:
    added = []
    while True:
        hidden_nonzero = [child for child in children if child in hidden and counts.get(child, 0) > 0]
        hidden_total = sum(counts.get(child, 0) for child in hidden_nonzero)
        if not hidden_nonzero or (len(hidden_nonzero) >= 2 and hidden_total >= anonymity.MIN_ANSWERS):
            return added
        visible = [(counts.get(child, 0), repr(child), child) for child in children if child not in hidden]
        visible = [item for item in visible if item[0] > 0]
        if not visible:
            return added
        smallest = min(visible)[2]
        hidden.add(smallest)
        added.append(smallest)


def reference_suppress(counts: dict, breakdowns) -> set:
    groups = [list(children) for children in breakdowns]
    hidden = {cell for cell, count in counts.items() if count < anonymity.MIN_ANSWERS}
    member_of: dict = defaultdict(list)
    for index, children in enumerate(groups):
        for child in children:
            member_of[child].append(index)
            if child not in counts:
                hidden.add(child)
    pending = list(range(len(groups)))
    queued = set(pending)
    while pending:
        index = pending.pop()
        queued.discard(index)
        for cell in reference_complete(counts, groups[index], hidden):
            for other in member_of[cell]:
                if other not in queued:
                    queued.add(other)
                    pending.append(other)
    return hidden


def random_rows(seed: int) -> list[CubeRow]:
    """Two years of a few departments and services, most cells small; services 3 and 7 moved department."""
    draw = random.Random(seed)
    rows = []
    for year in (2024, 2025):
        for month in range(1, 13):
            for service_id in range(1, 9):
                departments = [1 + service_id % 3] + ([4] if service_id in (3, 7) and month > 6 else [])
                for department_id in departments:
                    for governorate in GOVERNORATES:
                        if draw.random() < 0.35:
                            continue  # no answers in this cell
                        n = draw.choice([1, 1, 2, 3, 4, 5, 6, 9, 14, 40])
                        rows.append(CubeRow(department_id, service_id, governorate, datetime.date(year, month, 1), n))
    return rows


def assert_same_as_reference(rows: list[CubeRow]) -> Cube:
    cube = Cube(rows)

    assert cube.counts == reference_counts(cube)
    assert cube.hidden == reference_suppress(reference_counts(cube), cube._breakdowns())
    return cube


@pytest.mark.parametrize("seed", range(8))
def test_counts_and_hidden_cells_are_the_reference_s_on_random_small_cubes(seed):
    cube = assert_same_as_reference(random_rows(seed))

    assert cube.split_services == {3, 7}
    assert len(cube.hidden) > 100  # complementary suppression had work to do


def test_suppress_gives_the_reference_s_answer_on_hand_made_breakdowns():
    counts = {"x": 20, "y": 3, "z": 50, "p": 30, "q": 40, "r": 0, "s": 7}
    breakdowns = [["x", "y", "z"], ["x", "p", "q"], ["p", "r", "s", "t"], ["q", "s"]]

    assert anonymity.suppress(counts, breakdowns) == reference_suppress(counts, breakdowns)


@pytest.mark.django_db
def test_counts_and_hidden_cells_are_the_reference_s_on_the_factories_answers():
    draw = random.Random(15)
    services = [service() for _ in range(4)]
    services.append(service(department=services[0].department))
    for request_type in services:
        for month in range(1, 13):
            for governorate in GOVERNORATES[:3]:
                count = draw.choice([0, 1, 2, 4, 6, 11])
                if count:
                    answers(count, request_type=request_type, month=datetime.date(2025, month, 1), governorate=governorate)
    from surveys.reports import summary

    summary.ensure_fresh([datetime.date(2025, month, 1) for month in range(1, 13)])

    cube = assert_same_as_reference(satisfaction.load_cube({2025}))

    assert cube.hidden
