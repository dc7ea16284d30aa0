import io

import pytest

from assembly import demo
from assembly.models import Meeting, Proxy
from members import demo as members_demo
from members.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    default = {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}
    settings.STORAGES = {**settings.STORAGES, "default": default}


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
    published = meeting.documents.filter(published_at__isnull=False)
    assert sorted(published.values_list("kind", flat=True)) == ["accounts", "auditor_report", "board_report"]
    assert all(document.file.open("rb").read(5) == b"%PDF-" for document in published)
    waiting = Proxy.objects.get(meeting=meeting, status=Proxy.Status.OFFERED)
    assert waiting.code_hash and waiting.code_sent_at  # its holder was sent the code


def test_the_demo_has_a_past_meeting_held_with_its_chair_decisions_and_minutes_once(
    django_capture_on_commit_callbacks,
):
    from assembly import demo_minutes
    from assembly.attendance import attendance

    out = io.StringIO()
    members_demo.seed(out)

    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(out)
        demo_minutes.seed(out)
        demo_minutes.seed(out)

    held = Meeting.objects.get(status=Meeting.Status.HELD)
    seen = attendance(held)
    assert seen.quorum_met and held.chair is not None and held.minutes
    decisions = [item.decision for item in held.agenda_items.order_by("order")]
    assert all(decision.is_confirmed and decision.present == seen.counted for decision in decisions)
    assert any(decision.chair_side for decision in decisions) or seen.counted % 2 == 1
    assert decisions[0].adopted is True and decisions[-1].adopted is False
    assert held.eligible.filter(member__user__phone="+966500000201").exists()
    told = Notification.objects.filter(event="assembly_minutes", channel="inbox")
    assert told.count() == held.eligible.count()
    assert Meeting.objects.filter(status=Meeting.Status.PUBLISHED).count() == 1  # the upcoming one is still there
