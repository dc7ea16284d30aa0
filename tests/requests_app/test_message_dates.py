"""Dates in the messages members read (inbox, e-mail) carry the Hijri date beside the Gregorian one, as on
the portal's pages: the expected completion of a new request and the General Assembly a proxy is for."""

import datetime

import pytest

from members import notification_texts, outbox
from members.models import Channel, Notification
from requests_app import services
from tests.requests_app.factories import draft_with_deed

pytestmark = pytest.mark.django_db

PROXY_EVENTS = ["proxy_offered", "proxy_answered", "proxy_revoked", "proxy_revoked_on_arrival"]


def test_the_notice_of_a_new_request_gives_its_expected_completion_in_both_calendars(
    member, request_type, django_capture_on_commit_callbacks
):
    draft = draft_with_deed(member, request_type)
    with django_capture_on_commit_callbacks(execute=True):
        service_request = services.submit_request(draft=draft, answers=[], by=member.user)

    inbox = Notification.objects.get(member=member, event="request_submitted", channel="inbox")
    rendered = outbox.render_message(
        event="request_submitted", channel=Channel.INBOX, language="ar", context=inbox.context
    )
    due = service_request.due_date
    assert f"{due.day} " in rendered.body and f"{due.year} م" in rendered.body  # Gregorian, as before
    assert "هـ" in rendered.body  # and the Hijri date beside it
    assert due.strftime("%Y/%m/%d") not in rendered.body


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("channel", [Channel.INBOX, Channel.EMAIL])
@pytest.mark.parametrize("event", PROXY_EVENTS)
def test_proxy_messages_name_the_assembly_in_both_calendars(event, channel, language):
    if not notification_texts.has_template(event=event, channel=channel, language=language):
        pytest.skip(f"{event} has no {channel} text")
    context = {
        "other_name": "عبدالرحمن بن محمد آل مريح",
        "other_first_name": "عبدالرحمن",
        "meeting_date": datetime.date(2026, 12, 27).isoformat(),
        "accepted": True,
        "link": "https://portal.najrancoffee.sa/assembly/1/",
        "short_link": "https://portal.najrancoffee.sa/n/AbCdEfGh/",
        "member_name": "حصة آل سالم",
    }

    rendered = outbox.render_message(event=event, channel=channel, language=language, context=context, shorten=False)

    text = rendered.subject + rendered.body
    assert "2026-12-27" not in text
    assert (
        "18 رجب 1448 هـ (27 ديسمبر 2026 م)" if language == "ar" else "18 Rajab 1448 AH (27 December 2026 CE)"
    ) in text
