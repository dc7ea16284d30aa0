"""Reads for survey pages, with who may see what built in. No selector returns a single answer to staff."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from members.models import Member
from members.roles import Role, has_role
from requests_app.models import DepartmentMembership, RequestType, ServiceRequest
from surveys.models import ASPECTS, AdoptedSuggestion, Invitation, StaffResultTally, Suggestion
from surveys.reports.periods import Period
from surveys.services import RATABLE_STATUSES, quarter_of

MIN_ANSWERS = 5  # below this, no average is shown: a small group's average tells on its members
STAFF_QUARTERS_SHOWN = 4


def ratable_request_for_member(member: Member | None, reference_no: str) -> QuerySet[ServiceRequest]:
    """The member's own completed or rejected request with this reference (empty for anyone else's)."""
    if member is None:
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.select_related("request_type").filter(
        member=member, reference_no=reference_no, status__in=RATABLE_STATUSES
    )


@dataclass(frozen=True)
class RateButton:
    """What the request page shows about rating: nothing, a "rate" button, or "thank you, rated"."""

    show: bool
    answered: bool = False
    reference_no: str = ""


def rate_button_for(user, service_request: ServiceRequest) -> RateButton:
    """For the request page: a button to rate one's own closed request, or a note that it was rated."""
    member = getattr(user, "member", None) if getattr(user, "is_authenticated", False) else None
    if member is None or member.pk != service_request.member_id or service_request.status not in RATABLE_STATUSES:
        return RateButton(show=False)
    answered = Invitation.objects.filter(service_request=service_request, answered=True).exists()
    return RateButton(show=True, answered=answered, reference_no=service_request.reference_no)


# --- Staff results -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterResult:
    quarter: datetime.date
    answers: int
    overall: float
    aspects: dict[str, float | None]
    recommend: float | None

    @property
    def label(self) -> str:
        """«الربع الثالث 2026» / "Third quarter 2026": the reports' own name of the quarter, in the page's language."""
        return Period.quarter(self.quarter.year, (self.quarter.month - 1) // 3 + 1).gregorian_label()


def _average(total: int, count: int) -> float | None:
    return round(total / count, 1) if count >= MIN_ANSWERS else None


def staff_results(user, *, today: datetime.date | None = None) -> list[QuarterResult]:
    """The averages of the answers about requests this staff member handled, for the last closed quarters.

    Only closed quarters (their sums no longer change, so comparing two visits cannot reveal one new
    answer) and only with at least MIN_ANSWERS answers; an aspect asked fewer times shows no average.
    """
    if not has_role(user, Role.STAFF):
        return []
    current = quarter_of(today or timezone.localdate())
    tallies = StaffResultTally.objects.filter(staff=user, quarter__lt=current, answers__gte=MIN_ANSWERS).order_by(
        "-quarter"
    )[:STAFF_QUARTERS_SHOWN]
    return [
        QuarterResult(
            quarter=tally.quarter,
            answers=tally.answers,
            overall=round(tally.overall_sum / tally.answers, 1),
            aspects={
                aspect: _average(getattr(tally, f"{aspect}_sum"), getattr(tally, f"{aspect}_count"))
                for aspect in ASPECTS
            },
            recommend=_average(tally.recommend_sum, tally.recommend_count),
        )
        for tally in tallies
    ]


# --- The suggestion box ----------------------------------------------------------------------------------------------


def published_adoptions() -> QuerySet[AdoptedSuggestion]:
    return AdoptedSuggestion.objects.published()


def can_review_suggestions(user) -> bool:
    """Administrators, and staff of the department that handles suggestion requests."""
    if has_role(user, Role.ADMINISTRATOR):
        return True
    if not has_role(user, Role.STAFF):
        return False
    departments = RequestType.objects.filter(kind=RequestType.Kind.SUGGESTION).values("department")
    return DepartmentMembership.objects.filter(user=user, department__in=departments).exists()


def suggestions_for(user) -> QuerySet[Suggestion]:
    """The suggestion box for those who review it: anonymous suggestions and named ones (their request)."""
    if not can_review_suggestions(user):
        return Suggestion.objects.none()
    return Suggestion.objects.select_related("service_request").order_by("-month", "status", "id")
