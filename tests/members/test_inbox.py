"""The member's inbox: own messages only, mark read (one, all, by opening), the bell, the short link."""

import pytest
from django.urls import reverse
from django.utils import translation

from members import outbox
from members.models import Channel, Notification
from tests.members.factories import MemberFactory, member_account

pytestmark = pytest.mark.django_db


def message(member, key, link="/members/me/"):
    rows = outbox.queue_notification(member=member, event="test_message", key=key, link=link)
    return next(row for row in rows if row.channel == Channel.INBOX)


@pytest.fixture
def member():
    return member_account(sms_consent=True)


@pytest.fixture
def signed_in(client, member):
    client.force_login(member.user)
    return client


def test_the_inbox_lists_only_the_members_own_messages(signed_in, member):
    mine = message(member, "mine")
    theirs = message(MemberFactory(), "theirs")
    Notification.objects.filter(pk=theirs.pk).update(subject="someone else's secret")

    response = signed_in.get(reverse("members:inbox"))

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [mine]
    assert "someone else's secret" not in response.content.decode()


def test_the_inbox_needs_sign_in(client):
    response = client.get(reverse("members:inbox"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_marking_one_message_read(signed_in, member):
    first, second = message(member, "a"), message(member, "b")

    response = signed_in.post(reverse("members:inbox-read", args=[first.pk]))

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_a_page_number_with_a_newline_is_not_echoed_into_the_redirect(signed_in, member):
    first = message(member, "a")

    response = signed_in.post(reverse("members:inbox-read", args=[first.pk]), {"page": "2\r\nSet-Cookie: x=1"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("members:inbox") + "?page=1#")


def test_marking_another_members_message_read_is_a_404(signed_in):
    theirs = message(MemberFactory(), "theirs")

    response = signed_in.post(reverse("members:inbox-read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_leaves_other_members_unread(signed_in, member):
    mine = [message(member, "a"), message(member, "b")]
    theirs = message(MemberFactory(), "c")

    signed_in.post(reverse("members:inbox-read-all"))

    assert all(Notification.objects.get(pk=row.pk).read_at for row in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_marking_read_needs_post(signed_in, member):
    row = message(member, "a")

    assert signed_in.get(reverse("members:inbox-read", args=[row.pk])).status_code == 405


def test_the_short_link_marks_read_and_goes_to_the_thing(signed_in, member):
    row = message(member, "a", link="/members/me/")

    response = signed_in.get(reverse("notification-link", args=[row.token]))

    assert response.status_code == 302 and response["Location"] == "/members/me/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_the_short_link_of_another_members_message_is_a_404(signed_in):
    theirs = message(MemberFactory(), "theirs")

    assert signed_in.get(reverse("notification-link", args=[theirs.token])).status_code == 404


def test_the_short_link_asks_for_sign_in_first_and_keeps_the_way_back(client, member):
    row = message(member, "a")

    response = client.get(reverse("notification-link", args=[row.token]))

    assert response.status_code == 302
    assert f"next=/n/{row.token}/" in response["Location"]


def test_the_short_link_never_redirects_off_site(signed_in, member):
    row = message(member, "a", link="https://evil.example/steal")

    response = signed_in.get(reverse("notification-link", args=[row.token]))

    assert response["Location"] == reverse("members:inbox")


def test_the_bell_shows_the_unread_count_on_every_page(signed_in, member):
    message(member, "a")
    message(member, "b")
    read = message(member, "c")
    outbox.mark_read(user=member.user, notification_id=read.pk)

    page = signed_in.get(reverse("home")).content.decode()

    assert 'data-testid="inbox-bell"' in page
    assert 'inbox-bell-count" aria-hidden="true">2<' in page


def test_staff_without_a_member_record_see_no_bell(client, make_user):
    from members.roles import Role

    client.force_login(make_user("staff@example.org", Role.STAFF))

    assert 'data-testid="inbox-bell"' not in client.get(reverse("home")).content.decode()


def test_the_unread_count_is_one_query(member, django_assert_num_queries):
    message(member, "a")

    with django_assert_num_queries(1):
        assert outbox.unread_count(member.user) == 1


def test_the_inbox_page_query_count_does_not_grow_with_messages(signed_in, member, django_assert_num_queries):
    for n in range(3):
        message(member, f"few{n}")
    with django_assert_num_queries(6) as few:  # session, user, roles, unread count, page count, rows
        signed_in.get(reverse("members:inbox"))
    for n in range(15):
        message(member, f"many{n}")

    with django_assert_num_queries(len(few.captured_queries)):
        signed_in.get(reverse("members:inbox"))


def test_a_member_reading_in_english_sees_an_arabic_message_in_english(signed_in, member):
    member.language = "ar"
    member.save(update_fields=["language"])
    message(member, "arabic")

    arabic = signed_in.get(reverse("members:inbox")).content.decode()
    signed_in.cookies["django_language"] = "en"
    try:
        english = signed_in.get(reverse("members:inbox")).content.decode()
    finally:
        translation.activate("ar")  # the view left English active in this thread: later tests expect Arabic

    assert "Test message from the members portal" not in arabic
    assert "Test message from the members portal" in english
