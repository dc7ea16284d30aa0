"""Service-level state of a request: on time, due today, late; paused while it waits on the member.

Days are Riyadh days (settings.TIME_ZONE) and working days come from requests_app.calendar. The due date
itself is set by requests_app.services: on submission (sla_days working days after the submission day)
and pushed back on resubmission by the working days the request waited on the member (paused_at →
paused_working_days), so while a request is back with the member its state is "paused", never "late".

A request referred to the board leaves the department's clock: the board runs a clock of its own
(board_due_date, BOARD_WORKING_DAYS after the referral, set by services.refer_to_board), so a request
waiting for the board's meeting is "with the board", never the department's lateness.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from requests_app import calendar
from requests_app.models import ServiceRequest

Status = ServiceRequest.Status
# Statuses in which the clock runs against the department (not closed, not waiting on the member or the board).
RUNNING_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.IN_PROGRESS)
OPEN_STATUSES = (*RUNNING_STATUSES, Status.RETURNED_TO_MEMBER, Status.PENDING_BOARD_DECISION)
# The board's own clock: about a month of working days, from one meeting to the next (it meets monthly).
BOARD_WORKING_DAYS = 22


class SlaState(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_TODAY = "due_today", _("Due today")
    LATE = "late", _("Late")
    PAUSED = "paused", _("Waiting on the member")
    WITH_BOARD = "with_board", _("With the board")
    CLOSED = "closed", _("Closed")


# The states a queue filter offers (paused and closed are status filters already).
FILTERABLE = (SlaState.ON_TIME, SlaState.DUE_TODAY, SlaState.LATE)


def today() -> datetime.date:
    """Today in Riyadh: a request is late from the first Riyadh day after its due date."""
    return timezone.localdate()


def state_of(service_request: ServiceRequest, *, on: datetime.date | None = None) -> SlaState:
    """The state for a badge. No query: it reads status and due_date only."""
    on = on or today()
    if service_request.status in ServiceRequest.CLOSED_STATUSES:
        return SlaState.CLOSED
    if service_request.status == Status.RETURNED_TO_MEMBER:
        return SlaState.PAUSED
    if service_request.status == Status.PENDING_BOARD_DECISION:
        return SlaState.WITH_BOARD
    if service_request.due_date < on:
        return SlaState.LATE
    if service_request.due_date == on:
        return SlaState.DUE_TODAY
    return SlaState.ON_TIME


def condition(state: str, *, on: datetime.date | None = None) -> Q:
    """The filter for one state, as plain comparisons on indexed columns (status, due_date)."""
    on = on or today()
    running = Q(status__in=RUNNING_STATUSES)
    if state == SlaState.LATE:
        return running & Q(due_date__lt=on)
    if state == SlaState.DUE_TODAY:
        return running & Q(due_date=on)
    if state == SlaState.ON_TIME:
        return running & Q(due_date__gt=on)
    if state == SlaState.PAUSED:
        return Q(status=Status.RETURNED_TO_MEMBER)
    if state == SlaState.WITH_BOARD:
        return Q(status=Status.PENDING_BOARD_DECISION)
    if state == SlaState.CLOSED:
        return Q(status__in=ServiceRequest.CLOSED_STATUSES)
    raise ValueError(f"unknown service-level state {state!r}")


def board_due_date(referred_on: datetime.date | None = None) -> datetime.date:
    """When the board's decision is expected for a request referred on this day."""
    return calendar.add_working_days(referred_on or today(), BOARD_WORKING_DAYS)


def board_state(service_request: ServiceRequest, *, on: datetime.date | None = None) -> SlaState:
    """The board's clock for a request waiting for its decision: on time, due today or late."""
    on = on or today()
    due = service_request.board_due_date or service_request.due_date
    if due < on:
        return SlaState.LATE
    if due == on:
        return SlaState.DUE_TODAY
    return SlaState.ON_TIME


def next_working_day(on: datetime.date | None = None) -> datetime.date:
    return calendar.add_working_days(on or today(), 1)


def previous_working_day(on: datetime.date | None = None) -> datetime.date:
    """The last working day before `on` (a week back at most in practice)."""
    on = on or today()
    days_off = calendar.days_off()
    day = on - datetime.timedelta(days=1)
    while not calendar.is_working_day(day, days_off):
        day -= datetime.timedelta(days=1)
    return day


def unassigned_cutoff(on: datetime.date | None = None) -> datetime.datetime:
    """Requests submitted before this instant and still unassigned have waited more than a working day.

    The start (Riyadh midnight) of the previous working day: a request submitted before it has seen at
    least one whole working day pass unassigned (submitted Sunday, flagged from Tuesday).
    """
    previous = previous_working_day(on)
    start_of_previous = datetime.datetime.combine(previous, datetime.time.min)
    return timezone.make_aware(start_of_previous)


def days_late(service_request: ServiceRequest, *, on: datetime.date | None = None) -> int:
    """Working days past the due date (0 when not late)."""
    on = on or today()
    if state_of(service_request, on=on) != SlaState.LATE:
        return 0
    return calendar.working_days_between(service_request.due_date, on)
