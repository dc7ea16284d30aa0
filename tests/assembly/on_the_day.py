"""A published meeting held today, for the door's tests: publishing refuses a date less than 15 days ahead, so the
meeting is published as publishing does and then moved to the start of the current hour (today, already begun)."""

from django.utils import timezone

from assembly import services
from assembly.models import Meeting
from tests.assembly.conftest import draft_meeting


def this_hour():
    return timezone.localtime().replace(minute=0, second=0, microsecond=0)


def meeting_today(secretary, **fields) -> Meeting:
    """Published (its eligible list written from the register as it stands), then held this hour."""
    meeting = draft_meeting(secretary)
    services.publish_notice(meeting=meeting, by=secretary)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=this_hour(), **fields)
    meeting.refresh_from_db()
    return meeting
