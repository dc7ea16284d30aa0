"""An answer's dimensions, coarsened until at least five answered invitations share them.

A response keeps its request's service, department, governorate, channel and outcome, so that the reports can slice
by them; it never keeps the member, the request or the invitation. Yet whoever can read both tables can still join
an answer to the answered invitations whose requests share those values and were created in the answer's month or
the month before (an invitation lives 30 days). When fewer than MIN_ANSWERS invitations share them at the moment of
answering, the finest dimensions are left blank, in the order of DROP_ORDER, until at least MIN_ANSWERS share what is
kept. That number only grows afterwards (an invitation once answered stays answered), so no such join ever narrows an
answer to fewer than MIN_ANSWERS invitations. The reports count a coarsened answer in every total and in the slices
it still names (tests/surveys/test_coarsening.py, and the demo's test of the join).
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from surveys.models import Invitation
from surveys.reports.anonymity import MIN_ANSWERS

# Dropped first to last: the finest and most personal first (the member's governorate), the service last.
DROP_ORDER = ("governorate", "channel", "outcome", "department_id", "request_type_id")
BLANK = {"governorate": "", "channel": "", "outcome": "", "department_id": None, "request_type_id": None}
# Where each dimension is found from an invitation.
ON_INVITATION = {
    "governorate": "service_request__member__governorate",
    "channel": "service_request__channel",
    "outcome": "service_request__status",
    "department_id": "service_request__department_id",
    "request_type_id": "service_request__request_type_id",
}


def window(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """From the first of the month before the answer's month to the first of the month after it, in Riyadh."""
    start = (month - datetime.timedelta(days=1)).replace(day=1)
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.datetime.combine(start, datetime.time()), zone),
        timezone.make_aware(datetime.datetime.combine(end, datetime.time()), zone),
    )


def _kept(level: int) -> tuple[str, ...]:
    return DROP_ORDER[level:]


def coarsened(dimensions: dict, *, month: datetime.date) -> dict:
    """The dimensions to store: as given when MIN_ANSWERS answered invitations share them, else coarser.

    One query: the answered invitations of the window, counted once per level of coarsening.
    """
    start, end = window(month)
    counts = Invitation.objects.filter(answered=True, created_at__gte=start, created_at__lt=end).aggregate(
        **{
            f"level_{level}": Count("pk", filter=Q(**{ON_INVITATION[name]: dimensions[name] for name in _kept(level)}))
            for level in range(len(DROP_ORDER))
        }
    )
    for level in range(len(DROP_ORDER)):
        if counts[f"level_{level}"] >= MIN_ANSWERS:
            return {**dimensions, **{name: BLANK[name] for name in DROP_ORDER[:level]}}
    return {**dimensions, **BLANK}
