"""The governance calendar on the board's home (issue 17 item 10): the law's chain from the end of the financial year
to the annual ordinary Assembly, each step's date and whether the portal's data show it done.

    year end → accounts to the auditor → documents open to members → notice → the meeting

- The meeting: the ordinary Assembly is held within ASSEMBLY_MEETING_MONTHS (6) months of the year end. DOMAIN.md
  gives no such period for the meeting itself; it gives the ministry's power to suspend subsidies when no annual
  Assembly is held, or when the final accounts are more than 6 months late (Law art. 32), so six months is used.
  A meeting the board has drafted or published for that year gives the date instead.
- Documents: ASSEMBLY_DOCUMENTS_DAYS (14) days before the meeting (Law art. 20); notice: ASSEMBLY_NOTICE_DAYS (15).
- Accounts to the auditor: one month before the documents open (the law says one month before the Assembly; counting
  from the documents leaves the auditor's report ready for them). The portal holds no record of it: never shown done.

`chain` is pure (dates in, steps out) so it is tested against dates worked out by hand; `for_board` reads the data.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assembly.models import Meeting

MEETING_MONTHS = 6
WARN_DAYS = 14  # a step not done whose date is this close is warned of


@dataclass(frozen=True)
class Step:
    key: str
    label: str | Promise  # a lazy translation: in the reader's language
    due: datetime.date
    done: bool | None  # None: the portal cannot know (the accounts handed to the auditor)
    state: str  # "done", "late" (passed, not done), "soon" (within WARN_DAYS), "ahead", "unknown"


@dataclass(frozen=True)
class Chain:
    year_end: datetime.date
    deadline: datetime.date  # the latest day the law's period allows for the meeting
    steps: list[Step]

    @property
    def warnings(self) -> list[Step]:
        return [step for step in self.steps if step.state in {"late", "soon"}]

    @property
    def meeting_after_deadline(self) -> bool:
        return self.steps[-1].due > self.deadline


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), the month's last day when it has fewer days (31 Dec + 6 → 30 Jun)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def year_end_before(today: datetime.date, month: int, day: int) -> datetime.date:
    """The last financial year end before today (a year ending today is not over yet)."""
    this_year = datetime.date(today.year, month, min(day, calendar.monthrange(today.year, month)[1]))
    if this_year < today:
        return this_year
    return datetime.date(today.year - 1, month, min(day, calendar.monthrange(today.year - 1, month)[1]))


def _state(due: datetime.date, done: bool | None, today: datetime.date) -> str:
    if done:
        return "done"
    if done is None:
        return "unknown" if due >= today else "late"
    if due < today:
        return "late"
    return "soon" if (due - today).days <= WARN_DAYS else "ahead"


def chain(
    *,
    year_end: datetime.date,
    today: datetime.date,
    meeting_day: datetime.date | None = None,
    notice_published: bool = False,
    documents_published: bool = False,
    held: bool = False,
    notice_days: int = 15,
    documents_days: int = 14,
) -> Chain:
    """The steps for the financial year ending `year_end`, as of `today`: a planned meeting's day, else the last day
    the law's period allows, and each step before it counted back from it."""
    deadline = add_months(year_end, MEETING_MONTHS)
    meeting = meeting_day or deadline
    documents = meeting - datetime.timedelta(days=documents_days)
    notice = meeting - datetime.timedelta(days=notice_days)
    auditor = add_months(documents, -1)
    steps = [
        ("year_end", _("The financial year ends"), year_end, True),
        ("auditor", _("The final accounts go to the auditor"), auditor, None if not held else True),
        ("notice", _("The notice of the meeting is published"), notice, notice_published or held),
        ("documents", _("The documents open to the members"), documents, documents_published or held),
        ("meeting", _("The annual ordinary General Assembly"), meeting, held),
    ]
    steps.sort(key=lambda step: step[2])
    return Chain(
        year_end=year_end,
        deadline=deadline,
        steps=[Step(key, label, due, done, _state(due, done, today)) for key, label, due, done in steps],
    )


def _meeting_for(year_end: datetime.date) -> Meeting | None:
    """The year's ordinary meeting: one held within a year of its end, else the next one drafted or published (an
    adjourned one gave way to the meeting it was adjourned to)."""
    start = timezone.make_aware(datetime.datetime.combine(year_end + datetime.timedelta(days=1), datetime.time()))
    meetings = Meeting.objects.filter(
        kind=Meeting.Kind.ORDINARY, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=366)
    ).exclude(status=Meeting.Status.ADJOURNED)
    held = meetings.filter(status=Meeting.Status.HELD).order_by("starts_at").first()
    return held or meetings.order_by("starts_at").first()


def for_board(today: datetime.date | None = None) -> Chain:
    """The chain for the last financial year; once its Assembly is held, for the year now running."""
    today = today or timezone.localdate()
    year_end = year_end_before(today, settings.ASSEMBLY_YEAR_END_MONTH, settings.ASSEMBLY_YEAR_END_DAY)
    result = _chain_for(year_end, today)
    if result.steps[-1].state == "done":
        result = _chain_for(add_months(year_end, 12), today)
    return result


def _chain_for(year_end: datetime.date, today: datetime.date) -> Chain:
    meeting = _meeting_for(year_end)
    held = meeting is not None and meeting.status == Meeting.Status.HELD
    return chain(
        year_end=year_end,
        today=today,
        meeting_day=timezone.localdate(meeting.starts_at) if meeting else None,
        notice_published=meeting is not None and not meeting.is_draft,
        documents_published=meeting is not None and meeting.documents.filter(published_at__isnull=False).exists(),
        held=held,
        notice_days=settings.ASSEMBLY_NOTICE_DAYS,
        documents_days=settings.ASSEMBLY_DOCUMENTS_DAYS,
    )
