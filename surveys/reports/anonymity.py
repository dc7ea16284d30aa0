"""Anonymity of survey figures: no slice with fewer than 5 answers is shown, and none can be worked out.

Primary suppression hides every slice (cell) with fewer than `MIN_ANSWERS` answers. That is not enough:
where a total is shown beside its parts, the total minus the shown parts is the hidden part. So in each
breakdown (a parent cell split into children) the hidden children must together hold at least
`MIN_ANSWERS` answers and be at least two: if not, the next smallest child is hidden too (complementary
suppression).

A cell takes part in several breakdowns: a service is a child of its department, of "all services", of
the same service in all governorates, of its quarter (a month) and so on. A cell hidden in one
breakdown is hidden in all of them, which may leave another breakdown with a single hidden child, so
the rule is applied until nothing changes (a fixed point). Whether a cell is shown then depends only on
the data, never on the filters or the page that shows it: the same cell reached by another combination
of filters or periods is hidden the same way. Which complementary cells the fixed point picks depends on the
order it meets the breakdowns, so they come in one order that depends on the cells alone
(`satisfaction.Cube._breakdowns`), the same in every process.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable
from itertools import chain

MIN_ANSWERS = 5
# Raised whenever the same data could now hide other cells (2: the breakdowns met in one order, whatever the
# process): cubes and reports are cached under it, so none decided by an earlier rule is read again.
RULE_VERSION = 2


def _complete(counts: dict, children: list, hidden: set) -> list:
    """Hide more children of one breakdown until its hidden ones cannot be worked out. Returns the new ones."""
    added = []
    while True:
        hidden_nonzero = [child for child in children if child in hidden and counts.get(child, 0) > 0]
        hidden_total = sum(counts.get(child, 0) for child in hidden_nonzero)
        if not hidden_nonzero or (len(hidden_nonzero) >= 2 and hidden_total >= MIN_ANSWERS):
            return added
        visible = [(counts.get(child, 0), repr(child), child) for child in children if child not in hidden]
        visible = [item for item in visible if item[0] > 0]
        if not visible:
            return added
        smallest = min(visible)[2]
        hidden.add(smallest)
        added.append(smallest)


def suppress(counts: dict[Hashable, int], breakdowns: Iterable[list[Hashable]]) -> set[Hashable]:
    """The cells to hide, across every breakdown they belong to, applied until nothing changes.

    `counts`: answers per cell (a missing cell has none). `breakdowns`: the lists of children of each
    parent cell. Cells with no answers are hidden (there is nothing to show) but protect nothing.
    """
    groups = [list(children) for children in breakdowns]
    hidden = {cell for cell, count in counts.items() if count < MIN_ANSWERS}
    hidden.update(set(chain.from_iterable(groups)).difference(counts))
    member_of: dict[Hashable, list[int]] | None = None  # the breakdowns of each cell, built once a cell is added
    pending = list(range(len(groups)))
    queued = set(pending)
    while pending:
        index = pending.pop()
        queued.discard(index)
        if hidden.isdisjoint(groups[index]):
            continue  # no hidden child: nothing to protect (what _complete would find, found faster)
        for cell in _complete(counts, groups[index], hidden):
            if member_of is None:
                member_of = _breakdowns_of_each_cell(groups)
            for other in member_of[cell]:
                if other not in queued:
                    queued.add(other)
                    pending.append(other)
    return hidden


def _breakdowns_of_each_cell(groups: list[list[Hashable]]) -> dict[Hashable, list[int]]:
    member_of: dict[Hashable, list[int]] = defaultdict(list)
    for index, children in enumerate(groups):
        for child in children:
            member_of[child].append(index)
    return member_of
