import io

import pytest

from assembly import demo as assembly_demo
from ballots import demo
from ballots.models import Nomination
from members import demo as members_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    default = {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}
    settings.STORAGES = {**settings.STORAGES, "default": default}


def test_the_demo_draft_takes_nominations_two_standing_one_disqualified_once(django_capture_on_commit_callbacks):
    out = io.StringIO()
    members_demo.seed(out)
    with django_capture_on_commit_callbacks(execute=True):
        assembly_demo.seed(out)
    demo.seed(out)
    demo.seed(out)

    nominations = Nomination.objects.select_related("member__user", "entered_by")
    assert nominations.count() == 3
    standing = [nomination for nomination in nominations if nomination.is_standing]
    assert len(standing) == 2
    assert {nomination.entered_by == nomination.member.user for nomination in standing} == {True, False}
    refused = nominations.get(disqualified_at__isnull=False)
    assert refused.disqualified_reason == demo.DISQUALIFIED_REASON
    assert not nominations.filter(member__user__phone="+966500000201").exists()  # the README's member may stand
    assert {nomination.meeting.status for nomination in nominations} == {"draft"}
