import datetime

import pytest
from django.utils import timezone

from assembly import services
from assembly.models import AgendaItem
from members.roles import Role


@pytest.fixture
def secretary(make_user):
    """The board's secretary: a board member who is also a member of the cooperative."""
    return make_user("secretary@example.org", Role.BOARD, Role.MEMBER, first_name="ناصر", last_name="آل سالم")


def days_from_now(days: int, hour: int = 16) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def draft_meeting(secretary, *, days: int = 20, items: int = 2):
    meeting = services.create_meeting(by=secretary, kind="ordinary", starts_at=days_from_now(days))
    kinds = [AgendaItem.Kind.REPORTS, AgendaItem.Kind.ACCOUNTS, AgendaItem.Kind.AUDITOR]
    for index in range(items):
        services.add_agenda_item(
            meeting=meeting,
            by=secretary,
            kind=kinds[index % len(kinds)],
            title_ar=f"البند {index + 1}: تقرير مجلس الإدارة",
            title_en=f"Item {index + 1}: the board's report",
        )
    return meeting


def accept_proxy(proxy, holder):
    """The holder accepts as on the page: asks for the code, then enters the one their mobile received."""
    from assembly import proxies

    return proxies.accept(proxy=proxy, holder=holder, code=proxies.send_code(proxy=proxy, holder=holder))
