"""The governance calendar: the law's chain worked out by hand for a few years, the states from the data, the warnings,
and the board's home showing it (never a member's)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assembly import calendar, documents, services
from assembly.models import Meeting
from members.roles import Role
from tests.assembly.conftest import draft_meeting

D = datetime.date


def dates(result):
    return {step.key: step.due for step in result.steps}


def states(result):
    return {step.key: step.state for step in result.steps}


@pytest.mark.parametrize(
    ("year_end", "deadline", "documents", "notice", "auditor"),
    [
        # 31 Dec + 6 months = 30 Jun; 30 Jun − 14 d = 16 Jun; − 15 d = 15 Jun; 16 Jun − 1 month = 16 May
        (D(2025, 12, 31), D(2026, 6, 30), D(2026, 6, 16), D(2026, 6, 15), D(2026, 5, 16)),
        # 30 Jun + 6 months = 30 Dec; 30 Dec − 14 d = 16 Dec; − 15 d = 15 Dec; 16 Dec − 1 month = 16 Nov
        (D(2026, 6, 30), D(2026, 12, 30), D(2026, 12, 16), D(2026, 12, 15), D(2026, 11, 16)),
        # 31 Aug 2023 + 6 months = 29 Feb 2024 (leap); − 14 d = 15 Feb; − 15 d = 14 Feb; 15 Feb − 1 month = 15 Jan
        (D(2023, 8, 31), D(2024, 2, 29), D(2024, 2, 15), D(2024, 2, 14), D(2024, 1, 15)),
        # 31 Mar 2026 + 6 months = 30 Sep; − 14 d = 16 Sep; − 15 d = 15 Sep; 16 Sep − 1 month = 16 Aug
        (D(2026, 3, 31), D(2026, 9, 30), D(2026, 9, 16), D(2026, 9, 15), D(2026, 8, 16)),
    ],
)
def test_the_chain_without_a_meeting_counts_back_from_the_last_day_the_law_allows(
    year_end, deadline, documents, notice, auditor
):
    result = calendar.chain(year_end=year_end, today=year_end + datetime.timedelta(days=1))

    assert result.deadline == deadline
    assert dates(result) == {
        "year_end": year_end,
        "auditor": auditor,
        "notice": notice,
        "documents": documents,
        "meeting": deadline,
    }
    assert [step.key for step in result.steps] == ["year_end", "auditor", "notice", "documents", "meeting"]


def test_a_planned_meeting_gives_the_dates_and_a_meeting_past_the_period_is_warned_of():
    result = calendar.chain(year_end=D(2025, 12, 31), today=D(2026, 3, 1), meeting_day=D(2026, 7, 20))

    assert dates(result)["documents"] == D(2026, 7, 6)
    assert dates(result)["notice"] == D(2026, 7, 5)
    assert dates(result)["auditor"] == D(2026, 6, 6)
    assert result.meeting_after_deadline


def test_states_from_the_data_and_the_fourteen_day_warning():
    common = {"year_end": D(2025, 12, 31), "meeting_day": D(2026, 5, 30)}

    far = calendar.chain(today=D(2026, 3, 1), **common)
    near = calendar.chain(today=D(2026, 5, 5), notice_published=True, **common)
    passed = calendar.chain(today=D(2026, 5, 20), notice_published=True, **common)
    held = calendar.chain(today=D(2026, 6, 2), held=True, **common)

    assert states(far) == {
        "year_end": "done",
        "auditor": "unknown",
        "notice": "ahead",
        "documents": "ahead",
        "meeting": "ahead",
    }
    assert not far.warnings
    assert states(near)["notice"] == "done" and states(near)["documents"] == "soon"  # 16 May is 11 days away
    assert states(passed)["documents"] == "late" and states(passed)["auditor"] == "late"
    assert set(states(held).values()) == {"done"}


@pytest.mark.parametrize(
    ("today", "expected"),
    [(D(2026, 12, 6), D(2025, 12, 31)), (D(2026, 12, 31), D(2025, 12, 31)), (D(2027, 1, 1), D(2026, 12, 31))],
)
def test_the_last_year_end_before_today(today, expected):
    assert calendar.year_end_before(today, 12, 31) == expected


@pytest.mark.django_db
def test_the_board_reads_the_chain_of_its_planned_meeting_with_the_notice_and_documents_done(
    secretary, settings, django_capture_on_commit_callbacks, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    today = timezone.localdate()
    settings.ASSEMBLY_YEAR_END_MONTH, settings.ASSEMBLY_YEAR_END_DAY = (today - datetime.timedelta(days=60)).month, 1
    meeting = draft_meeting(secretary, days=20)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    documents.upload_document(meeting=meeting, by=secretary, kind="accounts", upload=upload)
    documents.publish_documents(meeting=meeting, by=secretary)

    result = calendar.for_board()

    assert dates(result)["meeting"] == timezone.localdate(meeting.starts_at)
    assert states(result)["notice"] == "done" and states(result)["documents"] == "done"
    assert states(result)["meeting"] == "ahead"
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    assert calendar.for_board().year_end > result.year_end  # the year's Assembly held: the next year's chain


@pytest.mark.django_db
def test_the_board_home_shows_the_calendar_and_a_members_home_does_not(client, secretary, make_user):
    client.force_login(secretary)
    board_home = client.get(reverse("home")).content.decode()
    client.force_login(make_user("member@example.org", Role.MEMBER))
    member_home = client.get(reverse("home")).content.decode()

    assert 'data-testid="governance-calendar"' in board_home
    assert "تقويم الحوكمة" in board_home
    assert 'data-testid="governance-calendar"' not in member_home
