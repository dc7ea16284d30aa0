"""The delivery report for supervisors, the board and administrators: its figures recomputed from the rows."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Announcement, Channel, Notification
from members.roles import Role
from messaging import selectors
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status
DeliveryState = Notification.DeliveryState
URL = reverse("messaging:delivery-summary")


@pytest.fixture
def board_client(client, make_user):
    client.force_login(make_user("board@example.org", Role.BOARD, Role.MEMBER))
    return client


KEYS = itertools.count(1)


def row(channel=Channel.SMS, status=Status.SENT, provider="unifonic", state="", took_s=None, announcement=None):
    created = timezone.now() - timedelta(hours=1)
    notification = Notification.objects.create(
        member=MemberFactory(),
        channel=channel,
        event="test_message",
        language="ar",
        key=f"summary:{next(KEYS)}:{channel}",
        status=status,
        provider=provider,
        delivery_state=state,
        delivered_at=created + timedelta(seconds=took_s) if took_s is not None else None,
        announcement=announcement,
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=created)
    return notification


def test_the_figures_per_kind_channel_and_provider_match_the_rows(make_user):
    row(state=DeliveryState.DELIVERED, took_s=10)
    row(state=DeliveryState.DELIVERED, took_s=30)
    row(state=DeliveryState.DELIVERED, took_s=200)
    row(state=DeliveryState.FAILED)
    row()  # sent, no report yet
    row(status=Status.FAILED, provider="")
    row(status=Status.PENDING, provider="")
    row(status=Status.UNKNOWN, provider="")
    row(provider="taqnyat", state=DeliveryState.DELIVERED, took_s=5)
    row(channel=Channel.EMAIL, provider="")
    row(channel=Channel.INBOX, provider="")  # written delivered: not in the report
    announcement = Announcement.objects.create(
        title_ar="إعلان", title_en="Notice", body_ar="نص", body_en="Text", created_by=make_user("s@example.org")
    )
    row(announcement=announcement, state=DeliveryState.DELIVERED, took_s=60)
    Notification.objects.create(  # older than the period
        member=MemberFactory(), channel=Channel.SMS, event="x", language="ar", key="old", status=Status.SENT
    )
    Notification.objects.filter(key="old").update(created_at=timezone.now() - timedelta(days=40))

    since = timezone.now() - timedelta(days=30)
    rows = {(r.kind, r.channel, r.provider): r for r in selectors.delivery_summary(since=since)}

    unifonic = rows[("everyday", "sms", "unifonic")]
    assert (unifonic.total, unifonic.sent, unifonic.delivered, unifonic.not_delivered) == (5, 5, 3, 1)
    assert unifonic.median_seconds == 30
    no_provider = rows[("everyday", "sms", "")]
    assert (no_provider.total, no_provider.failed, no_provider.pending, no_provider.sent) == (3, 1, 2, 0)
    assert rows[("everyday", "sms", "taqnyat")].median_seconds == 5
    assert rows[("everyday", "email", "")].total == 1 and not rows[("everyday", "email", "")].has_reports
    assert rows[("announcements", "sms", "unifonic")].delivered == 1
    assert set(rows) == {
        ("everyday", "sms", "unifonic"),
        ("everyday", "sms", ""),
        ("everyday", "sms", "taqnyat"),
        ("everyday", "email", ""),
        ("announcements", "sms", "unifonic"),
    }


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.BOARD, Role.ADMINISTRATOR])
def test_supervisors_the_board_and_administrators_read_it(client, make_user, role):
    row(state=DeliveryState.DELIVERED, took_s=42)
    client.force_login(make_user("reader@example.org", role, Role.STAFF))

    response = client.get(URL)

    assert response.status_code == 200
    assert "42" in response.content.decode()


@pytest.mark.parametrize("roles", [(Role.MEMBER,), (Role.STAFF,)])
def test_members_and_staff_are_refused(client, make_user, roles):
    client.force_login(make_user("someone@example.org", *roles))

    assert client.get(URL).status_code == 403


def test_a_period_that_is_not_offered_says_so_and_shows_the_default(board_client):
    response = board_client.get(URL, {"days": "3650"})

    assert response.status_code == 200
    assert response.context["days"] == 30
    assert response.context["form"].errors["days"]


def test_the_page_reads_in_a_fixed_number_of_queries(board_client, django_assert_max_num_queries):
    for _ in range(20):
        row(state=DeliveryState.DELIVERED, took_s=12)
        row(provider="taqnyat", channel=Channel.EMAIL)

    with django_assert_max_num_queries(8):
        board_client.get(URL)


def test_whatsapp_has_its_own_line_with_what_its_statuses_reported():
    row(channel=Channel.WHATSAPP, provider="whatsapp", state=DeliveryState.DELIVERED, took_s=5)
    row(channel=Channel.WHATSAPP, provider="whatsapp", status=Status.FAILED, state=DeliveryState.FAILED)

    [line] = selectors.delivery_summary(since=timezone.now() - timedelta(days=1))

    assert (line.channel, line.provider_label, line.has_reports) == (Channel.WHATSAPP, "واتساب", True)
    assert (line.total, line.delivered, line.not_delivered, line.failed) == (2, 1, 1, 1)
