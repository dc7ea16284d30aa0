"""A member's WhatsApp reply: on their open request's timeline, or a new inquiry; strangers and files get an answer
and nothing else."""

import pytest
from django.core.cache import cache

from members.roles import Role
from messaging import fake_whatsapp
from messaging.models import ReceivedMessage
from requests_app.models import Channel, ServiceRequest, TimelineEvent
from tests.members.factories import MemberFactory
from tests.messaging.test_whatsapp_fallback import post_signed
from tests.requests_app.factories import ServiceRequestFactory
from tests.seed_data import restore_seed_data

pytestmark = pytest.mark.django_db
MOBILE = "+966501112233"
Status = ServiceRequest.Status


@pytest.fixture
def member(make_user):
    user = make_user("reply@example.org", Role.MEMBER, phone=MOBILE, phone_verified=True)
    return MemberFactory(user=user, mobile=MOBILE)


@pytest.fixture
def webhook(client, whatsapp, django_capture_on_commit_callbacks):
    cache.clear()  # which messages were answered is remembered in the cache

    def post(payload: dict):
        with django_capture_on_commit_callbacks(execute=True):
            return post_signed(client, payload).json()["outcomes"]

    return post


def test_a_reply_lands_on_the_most_recent_open_request(webhook, member, whatsapp):
    ServiceRequestFactory(member=member, status=Status.UNDER_REVIEW)
    latest = ServiceRequestFactory(member=member, status=Status.RETURNED_TO_MEMBER)
    ServiceRequestFactory(member=member, status=Status.COMPLETED)

    outcomes = webhook(fake_whatsapp.message_payload(MOBILE, text="أرفقت الصك في البوابة", message_id="wamid.R1"))

    event = TimelineEvent.objects.get(kind=TimelineEvent.Kind.MEMBER_MESSAGE)
    assert outcomes == {"landed": 1}
    assert event.service_request == latest and event.note == "أرفقت الصك في البوابة" and event.actor == member.user
    assert whatsapp.taken == []


def test_a_reply_sent_twice_lands_once(webhook, member):
    ServiceRequestFactory(member=member, status=Status.UNDER_REVIEW)
    payload = fake_whatsapp.message_payload(MOBILE, text="شكرا", message_id="wamid.R2")

    first, second = webhook(payload), webhook(payload)

    assert (first, second) == ({"landed": 1}, {"duplicate": 1})
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.MEMBER_MESSAGE).count() == 1


def test_a_reply_with_no_open_request_opens_an_inquiry_by_whatsapp(webhook, member):
    restore_seed_data()  # the catalogue's inquiry service (a transactional test before may have flushed it)
    outcomes = webhook(fake_whatsapp.message_payload(MOBILE, text="متى الجمعية العمومية؟", message_id="wamid.R3"))

    inquiry = ServiceRequest.objects.get(member=member)
    assert outcomes == {"landed": 1}
    assert inquiry.channel == Channel.WHATSAPP and inquiry.request_type.kind == "inquiry"
    assert inquiry.answers[1]["value"] == "متى الجمعية العمومية؟"


def test_an_unknown_number_gets_a_polite_arabic_answer_and_nothing_else(webhook, whatsapp):
    outcomes = webhook(fake_whatsapp.message_payload("+966509998877", text="السلام عليكم", message_id="wamid.U1"))

    [answer] = whatsapp.taken
    assert outcomes == {"unknown_number": 1}
    assert answer.to == "966509998877" and answer.kind == "text" and "غير مسجل" in answer.text
    assert not ServiceRequest.objects.exists() and not ReceivedMessage.objects.exists()


def test_a_mobile_not_verified_on_the_account_is_an_unknown_number(webhook, member):
    member.user.phone_verified = False
    member.user.save()

    outcomes = webhook(fake_whatsapp.message_payload(MOBILE, text="مرحبا", message_id="wamid.U2"))

    assert outcomes == {"unknown_number": 1} and not TimelineEvent.objects.exists()


def test_a_file_gets_a_clear_answer_and_nothing_is_stored(webhook, member, whatsapp, caplog):
    ServiceRequestFactory(member=member, status=Status.UNDER_REVIEW)

    with caplog.at_level("INFO", logger="messaging.whatsapp_replies"):
        outcomes = webhook(fake_whatsapp.message_payload(MOBILE, kind="document", message_id="wamid.F1"))

    assert "is a document: refused, nothing stored" in caplog.text

    [answer] = whatsapp.taken
    assert outcomes == {"not_allowed": 1} and "البوابة" in answer.text
    assert not TimelineEvent.objects.filter(kind=TimelineEvent.Kind.MEMBER_MESSAGE).exists()
    assert not ReceivedMessage.objects.exists()


def test_a_stranger_writing_twice_in_the_same_message_is_answered_once(webhook, whatsapp):
    payload = fake_whatsapp.message_payload("+966509998877", text="?", message_id="wamid.U3")

    webhook(payload)
    webhook(payload)

    assert len(whatsapp.taken) == 1
