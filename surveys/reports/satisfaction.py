"""Satisfaction figures from survey answers, aggregated in the database, shown only where anonymity allows.

One GROUP BY query reads the answers of the calendar years a page needs as a small "cube": answers and
rating sums per (department, service, governorate, month), a few thousand rows at most whatever the number
of answers. Every figure on the page is a sum over cube rows, and `anonymity.suppress` decides on the
whole cube which cells may be shown, so the decision is the same from every page, filter and period.

Only ratings of requests count (`Response.source == "request"`): general ratings from the suggestion box
carry no service, department or governorate and would make totals differ from their breakdowns.
"""

import datetime
import gc
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from surveys.models import ASPECTS, Response
from surveys.reports import anonymity, figures
from surveys.reports.models import SatisfactionSummary
from surveys.reports.periods import Period, add_months, quarter_of

ALL = "all"
STAT_FIELDS = (
    "n",
    "overall_sum",
    "satisfied",
    "recommend_n",
    "promoters",
    "detractors",
    *(f"{aspect}_{part}" for aspect in ASPECTS for part in ("sum", "n")),
)


@dataclass
class Stats:
    """Sums over a set of answers; the figures are ratios of these sums."""

    values: list[int] = field(default_factory=lambda: [0] * len(STAT_FIELDS))

    def add(self, other: "Stats") -> None:
        mine = self.values
        for index, value in enumerate(other.values):
            mine[index] += value

    def __getattr__(self, name: str) -> int:
        # The index first: unpickling asks for attributes (__setstate__) before `values` is there.
        try:
            index = STAT_FIELDS.index(name)
        except ValueError:
            raise AttributeError(name) from None
        return self.values[index]

    def figure(self, key: str) -> float | None:
        """A survey figure of these sums, as surveys.reports.figures defines it."""
        return figures.BY_KEY[key].value(self.__getattr__)

    @property
    def average(self) -> float | None:
        return self.figure("average")

    @property
    def satisfied_share(self) -> float | None:
        return self.figure("satisfied_share")

    @property
    def recommendation_score(self) -> float | None:
        return self.figure("recommendation_score")

    def aspect_average(self, aspect: str) -> float | None:
        return self.figure(aspect)


class CubeRow(NamedTuple):
    """One summary row of the cube (a named tuple: a year's cube is thousands of them, made on every cold build)."""

    department_id: int | None
    request_type_id: int | None
    governorate: str
    month: datetime.date
    n: int


def load_cube(years: Iterable[int]) -> list[CubeRow]:
    """How many answers per (department, service, governorate, month) in these calendar years, from the
    monthly summaries (surveys.reports.summary; the caller brings them up to date first, as `Cube.for_years`'s
    caller does): what suppression decides on."""
    months = [datetime.date(year, month, 1) for year in sorted(set(years)) for month in range(1, 13)]
    rows = SatisfactionSummary.objects.filter(month__in=months).values_list(
        "department_id", "request_type_id", "governorate", "month", "n"
    )
    return [CubeRow(department, service, governorate, month, n) for department, service, governorate, month, n in rows]


# --- Cells ------------------------------------------------------------------------------------------
# A cell is (org, geo, time): org is ALL, ("d", department), ("s", service) or ("p", department, service)
# (a service answered under two departments); geo is ALL or a governorate; time is ("Y", year),
# ("Q", year, quarter) or ("M", first day of the month).


def time_nodes(month: datetime.date) -> tuple:
    return (("M", month), ("Q", month.year, quarter_of(month)), ("Y", month.year))


@dataclass(frozen=True)
class Scope:
    """What the viewer filtered on; None means all."""

    department_id: int | None = None
    request_type_id: int | None = None
    governorate: str | None = None


@contextmanager
def _collector_paused():
    """Python's cycle collector off while the cube is worked out. Its tens of thousands of small tuples and lists
    (cells and breakdowns, no reference cycles among them) would otherwise start full collections over the whole
    process, each longer than the cube itself (bench/board.py, cold); the breakdowns are freed before it resumes."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Cube:
    """The cube of some calendar years, with the cells that may be shown worked out once."""

    def __init__(self, rows: list[CubeRow] | None = None, *, cached: tuple | None = None):
        """From cube rows, or from what `for_years` cached: (split services, counts, hidden cells)."""
        if cached is not None:
            self.rows = []
            self.split_services, self.counts, self.hidden = cached
            return
        self.rows = rows or []
        departments_of: dict[int, set] = defaultdict(set)
        for row in self.rows:
            departments_of[row.request_type_id].add(row.department_id)
        # A service answered under more than one department (it moved) is split into pairs below them.
        self.split_services = {service for service, departments in departments_of.items() if len(departments) > 1}
        with _collector_paused():
            self.counts = self._count_cells()
            self.hidden = anonymity.suppress(self.counts, self._breakdowns())

    @classmethod
    def for_years(cls, years: Iterable[int], *, stamps: dict[datetime.date, datetime.datetime]) -> "Cube":
        """The cube of these calendar years. Which cells are hidden depends on the summaries only, so it is
        cached under their refresh times: a page view decides again only after the answers changed.

        `stamps`: summary.ensure_fresh's answer for months covering these years (the summaries brought up to
        date): the cube's key is summary.version of its own months, worked out from them without another query."""
        from surveys.reports import summary

        months = {datetime.date(year, month, 1) for year in set(years) for month in range(1, 13)}
        own = {month: stamp for month, stamp in stamps.items() if month in months}
        rule = (anonymity.MIN_ANSWERS, anonymity.RULE_VERSION)
        version = hashlib.sha256(repr((*rule, summary.digest(own))).encode()).hexdigest()
        key = f"board-report-cube:{version}"
        cached = cache.get(key)
        if cached is None:
            cube = cls(load_cube(years))
            cache.set(key, (cube.split_services, cube.counts, cube.hidden), timeout=24 * 3600)
            return cube
        return cls(cached=cached)

    def org_nodes(self, row: CubeRow) -> list:
        nodes = [ALL, ("d", row.department_id), ("s", row.request_type_id)]
        if row.request_type_id in self.split_services:
            nodes.append(("p", row.department_id, row.request_type_id))
        return nodes

    def _count_cells(self) -> dict:
        """Answers per cell: each row added to its org and geo nodes in its month, then each month's cell added
        to its quarter and year (a few thousand month cells, where each row would have been added 18 times)."""
        by_month: dict = defaultdict(int)
        org_nodes: dict = {}  # (department, service) -> the row's org nodes, built once
        for row in self.rows:
            orgs = org_nodes.get((row.department_id, row.request_type_id))
            if orgs is None:
                orgs = org_nodes[(row.department_id, row.request_type_id)] = self.org_nodes(row)
            n, month, governorate = row.n, row.month, row.governorate
            for org in orgs:
                by_month[(org, ALL, month)] += n
                by_month[(org, governorate, month)] += n
        counts: dict = defaultdict(int)
        times = {month: time_nodes(month) for month in {month for _, _, month in by_month}}
        for (org, geo, month), n in by_month.items():
            for time in times[month]:
                counts[(org, geo, time)] += n
        return dict(counts)

    def _breakdowns(self) -> list[list]:
        """Every parent cell split along one dimension: organisation, governorate, time.

        In one order that depends on the cells alone (each set sorted by repr): the fixed point of suppression hides
        its complementary cells in the order it meets the breakdowns, and the order of a set of strings changes with
        each process (Python's hash seed). Two workers, or one page before and after its cache expired, would hide
        different cells around the same small one, and the two pages side by side would give it away."""
        departments, services, governorates, months = set(), set(), set(), set()
        services_in: dict = defaultdict(set)  # department -> its child org nodes
        pairs_of: dict = defaultdict(set)  # split service -> its pairs
        for row in self.rows:
            departments.add(("d", row.department_id))
            services.add(("s", row.request_type_id))
            governorates.add(row.governorate)
            months.add(row.month)
            if row.request_type_id in self.split_services:
                pair = ("p", row.department_id, row.request_type_id)
                services_in[("d", row.department_id)].add(pair)
                pairs_of[("s", row.request_type_id)].add(pair)
            else:
                services_in[("d", row.department_id)].add(("s", row.request_type_id))
        times = set()
        for month in months:
            times.update(time_nodes(month))
        org_nodes = {ALL} | departments | services | {pair for pairs in pairs_of.values() for pair in pairs}
        geo_nodes = {ALL} | governorates
        org_groups = [sorted(departments, key=repr), sorted(services, key=repr)]
        for _parent, children in sorted([*services_in.items(), *pairs_of.items()], key=lambda item: repr(item[0])):
            org_groups.append(sorted(children, key=repr))
        # Each year split into its quarters, then each quarter into its months: the time nodes built once.
        time_groups: list[list[tuple]] = []
        for year in sorted({time[1] for time in times if time[0] == "Y"}):
            time_groups.append([("Q", year, quarter) for quarter in (1, 2, 3, 4)])
            for quarter in (1, 2, 3, 4):
                first = datetime.date(year, 3 * quarter - 2, 1)
                time_groups.append([("M", add_months(first, step)) for step in range(3)])
        geo_order, time_order = sorted(geo_nodes, key=repr), sorted(times, key=repr)
        breakdowns = []
        for geo in geo_order:
            for time in time_order:
                for children in org_groups:
                    breakdowns.append([(org, geo, time) for org in children])
        sorted_governorates = sorted(governorates)
        for org in sorted(org_nodes, key=repr):
            for time in time_order:
                breakdowns.append([(org, geo, time) for geo in sorted_governorates])
            for geo in geo_order:
                for children in time_groups:
                    breakdowns.append([(org, geo, time) for time in children])
        return breakdowns

    # --- reading ----------------------------------------------------------------------------------

    def org_node(self, scope: Scope):
        if scope.request_type_id is not None:
            if scope.request_type_id in self.split_services and scope.department_id is not None:
                return ("p", scope.department_id, scope.request_type_id)
            return ("s", scope.request_type_id)
        if scope.department_id is not None:
            return ("d", scope.department_id)
        return ALL

    def matches(self, row: CubeRow, scope: Scope) -> bool:
        return (
            (scope.department_id is None or row.department_id == scope.department_id)
            and (scope.request_type_id is None or row.request_type_id == scope.request_type_id)
            and (scope.governorate is None or row.governorate == scope.governorate)
        )

    def is_published(self, org, geo, period: Period, *, today: datetime.date | None = None) -> bool:
        """At least MIN_ANSWERS answers and not hidden to protect another cell; below the whole cooperative
        (a department, a service, a governorate), only once the period has ended: a slice that still
        changes gives away the answer that changed it when two downloads are compared."""
        if (org != ALL or geo != ALL) and not period.is_complete(today or timezone.localdate()):
            return False
        cells = period_cells(period)
        if cells is None:  # a range of months: shown only if every month in it is
            months = [(org, geo, ("M", month)) for month in period.months]
            total = sum(self.counts.get(cell, 0) for cell in months)
            return total >= anonymity.MIN_ANSWERS and not any(cell in self.hidden for cell in months)
        cell = (org, geo, cells)
        return self.counts.get(cell, 0) >= anonymity.MIN_ANSWERS and cell not in self.hidden

    def comments_allowed(self, scope: Scope, period: Period, *, today: datetime.date | None = None) -> bool:
        return self.is_published(self.org_node(scope), scope.governorate or ALL, period, today=today)


def period_cells(period: Period):
    """The time node of a month, quarter or year; None for a range of months."""
    from surveys.reports import periods

    if period.kind == periods.MONTH:
        return ("M", period.start)
    if period.kind == periods.QUARTER:
        return ("Q", period.start.year, quarter_of(period.start))
    if period.kind == periods.YEAR:
        return ("Y", period.start.year)
    return None


def years_needed(period: Period) -> set[int]:
    previous = period.previous()
    first = min(previous.start, add_months(period.end, -12))
    return set(range(first.year, add_months(period.end, -1).year + 1))


def invitations(scope: Scope, period: Period) -> tuple[int, int]:
    """Survey invitations created in the period, and how many of them were answered (from the request
    summaries): the response rate's denominator and numerator, both over the same invitations."""
    from surveys.reports.models import RequestSummary

    rows = RequestSummary.objects.filter(month__gte=period.start, month__lt=period.end)
    if scope.department_id is not None:
        rows = rows.filter(department_id=scope.department_id)
    if scope.request_type_id is not None:
        rows = rows.filter(request_type_id=scope.request_type_id)
    if scope.governorate is not None:
        rows = rows.filter(governorate=scope.governorate)
    totals = rows.aggregate(invited=Sum("invited"), answered=Sum("invited_answered"))
    return totals["invited"] or 0, totals["answered"] or 0


def latest_comments(scope: Scope, period: Period, *, limit: int = 10) -> list[dict]:
    """Comments of the period (already masked when stored), the text only: never their rating.

    Staff read comments to improve, never to find who wrote one: no rating, service, governorate or month
    beside them, none at all when the slice holds fewer than MIN_ANSWERS comments, and only for a slice
    shown with enough answers in a period that has ended (the caller checks both: `Cube.comments_allowed`).
    """
    answers = Response.objects.for_service().filter(month__gte=period.start, month__lt=period.end).exclude(comment="")
    if scope.department_id is not None:
        answers = answers.filter(department_id=scope.department_id)
    if scope.request_type_id is not None:
        answers = answers.filter(request_type_id=scope.request_type_id)
    if scope.governorate is not None:
        answers = answers.filter(governorate=scope.governorate)
    # Newest month first; within a month the order is the random id's (never the order answers came in). One
    # query reads at least MIN_ANSWERS rows: fewer back means the slice holds fewer comments than that in all.
    rows = list(answers.order_by("-month", "id").values("comment")[: max(limit, anonymity.MIN_ANSWERS)])
    if len(rows) < anonymity.MIN_ANSWERS:
        return []
    return rows[:limit]


def _summary_rows(scope: Scope, months: Iterable[datetime.date]):
    rows = SatisfactionSummary.objects.filter(month__in=list(months))
    if scope.department_id is not None:
        rows = rows.filter(department_id=scope.department_id)
    if scope.request_type_id is not None:
        rows = rows.filter(request_type_id=scope.request_type_id)
    if scope.governorate is not None:
        rows = rows.filter(governorate=scope.governorate)
    return rows


SUMS = {name: Sum(name) for name in STAT_FIELDS}


def stats(scope: Scope, months: Iterable[datetime.date]) -> Stats:
    """The sums of the answers in a scope and months: one aggregate over the summaries."""
    totals = _summary_rows(scope, months).aggregate(**SUMS)
    return Stats([totals[name] or 0 for name in STAT_FIELDS])


def grouped_stats(scope: Scope, months: Iterable[datetime.date], column: str) -> dict:
    """{value of column: Stats} in a scope and months: one GROUP BY over the summaries."""
    rows = _summary_rows(scope, months).values(column).annotate(**SUMS).order_by()
    return {row[column]: Stats([row[name] or 0 for name in STAT_FIELDS]) for row in rows}
