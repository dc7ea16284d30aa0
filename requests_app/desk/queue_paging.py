"""A page of the queue: 50 rows, and how many requests match, counted without the joins the rows display.

The count stops at COUNT_CAP: past it the page says "more than 10,000" (an index answers a capped count
at once, where counting every match of a broad filter reads the whole table). Pages are still all
reachable: whether a next page exists is read from the rows (one more than a page is fetched).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

PAGE_SIZE = 50
COUNT_CAP = 10_000


@dataclass
class QueuePage:
    object_list: list
    number: int
    count: int | None  # None: more than COUNT_CAP
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        return None if self.count is None else max(1, math.ceil(self.count / PAGE_SIZE))

    @property
    def count_capped(self) -> bool:
        return self.count is None


def page_of(rows: Callable[[int, int], list], *, counted: QuerySet, number: str | None) -> QueuePage:
    """Page `number` (the last one when past the end, the first when not a number); `rows(start, stop)` reads
    the rows, `counted` is the same selection without the display joins and the order."""
    matched = counted.order_by()[: COUNT_CAP + 1].count()
    count = matched if matched <= COUNT_CAP else None
    page = int(number) if number and number.isdigit() and int(number) >= 1 else 1
    if count is not None:
        page = min(page, max(1, math.ceil(count / PAGE_SIZE)))
    offset = (page - 1) * PAGE_SIZE
    fetched = rows(offset, offset + PAGE_SIZE + 1)
    return QueuePage(fetched[:PAGE_SIZE], page, count, has_next=len(fetched) > PAGE_SIZE)
