"""Both languages on the members pages and documents: words, not codes; plurals; dates in both calendars."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from members import outbox, selectors
from members.models import Channel, MemberImport
from members.roles import Role
from members_portal.templatetags.hijri import dual_date
from tests.members.factories import MemberFactory, UserFactory, member_account
from tests.members.test_importing import as_csv, rows

pytestmark = pytest.mark.django_db


def test_the_outbox_page_names_each_message_in_words_not_by_its_code(client):
    outbox.queue_notification(member=member_account(sms_consent=True), event="test_message", key="t1")
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))

    html = client.get(reverse("members:outbox-list")).content.decode()

    assert "test_message" not in html
    assert "رسالة تجريبية" in html


@pytest.fixture(autouse=True)
def register_with_capital():
    """Shares already held, so a few imported members stay under the 10 % cap."""
    MemberFactory.create_batch(20, shares=50)


def test_the_import_preview_does_not_count_rows_with_problems_as_new_members(client):
    table = rows(5)
    table[0][3] = "12345"  # not a Saudi mobile
    table[1][1] = "123"  # not a national ID
    client.force_login(UserFactory(roles=[Role.STAFF]))

    client.post(reverse("members:import-upload"), {"file": SimpleUploadedFile("r.csv", as_csv(table))})

    member_import = MemberImport.objects.get()
    assert (member_import.new_rows, member_import.problem_rows, member_import.total_rows) == (3, 2, 5)


@pytest.mark.parametrize(("count", "wanted"), [(1, "عضو جديد واحد."), (3, "3 أعضاء جدد."), (12, "12 عضوًا جديدًا.")])
def test_the_import_says_how_many_new_members_in_the_arabic_plural_form(client, count, wanted):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    client.post(reverse("members:import-upload"), {"file": SimpleUploadedFile("r.csv", as_csv(rows(count)))})

    response = client.post(
        reverse("members:import-commit", args=[MemberImport.objects.get().pk]), {"action": "commit"}, follow=True
    )

    html = response.content.decode()
    assert wanted in html


def test_the_data_export_names_channels_and_events_in_words_with_dates_in_both_calendars():
    member = member_account(sms_consent=True)
    outbox.queue_notification(member=member, event="test_message", key="export", link="/members/me/")

    with translation.override("ar"):
        html = render_to_string(
            "members/pdf/my_data.html", {"member": member, "data": selectors.member_data_export(member)}
        )

    assert "رسالة تجريبية" in html and "test_message" not in html
    assert str(Channel.SMS.label) in html and ">sms<" not in html
    today = timezone.localdate()
    assert str(dual_date(today)).split(" ")[0] in html  # the Hijri day
    assert today.isoformat() not in html


def test_links_in_the_data_export_read_left_to_right():
    from members.templatetags.message_tags import ltr_tokens

    html = ltr_tokens("افتح الرابط https://portal.example/n/abc/ الآن <b>")

    assert '<span dir="ltr" class="ltr text-nowrap">https://portal.example/n/abc/</span>' in html
    assert "&lt;b&gt;" in html


def test_an_iso_date_from_the_export_reads_in_both_calendars():
    with translation.override("ar"):
        html = str(dual_date(datetime.date(2026, 12, 5).isoformat()))

    assert "1448" in html and "2026" in html


def test_request_numbers_and_dates_in_a_message_keep_their_direction_and_stay_whole():
    from members.templatetags.message_tags import ltr_tokens

    html = ltr_tokens("قيّم خدمتنا في الطلب NJC-2026-000289. الرابط صالح حتى 2027-01-04.")

    assert '<span dir="ltr" class="ltr text-nowrap">NJC-2026-000289</span>' in html
    assert '<span dir="ltr" class="ltr text-nowrap">2027-01-04</span>' in html
