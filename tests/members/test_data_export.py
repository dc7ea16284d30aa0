"""«My data» as a PDF is prepared in the background (twelve parallel downloads rendered in web requests slowed
every visitor's page from 0.07 s to 10.8 s), kept privately, and downloaded by its own member only."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from members import data_exports
from members.models import DataExport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def test_asking_renders_nothing_in_the_request_and_the_page_says_it_is_being_prepared(
    member_client, member, monkeypatch, django_capture_on_commit_callbacks
):
    rendered = []
    monkeypatch.setattr("members_portal.pdf.render_pdf", lambda *args, **kwargs: rendered.append(args) or b"%PDF-")

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = member_client.post(reverse("members:data-export"), follow=True)

    assert rendered == []
    assert len(queued) == 1  # the rendering task, sent after commit
    assert DataExport.objects.get(member=member).status == DataExport.Status.PREPARING
    page = response.content.decode()
    assert "يجري تجهيز" in page
    assert '<meta http-equiv="refresh"' in page


def test_once_the_task_ran_the_page_offers_the_download(member_client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("members:data-export"))
    export = DataExport.objects.get(member=member)

    page = member_client.get(reverse("members:data-export")).content.decode()
    download = member_client.get(reverse("members:data-export-download", args=[export.public_id]))

    assert export.status == DataExport.Status.READY
    assert reverse("members:data-export-download", args=[export.public_id]) in page
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content if download.streaming else [download.content]).startswith(b"%PDF")


def test_the_file_is_stored_privately_under_a_random_name(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = data_exports.request_data_export(member=member, by=member.user)
    export.refresh_from_db()

    assert default_storage.exists(export.file.name)
    assert re.fullmatch(r"exports/[0-9a-f]{2}/[0-9a-f]{32}\.pdf", export.file.name)
    assert not export.file.name.startswith(("media/", "static/"))


def test_another_member_cannot_download_it(client, member, other_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = data_exports.request_data_export(member=member, by=member.user)
    client.force_login(other_member.user)

    assert client.get(reverse("members:data-export-download", args=[export.public_id])).status_code == 404


@pytest.mark.parametrize("status", [DataExport.Status.PREPARING, DataExport.Status.FAILED])
def test_an_export_not_ready_is_not_found_by_its_own_member(member_client, member, status):
    export = DataExport.objects.create(member=member, status=status)

    response = member_client.get(reverse("members:data-export-download", args=[export.public_id]))

    assert response.status_code == 404


def test_signed_out_nobody_downloads_it(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = data_exports.request_data_export(member=member, by=member.user)

    response = client.get(reverse("members:data-export-download", args=[export.public_id]))

    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_asking_again_soon_reuses_the_export_instead_of_rendering_again(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as first:
        one = data_exports.request_data_export(member=member, by=member.user)
    with django_capture_on_commit_callbacks(execute=True) as again:
        two = [data_exports.request_data_export(member=member, by=member.user) for _click in range(12)]

    assert {export.pk for export in two} == {one.pk}
    assert len(first) == 1 and len(again) == 0


def test_a_later_request_replaces_the_old_file(member, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old = data_exports.request_data_export(member=member, by=member.user)
    old.refresh_from_db()
    DataExport.objects.filter(pk=old.pk).update(requested_at=timezone.now() - datetime.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        new = data_exports.request_data_export(member=member, by=member.user)

    assert new.pk != old.pk
    assert list(DataExport.objects.filter(member=member)) == [new]
    assert not default_storage.exists(old.file.name)


def test_a_preparation_whose_task_was_lost_is_sent_again(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        export = data_exports.request_data_export(member=member, by=member.user)
    DataExport.objects.filter(pk=export.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=3))

    with django_capture_on_commit_callbacks(execute=True) as resent:
        data_exports.request_data_export(member=member, by=member.user)

    assert len(resent) == 1
    assert DataExport.objects.get(pk=export.pk).status == DataExport.Status.READY


def test_running_the_task_twice_keeps_one_file(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = data_exports.request_data_export(member=member, by=member.user)
    export.refresh_from_db()

    data_exports.render_data_export(export.pk)

    assert DataExport.objects.get(pk=export.pk).file.name == export.file.name
