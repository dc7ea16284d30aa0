"""A member's reply from outside the portal counts only from a member with a portal account (docs/channels.md,
"Replies"): one on the register without an account is refused and logged, never a crash."""

import logging

import pytest

from requests_app import member_replies
from requests_app.models import ServiceRequest, TimelineEvent
from tests.members.factories import MemberFactory
from tests.requests_app.factories import ServiceRequestFactory
from tests.seed_data import restore_seed_data

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status


def test_a_reply_from_a_member_without_an_account_is_refused_and_logged(caplog):
    member = MemberFactory(user=None)
    ServiceRequestFactory(member=member, status=Status.UNDER_REVIEW)

    with caplog.at_level(logging.INFO, logger="requests_app.member_replies"):
        where = member_replies.land_reply(member=member, text="أرسلت الصك", reference="wamid.N1")

    assert where is None
    assert not TimelineEvent.objects.filter(kind=TimelineEvent.Kind.MEMBER_MESSAGE).exists()
    assert f"member {member.pk} has no portal account" in caplog.text


def test_a_reply_from_a_member_without_an_account_opens_no_inquiry():
    restore_seed_data()  # the catalogue's inquiry service (a transactional test before may have flushed it)
    member = MemberFactory(user=None)

    where = member_replies.land_reply(member=member, text="متى الجمعية العمومية؟", reference="wamid.N2")

    assert where is None
    assert not ServiceRequest.objects.filter(member=member).exists()
