"""The room on the meeting's day: a meeting whose secret questions were open online, then held this hour, with members
registered at the door, the chair elected, and officers to count the paper ballots."""

from django.contrib.auth.models import Group
from django.utils import timezone

from assembly import conduct
from assembly.models import Meeting, Registration
from ballots.models import Slot
from ballots.voting import cast, open_voting
from members.roles import Role
from tests.members.factories import UserFactory


def officer(first_name: str):
    user = UserFactory(first_name=first_name, last_name="آل يام")
    user.groups.add(Group.objects.get_or_create(name=Role.BOARD)[0])
    return user


def vote_online(question, member, chosen: list[int]) -> str:
    slot = Slot.objects.get(question=question, member=member)
    credential = open_voting(slot=slot, by=member)
    return cast(slot=slot, by=member, credential=credential, option_ids=chosen).receipt


def held_now(meeting: Meeting, by, present: list) -> Meeting:
    """The meeting moved to the start of this hour (today, begun), `present` registered at the door, a chair."""
    starts_at = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts_at)
    meeting.refresh_from_db()
    for member in present:
        Registration.objects.create(meeting=meeting, member=member, registered_by=by)
    return conduct.elect_chair(meeting=meeting, by=by, membership_no=present[0].membership_no, votes=len(present))
