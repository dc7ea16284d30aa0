"""The operations view: administrators only, filters, failure reasons, retry, test message."""

import pytest
from django.urls import reverse

from members import outbox
from members.models import Channel, Notification
from members.roles import Role
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Notification.Status


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    return client


def failed_sms(reason="SMS gateway answered HTTP 500: boom"):
    member = MemberFactory(sms_consent=True)
    rows = outbox.queue_notification(member=member, event="test_message", key=f"t{member.pk}")
    sms = next(row for row in rows if row.channel == Channel.SMS)
    Notification.objects.filter(pk=sms.pk).update(status=Status.FAILED, attempts=5, last_error=reason)
    return sms


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STAFF, Role.SUPERVISOR])
def test_only_administrators_open_the_outbox(client, role):
    client.force_login(UserFactory(roles=[role]))

    assert client.get(reverse("members:outbox-list")).status_code == 403


def test_the_outbox_shows_failures_with_their_reason_and_filters_by_status(admin_client):
    failed = failed_sms("SMS gateway answered HTTP 500: boom")
    MemberFactory.create_batch(2)

    response = admin_client.get(reverse("members:outbox-list"), {"status": Status.FAILED})

    assert list(response.context["page_obj"]) == [failed]
    assert "SMS gateway answered HTTP 500: boom" in response.content.decode()


def test_the_outbox_shows_what_the_provider_reported_about_a_sent_message(admin_client):
    member = MemberFactory(sms_consent=True)
    rows = outbox.queue_notification(member=member, event="test_message", key="reported")
    sms = next(row for row in rows if row.channel == Channel.SMS)
    Notification.objects.filter(pk=sms.pk).update(
        status=Status.SENT, delivery_state=Notification.DeliveryState.FAILED, delivery_error="ER-05 no route"
    )

    response = admin_client.get(reverse("members:outbox-list"), {"status": Status.SENT})

    assert "لم تصل: " in response.content.decode() and "ER-05 no route" in response.content.decode()


def test_the_outbox_never_shows_the_links_that_carry_a_members_token(admin_client):
    sms = failed_sms()
    Notification.objects.filter(pk=sms.pk).update(body="قيّم الخدمة: http://portal.example/surveys/s/SeCrEtToKeN/")

    html = admin_client.get(reverse("members:outbox-list")).content.decode()

    assert "قيّم الخدمة" in html
    assert "SeCrEtToKeN" not in html


def test_the_summary_counts_by_channel_and_status(admin_client):
    failed_sms()

    summary = admin_client.get(reverse("members:outbox-list")).context["summary"]

    by_channel = {str(row["channel"]): row["counts"] for row in summary}
    statuses = list(Status.values)
    assert by_channel[str(Channel.SMS.label)][statuses.index(Status.FAILED)] == 1
    assert by_channel[str(Channel.INBOX.label)][statuses.index(Status.SENT)] == 1


def test_retry_from_the_page_sends_the_failed_message(
    admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    failed = failed_sms()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("members:outbox-retry", args=[failed.pk]))

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Status.SENT
    assert settings.SMS_FILE_PATH.read_text(encoding="utf-8").count("\n") == 1


def test_a_test_message_reaches_one_member(admin_client, django_capture_on_commit_callbacks):
    member = MemberFactory(membership_no="10777", sms_consent=False)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("members:outbox-test-message"), {"membership_no": "10777"})

    assert list(Notification.objects.filter(member=member).values_list("event", "channel")) == [
        ("test_message", Channel.INBOX)
    ]


def test_the_outbox_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries):
    failed_sms()
    with django_assert_num_queries(6) as few:  # session, user, roles, summary, page count, rows with members
        admin_client.get(reverse("members:outbox-list"))
    for _ in range(10):
        failed_sms()

    with django_assert_num_queries(len(few.captured_queries)):
        admin_client.get(reverse("members:outbox-list"))


def a_message_to_check():
    sms = failed_sms()
    Notification.objects.filter(pk=sms.pk).update(status=Status.UNKNOWN, last_error="check the provider's log")
    return sms


def test_a_message_to_check_is_listed_with_both_ways_out(admin_client):
    sms = a_message_to_check()

    response = admin_client.get(reverse("members:outbox-list"), {"status": Status.UNKNOWN})

    page = response.content.decode()
    assert response.status_code == 200 and "للتحقق: ربما أُرسلت" in page
    assert reverse("members:outbox-retry", args=[sms.pk]) in page
    assert reverse("members:outbox-confirm-sent", args=[sms.pk]) in page


def test_an_administrator_confirms_a_message_to_check_as_sent(admin_client):
    sms = a_message_to_check()

    response = admin_client.post(reverse("members:outbox-confirm-sent", args=[sms.pk]))

    assert response.status_code == 302
    assert Notification.objects.get(pk=sms.pk).status == Status.SENT


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STAFF, Role.SUPERVISOR])
def test_only_administrators_confirm_a_message_as_sent(client, role):
    sms = a_message_to_check()
    client.force_login(UserFactory(roles=[role]))

    assert client.post(reverse("members:outbox-confirm-sent", args=[sms.pk])).status_code == 403
    assert Notification.objects.get(pk=sms.pk).status == Status.UNKNOWN


def test_a_failed_message_cannot_be_confirmed_as_sent(admin_client):
    sms = failed_sms()

    admin_client.post(reverse("members:outbox-confirm-sent", args=[sms.pk]))

    assert Notification.objects.get(pk=sms.pk).status == Status.FAILED
