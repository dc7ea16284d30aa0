"""Announcements: who may send, validation before queueing, segments, background fan-out, report, home page."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members import announcements, bulk_outbox, tasks
from members.models import Announcement, Channel, Governorate, Member, Notification
from members.roles import Role
from tests.members.factories import MemberFactory, UserFactory, member_account

pytestmark = pytest.mark.django_db
Status = Notification.Status

TEXT = {
    "title_ar": "اجتماع الجمعية العمومية",
    "title_en": "General Assembly meeting",
    "body_ar": "تدعوكم الجمعية إلى اجتماع الجمعية العمومية العادي.",
    "body_en": "The cooperative invites you to the ordinary General Assembly.",
}


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    return settings.SMS_FILE_PATH


def send(by, segment=Announcement.Segment.ALL, governorate="", **changes):
    return announcements.send_announcement(by=by, segment=segment, governorate=governorate, **{**TEXT, **changes})


def test_supervisors_and_administrators_hold_the_permission_staff_do_not():
    assert UserFactory(roles=[Role.SUPERVISOR]).has_perm("members.send_announcement")
    assert UserFactory(roles=[Role.ADMINISTRATOR]).has_perm("members.send_announcement")
    assert not UserFactory(roles=[Role.STAFF]).has_perm("members.send_announcement")
    assert not UserFactory(roles=[Role.MEMBER]).has_perm("members.send_announcement")


def test_staff_without_the_permission_cannot_send():
    MemberFactory()

    with pytest.raises(ValidationError):
        send(UserFactory(roles=[Role.STAFF]))

    assert not Announcement.objects.exists()


@pytest.mark.parametrize("field", ["title_ar", "title_en", "body_ar", "body_en"])
def test_an_announcement_without_text_is_refused_before_anything_is_queued(supervisor, field):
    MemberFactory()

    with pytest.raises(ValidationError) as error:
        send(supervisor, **{field: "   "})

    assert field in error.value.message_dict
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_a_segment_matching_nobody_is_refused_with_an_arabic_reason(supervisor):
    MemberFactory(governorate=Governorate.NAJRAN)

    with pytest.raises(ValidationError) as error:
        send(supervisor, segment=Announcement.Segment.GOVERNORATE, governorate=Governorate.THAR)

    assert "لا يطابق" in error.value.messages[0]
    assert not Announcement.objects.exists()


def test_a_title_too_long_for_two_sms_segments_is_refused(supervisor, settings):
    settings.SITE_URL = "https://members-portal.najran-agricultural-coffee-cooperative.example"
    MemberFactory()

    with pytest.raises(ValidationError) as error:
        send(supervisor, title_ar="ب" * 80)

    assert "title_ar" in error.value.message_dict
    assert not Announcement.objects.exists()


def test_only_active_members_of_the_governorate_are_recipients():
    in_najran = MemberFactory(governorate=Governorate.NAJRAN)
    MemberFactory(governorate=Governorate.SHARURAH)
    MemberFactory(governorate=Governorate.NAJRAN, status=Member.Status.SUSPENDED)

    chosen = announcements.recipients(segment=Announcement.Segment.GOVERNORATE, governorate=Governorate.NAJRAN)

    assert list(chosen) == [in_najran]


def test_the_open_requests_segment_asks_the_requests_app():
    from django.apps import apps

    if not apps.is_installed("requests_app"):
        chosen = announcements.recipients(segment=Announcement.Segment.OPEN_REQUESTS)
        assert list(chosen) == []
        return
    factories = pytest.importorskip("tests.requests_app.factories")
    request_factory = getattr(factories, "ServiceRequestFactory", None)
    if request_factory is None:
        pytest.skip("the requests app has no ServiceRequestFactory yet")
    with_open = MemberFactory()
    request_factory(member=with_open)
    with_closed = MemberFactory()
    request_factory(member=with_closed, status="completed")
    MemberFactory()

    chosen = announcements.recipients(segment=Announcement.Segment.OPEN_REQUESTS)

    assert list(chosen) == [with_open]


def test_the_preview_counts_and_samples_without_queueing(supervisor):
    MemberFactory.create_batch(12)

    preview = announcements.validate(**TEXT, segment=Announcement.Segment.ALL)

    assert preview.count == 12 and len(preview.sample) == announcements.SAMPLE_SIZE
    assert TEXT["title_ar"] in preview.sms_ar and TEXT["title_en"] in preview.sms_en
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_sending_writes_rows_in_the_background_after_commit(supervisor, django_capture_on_commit_callbacks, sms_file):
    arabic = MemberFactory(language="ar", sms_consent=True, email="", email_consent=False)
    english = MemberFactory(language="en", sms_consent=False, email="e@example.org", email_consent=True)

    with django_capture_on_commit_callbacks() as callbacks:
        announcement = send(supervisor)
    assert not Notification.objects.exists()  # nothing before commit: the request only records the announcement

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.QUEUED and announcement.recipients == 2
    rows = {(row.member_id, row.channel): row for row in announcement.notifications.all()}
    assert set(rows) == {
        (arabic.pk, Channel.INBOX),
        (arabic.pk, Channel.SMS),
        (english.pk, Channel.INBOX),
        (english.pk, Channel.EMAIL),
    }
    assert rows[(arabic.pk, Channel.INBOX)].subject == TEXT["title_ar"]
    assert rows[(english.pk, Channel.EMAIL)].subject == TEXT["title_en"]
    assert all(row.status == Status.SENT for row in rows.values())
    sms = [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines()]
    assert [line["to"] for line in sms] == [str(arabic.mobile)]
    assert sms[0]["text"].endswith(f"/a/{announcement.pk}/")


def test_fanning_out_twice_duplicates_nothing(supervisor, django_capture_on_commit_callbacks):
    MemberFactory.create_batch(3, sms_consent=True)
    announcement = send(supervisor)

    announcements.fan_out(announcement_id=announcement.pk)
    announcements.fan_out(announcement_id=announcement.pk)

    assert announcement.notifications.count() == 6


def test_the_sweep_leaves_an_announcement_already_queued_alone(supervisor, settings):
    """The sweep fans out again only an announcement still being prepared (its fan-out task was lost): one already
    queued is not sent a second time, to anyone, nor to a member who became active since it was sent."""
    settings.OUTBOX_PENDING_GRACE_S = 60
    MemberFactory.create_batch(2)
    announcement = send(supervisor)
    announcements.fan_out(announcement_id=announcement.pk)
    Announcement.objects.filter(pk=announcement.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    newcomer = MemberFactory()

    tasks.sweep_outbox()

    announcement.refresh_from_db()
    assert announcement.recipients == 2
    assert not Notification.objects.filter(member=newcomer).exists()
    assert announcement.notifications.filter(channel=Channel.INBOX).count() == 2


def test_the_report_counts_by_channel_and_status(supervisor):
    MemberFactory.create_batch(3, sms_consent=True)
    announcement = send(supervisor)
    announcements.fan_out(announcement_id=announcement.pk)
    failed = announcement.notifications.filter(channel=Channel.SMS).first()
    Notification.objects.filter(pk=failed.pk).update(status=Status.FAILED)

    table = announcements.report(announcement)

    assert table[Channel.INBOX] == {Status.SENT: 3}
    assert table[Channel.SMS] == {Status.PENDING: 2, Status.FAILED: 1}
    assert table[Channel.EMAIL] == {}


# --- Pages -------------------------------------------------------------------------------------------


def test_the_form_previews_then_sends(client, supervisor, django_capture_on_commit_callbacks):
    MemberFactory.create_batch(2)
    client.force_login(supervisor)
    data = {**TEXT, "segment": Announcement.Segment.ALL, "governorate": ""}

    preview = client.post(reverse("members:announcement-create"), {**data, "action": "preview"})
    assert preview.status_code == 200 and preview.context["preview"].count == 2
    assert not Announcement.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("members:announcement-create"), {**data, "action": "send"})

    announcement = Announcement.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse(
        "members:announcement-report", args=[announcement.pk]
    )
    report = client.get(sent["Location"])
    assert report.status_code == 200 and 'data-testid="delivery-report"' in report.content.decode()


def test_the_form_shows_the_empty_segment_error_in_arabic(client, supervisor):
    MemberFactory(governorate=Governorate.NAJRAN)
    client.force_login(supervisor)
    data = {**TEXT, "segment": Announcement.Segment.GOVERNORATE, "governorate": Governorate.KHUBASH, "action": "send"}

    response = client.post(reverse("members:announcement-create"), data)

    assert response.status_code == 200
    assert "لا يطابق هذا النطاق أي عضو" in response.content.decode()
    assert not Announcement.objects.exists()


def test_staff_without_the_permission_get_403_on_the_form(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))

    assert client.get(reverse("members:announcement-create")).status_code == 403


def test_members_see_their_announcements_on_the_home_page_and_others_do_not(client, supervisor):
    najran = member_account(governorate=Governorate.NAJRAN)
    thar = member_account(governorate=Governorate.THAR)
    announcement = send(supervisor, segment=Announcement.Segment.GOVERNORATE, governorate=Governorate.NAJRAN)
    announcements.fan_out(announcement_id=announcement.pk)

    client.force_login(najran.user)
    assert TEXT["title_ar"] in client.get(reverse("home")).content.decode()
    assert client.get(announcement.get_absolute_url()).status_code == 200

    client.force_login(thar.user)
    assert TEXT["title_ar"] not in client.get(reverse("home")).content.decode()
    assert client.get(announcement.get_absolute_url()).status_code == 404


def test_opening_an_announcement_marks_its_inbox_copy_read(client, supervisor):
    member = member_account()
    announcement = send(supervisor)
    announcements.fan_out(announcement_id=announcement.pk)
    client.force_login(member.user)

    client.get(reverse("announcement-link", args=[announcement.pk]), follow=True)

    assert announcement.notifications.get(member=member, channel=Channel.INBOX).read_at is not None


def test_the_announcement_list_query_count_does_not_grow(client, supervisor, django_assert_num_queries):
    MemberFactory()
    client.force_login(supervisor)
    send(supervisor)
    with django_assert_num_queries(7) as few:  # session, user, 2 permission reads, roles, page count, rows
        client.get(reverse("members:announcement-list"))
    for _ in range(5):
        send(supervisor)

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("members:announcement-list"))


def test_the_sql_and_the_portable_fan_out_write_the_same_rows(supervisor):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the SQL fan-out is PostgreSQL's")
    MemberFactory(language="ar", sms_consent=True, email="a@example.org", email_consent=True)
    MemberFactory(language="en", sms_consent=False, email="b@example.org", email_consent=False)
    MemberFactory(language="en", sms_consent=True, email="", email_consent=True)
    by_sql, by_orm = send(supervisor), send(supervisor)
    ids = list(Member.objects.values_list("pk", flat=True))

    def texts(announcement):
        return {
            language: announcements._texts(
                title=getattr(announcement, f"title_{language}"),
                body=getattr(announcement, f"body_{language}"),
                language=language,
                link=f"/a/{announcement.pk}/",
            )
            for language in ("ar", "en")
        }

    for announcement, insert in ((by_sql, bulk_outbox._insert_sql), (by_orm, bulk_outbox._insert_orm)):
        key_prefix, context = f"announcement:{announcement.pk}:", {"announcement_id": announcement.pk}
        link = announcement.get_absolute_url()
        insert(ids, "announcement", key_prefix, texts(announcement), context, link, announcement.pk)

    def shape(announcement):
        fields = ("member_id", "channel", "language", "status", "subject", "body", "event", "next_attempt_at")
        rows = announcement.notifications.order_by("member_id", "channel").values_list(*fields)
        return [(*row[:4], row[5].replace(f"/a/{announcement.pk}/", "/a/N/"), row[6], row[7] is None) for row in rows]

    assert shape(by_sql) == shape(by_orm) and len(shape(by_sql)) == 6
    tokens = by_sql.notifications.values("member_id").distinct().values_list("member_id", "token")
    assert all(len(token) == 12 for _, token in tokens)
    assert by_sql.notifications.values("token").distinct().count() == 3  # one token per member, shared
