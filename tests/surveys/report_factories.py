"""Helpers for the board report tests: anonymous answers and requests placed in given months."""

import datetime

from django.utils import timezone

from members.models import Governorate
from requests_app.models import ServiceRequest
from surveys.models import Questionnaire, QuestionnaireVersion, Response
from surveys.reports.periods import aware_midnight
from tests.requests_app.factories import MemberFactory, RequestTypeFactory, ServiceRequestFactory

Status = ServiceRequest.Status


def answers(
    count: int,
    *,
    request_type,
    month: datetime.date,
    governorate: str = Governorate.NAJRAN,
    overall: int = 4,
    recommend: int | None = 9,
    comment: str = "",
) -> list[Response]:
    """`count` anonymous answers about a service given in a month (as the survey service stores them)."""
    version = QuestionnaireVersion.objects.order_by("pk").first() or _version()
    return Response.objects.bulk_create(
        [
            Response(
                questionnaire_version=version,
                request_type=request_type,
                department=request_type.department,
                governorate=governorate,
                month=month,
                overall=overall,
                speed=overall,
                clarity=overall,
                courtesy=overall,
                ease=overall,
                recommend=recommend,
                comment=comment,
            )
            for _ in range(count)
        ]
    )


def _version() -> QuestionnaireVersion:
    """A questionnaire version when a transactional test flushed the one the data migration made."""
    questionnaire = Questionnaire.objects.create(
        code="report-tests", name="اختبار", overall_ar="ما تقييمك؟", recommend_ar="هل توصي بنا؟", comment_ar="تعليق"
    )
    return QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, content=questionnaire.content())


def request_in(
    *,
    request_type,
    submitted: datetime.date,
    status: str = Status.SUBMITTED,
    closed: datetime.date | None = None,
    due: datetime.date | None = None,
    governorate: str = Governorate.NAJRAN,
    paused_working_days: int = 0,
) -> ServiceRequest:
    """A request submitted (and maybe closed) at noon, Riyadh time, on the given days."""
    noon = datetime.timedelta(hours=12)
    return ServiceRequestFactory(
        request_type=request_type,
        member=MemberFactory(governorate=governorate),
        status=status,
        submitted_at=aware_midnight(submitted) + noon,
        closed_at=aware_midnight(closed) + noon if closed else None,
        due_date=due or submitted + datetime.timedelta(days=7),
        paused_working_days=paused_working_days,
    )


def service(**fields):
    return RequestTypeFactory(**fields)


def today() -> datetime.date:
    return timezone.localdate()
