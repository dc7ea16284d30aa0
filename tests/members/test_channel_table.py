"""The channel table: delivery, queueing and the preferences page read every channel from it."""

import pytest

from members import channel_table, outbox
from members.forms import PreferencesForm
from members.models import Channel
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_table_holds_one_entry_per_channel_with_the_inbox_first():
    channels = [kind.channel for kind in channel_table.TABLE]

    assert channels[0] == Channel.INBOX
    assert len(channels) == len(set(channels))


def test_a_member_is_reached_on_each_channel_they_consent_to_and_have_an_address_for():
    member = MemberFactory(sms_consent=True, email="a@example.com", email_consent=False)

    assert outbox.channels_for(member) == [Channel.INBOX, Channel.SMS]


def test_e_mail_consent_without_an_address_reaches_nobody():
    member = MemberFactory(sms_consent=False, email="", email_consent=True)

    assert outbox.channels_for(member) == [Channel.INBOX]


def test_the_preferences_form_asks_each_consent_of_the_table():
    form = PreferencesForm()

    assert [name for name in form.fields if name.endswith("_consent")] == channel_table.consent_fields()


def test_an_unknown_channel_is_a_channel_error():
    with pytest.raises(channel_table.delivery.ChannelError):
        channel_table.kind_of("pigeon")
