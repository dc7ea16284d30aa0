"""Factories and helpers for survey tests. Requests, members and departments come from the requests app's factories."""

import datetime

from django.utils import timezone

from requests_app.models import ServiceRequest
from surveys import services
from surveys.models import Invitation
from tests.requests_app.factories import (  # noqa: F401  (re-exported for the survey tests)
    DepartmentFactory,
    MemberFactory,
    RequestTypeFactory,
    ServiceRequestFactory,
    UserFactory,
    department_staff,
)

Status = ServiceRequest.Status


def closed_request(*, status: str = Status.COMPLETED, **fields) -> ServiceRequest:
    """A request completed (or rejected) some time ago, as the workflow leaves it."""
    return ServiceRequestFactory(status=status, closed_at=timezone.now(), outcome="تم", **fields)


def invitation_for(service_request: ServiceRequest, *, origin: str = Invitation.Origin.COMPLETED) -> Invitation:
    """The invitation the receivers would create, through the service (notifications included)."""
    invitation = services.invite_for_request(service_request=service_request, origin=origin)
    assert invitation is not None
    return invitation


def age(invitation: Invitation, *, days: float) -> Invitation:
    """Move an invitation's creation (and expiry) `days` into the past."""
    delta = datetime.timedelta(days=days)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=invitation.created_at - delta, expires_at=invitation.expires_at - delta
    )
    invitation.refresh_from_db()
    return invitation


def default_questionnaire() -> None:
    """The seeded default questionnaire, again after a transactional test flushed it."""
    from surveys.models import Questionnaire

    if not Questionnaire.objects.filter(is_default=True).exists():
        Questionnaire.objects.create(
            code="default", name="استبانة الرضا", overall_ar="ما تقييمك؟", recommend_ar="هل توصي بنا؟", is_default=True
        )
