"""The bulk writer (announcements, the Assembly's notices) follows the channel table: WhatsApp in place of SMS for a
member who opted in when the message has a template in their language, SMS otherwise; SQL and ORM paths alike."""

import pytest

from members import bulk_outbox
from members.models import Channel, Notification
from members.notification_texts import Rendered
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "ar": {
        Channel.INBOX: Rendered("إشعار", "نص"),
        Channel.SMS: Rendered("", "رسالة نصية"),
        Channel.EMAIL: Rendered("إشعار", "نص"),
        Channel.WHATSAPP: Rendered("general_assembly_notice", "الجمعية العادية\n1448/06/26"),
    },
    "en": {  # no approved template in English
        Channel.INBOX: Rendered("Notice", "Text"),
        Channel.SMS: Rendered("", "Text message"),
        Channel.EMAIL: Rendered("Notice", "Text"),
    },
}


@pytest.mark.parametrize("writer", ["write_rows", "_insert_orm"])
def test_whatsapp_replaces_sms_only_with_opt_in_and_a_template_in_the_members_language(writer):
    arabic_opted_in = MemberFactory(language="ar", whatsapp_consent=True, sms_consent=True)
    english_opted_in = MemberFactory(language="en", whatsapp_consent=True, sms_consent=True)
    arabic_not = MemberFactory(language="ar", whatsapp_consent=False, sms_consent=True)
    ids = [arabic_opted_in.pk, english_opted_in.pk, arabic_not.pk]
    arguments = {"event": "assembly_notice", "texts": TEXTS, "context": {}, "link": "/assembly/1/"}

    if writer == "write_rows":
        bulk_outbox.write_rows(member_ids=ids, key_prefix="assembly:1:", **arguments)
    else:
        bulk_outbox._insert_orm(ids, arguments["event"], "assembly:1:", TEXTS, {}, "/assembly/1/", None)

    def channels(member):
        return set(
            Notification.objects.filter(member=member).exclude(channel=Channel.INBOX).values_list("channel", flat=True)
        )

    assert channels(arabic_opted_in) == {Channel.WHATSAPP}
    assert channels(english_opted_in) == {Channel.SMS}
    assert channels(arabic_not) == {Channel.SMS}
    whatsapp = Notification.objects.get(member=arabic_opted_in, channel=Channel.WHATSAPP)
    assert (whatsapp.subject, whatsapp.fallback_body) == ("general_assembly_notice", "رسالة نصية")
