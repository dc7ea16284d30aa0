"""Appeals against a board decision (GOV-03) land on the next ordinary meeting's agenda by themselves, once, and
stay there (Law art. 24.7)."""

import pytest
from django.core.exceptions import ValidationError

from assembly import services
from assembly.models import AgendaItem
from requests_app.models import RequestType, ServiceRequest
from tests.assembly.conftest import days_from_now, draft_meeting
from tests.members.factories import MemberFactory
from tests.requests_app.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status


@pytest.fixture
def appeal_service():
    return RequestType.objects.get(code="GOV-03")


def appeal(service, status=Status.SUBMITTED):
    return ServiceRequestFactory(request_type=service, department=service.department, status=status)


def test_appeals_filed_land_on_the_next_ordinary_meeting_by_reference_number(secretary, appeal_service):
    first, second = appeal(appeal_service), appeal(appeal_service, Status.COMPLETED)
    appeal(appeal_service, Status.CANCELLED)
    appeal(appeal_service, Status.REJECTED)

    meeting = draft_meeting(secretary, items=1)

    appeals = list(meeting.agenda_items.filter(kind=AgendaItem.Kind.APPEAL).order_by("order"))
    assert [item.appeal_id for item in appeals] == [first.pk, second.pk]
    assert appeals[0].title_ar == f"التظلم رقم {first.reference_no} من قرار مجلس الإدارة"
    assert first.member.full_name_ar not in appeals[0].title_ar  # every member reads the agenda


def test_an_appeal_lands_on_one_agenda_only_and_not_on_an_extraordinary_meeting(secretary, appeal_service):
    filed = appeal(appeal_service)
    extraordinary = services.create_meeting(by=secretary, kind="extraordinary", starts_at=days_from_now(30))
    first = draft_meeting(secretary)
    second = draft_meeting(secretary, days=40)

    assert not extraordinary.agenda_items.filter(appeal=filed).exists()
    assert first.agenda_items.filter(appeal=filed).exists()
    assert not second.agenda_items.filter(kind=AgendaItem.Kind.APPEAL).exists()


def test_an_appeal_cannot_be_taken_off_the_agenda(secretary, appeal_service):
    appeal(appeal_service)
    meeting = draft_meeting(secretary, items=0)
    item = meeting.agenda_items.get()

    with pytest.raises(ValidationError) as refused:
        services.remove_agenda_item(item=item, by=secretary)

    assert "لا يمكن حذفه" in refused.value.messages[0]
    assert meeting.agenda_items.count() == 1


def test_an_appeal_filed_after_the_draft_is_on_the_published_agenda(
    secretary, appeal_service, django_capture_on_commit_callbacks
):
    MemberFactory(shares=2)
    meeting = draft_meeting(secretary, items=1)
    late = appeal(appeal_service)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)

    assert meeting.agenda_items.filter(appeal=late, order=2).exists()


def test_an_appeals_number_reads_left_to_right_on_the_agenda(client, member_user, secretary, appeal_service):
    filed = appeal(appeal_service)
    MemberFactory(user=member_user, shares=2)
    meeting = draft_meeting(secretary, items=0)
    client.force_login(secretary)

    page = client.get(meeting.get_absolute_url()).content.decode()

    assert f'التظلم رقم <span dir="ltr">{filed.reference_no}</span> من قرار مجلس الإدارة' in page
    assert f'Appeal <span dir="ltr">{filed.reference_no}</span> against a board decision' in page
