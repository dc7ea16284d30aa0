import io

import pytest

from assembly import demo
from assembly.models import Meeting
from members import demo as members_demo
from members.models import Notification

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_upcoming_meeting_with_its_notice_published_once_and_a_draft(
    django_capture_on_commit_callbacks,
):
    out = io.StringIO()
    members_demo.seed(out)

    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(out)
        demo.seed(out)

    meeting = Meeting.objects.get(status=Meeting.Status.PUBLISHED)
    assert Meeting.objects.filter(status=Meeting.Status.DRAFT, kind=Meeting.Kind.EXTRAORDINARY).count() == 1
    assert meeting.status == Meeting.Status.PUBLISHED and meeting.agenda_items.count() == 4
    assert meeting.eligible.filter(member__user__phone="+966500000201").exists()
    inbox = Notification.objects.filter(event="assembly_notice", channel="inbox")
    assert inbox.count() == meeting.eligible.count() == inbox.values("member").distinct().count()
