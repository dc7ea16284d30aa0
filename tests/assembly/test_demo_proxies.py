import io

import pytest

from assembly import demo
from assembly.models import Meeting, Proxy
from members import demo as members_demo

pytestmark = pytest.mark.django_db


def test_the_demo_s_upcoming_meeting_has_a_proxy_held_by_the_readme_member_and_one_waiting(
    django_capture_on_commit_callbacks,
):
    out = io.StringIO()
    members_demo.seed(out)

    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(out)
        demo.seed(out)

    meeting = Meeting.objects.get(status=Meeting.Status.PUBLISHED)
    held = Proxy.objects.get(meeting=meeting, holder__user__phone="+966500000201")
    assert held.status == Proxy.Status.ACCEPTED
    assert Proxy.objects.filter(meeting=meeting, status=Proxy.Status.OFFERED).count() == 1
    assert Proxy.objects.count() == 2


def test_the_demo_s_held_meeting_counts_members_represented_by_proxy(django_capture_on_commit_callbacks):
    from assembly import demo_minutes
    from assembly.attendance import attendance

    out = io.StringIO()
    members_demo.seed(out)

    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(out)
        demo_minutes.seed(out)

    held = Meeting.objects.get(status=Meeting.Status.HELD)
    seen = attendance(held)
    assert seen.represented == 5 and seen.quorum_met
    assert all(item.decision.present == seen.counted for item in held.agenda_items.all())
