"""The quarterly report: rendered and sent on the first working day of a quarter, once, and kept."""

import datetime

import pytest
from django.urls import reverse

from members.models import Channel, Notification
from members.roles import Role
from surveys.reports import quarterly
from surveys.reports.models import BoardReportEmail, QuarterlyReport
from surveys.reports.periods import Period
from tests.concurrency import at_once, needs_postgresql, raised
from tests.requests_app.factories import MemberFactory, UserFactory
from tests.surveys.report_factories import answers, service

pytestmark = pytest.mark.django_db
Q3 = Period.quarter(2026, 3)


@pytest.fixture
def board_member():
    """A board member who is also a member, with SMS consent."""
    user = UserFactory(email="board@example.org", roles=[Role.BOARD, Role.MEMBER])
    MemberFactory(user=user, sms_consent=True, email="board.member@example.org", email_consent=True)
    return user


@pytest.fixture
def board_outsider():
    """A board member without a member record (an appointed director)."""
    return UserFactory(email="director@example.org", roles=[Role.BOARD])


@pytest.fixture
def some_answers():
    answers(6, request_type=service(), month=datetime.date(2026, 8, 1))


def test_the_first_working_day_of_october_2026_is_sunday_the_fourth():
    # 1 October 2026 is a Thursday; without holidays it is the first working day itself.
    assert quarterly.first_working_day(datetime.date(2026, 10, 20)) == datetime.date(2026, 10, 1)
    assert quarterly.first_working_day(datetime.date(2027, 1, 15)) == datetime.date(2027, 1, 3)  # 1 Jan is a Friday


def test_nothing_is_issued_before_the_first_working_day(board_member):
    assert quarterly.issue_if_due(datetime.date(2027, 1, 2)) is None  # Saturday 2 January

    assert not QuarterlyReport.objects.exists()


def test_on_the_first_working_day_last_quarters_report_is_rendered_and_sent(
    board_member, board_outsider, some_answers, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = quarterly.issue_if_due(datetime.date(2026, 10, 1))

    assert report.period == Q3
    assert report.file.read(4) == b"%PDF"
    assert report.recipients == 2
    inbox = Notification.objects.get(member=board_member.member, channel=Channel.INBOX)
    assert inbox.event == "quarterly_report_ready"
    assert inbox.link == reverse("surveys:quarterly-reports")
    assert Notification.objects.filter(member=board_member.member, channel=Channel.SMS).exists()
    # The outbox sends no e-mail copy: the e-mail with the PDF replaces it.
    assert not Notification.objects.filter(member=board_member.member, channel=Channel.EMAIL).exists()
    assert sorted(message.to[0] for message in mailoutbox) == ["board@example.org", "director@example.org"]
    attachment = mailoutbox[0].attachments[0]
    assert attachment[0] == "board-report-2026-Q3.pdf"
    assert attachment[1][:4] == b"%PDF"
    assert set(BoardReportEmail.objects.values_list("status", flat=True)) == {BoardReportEmail.Status.SENT}


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_issued_twice_at_once_the_report_is_rendered_once_and_sent_once(board_member, some_answers, monkeypatch):
    """Two beats (or a beat and a supervisor) issuing the same quarter at the same moment."""
    rendered, real_render = [], quarterly.report_pdf.render
    monkeypatch.setattr(quarterly.report_pdf, "render", lambda *a, **k: rendered.append(1) or real_render(*a, **k))
    monkeypatch.setattr(quarterly, "after_commit", lambda task, *ids: None)  # the e-mails are counted as rows

    results = at_once(*[lambda: quarterly.issue_if_due(datetime.date(2026, 10, 1))] * 3)

    assert raised(results) == []
    assert len({report.pk for report in results}) == 1 and QuarterlyReport.objects.count() == 1
    assert len(rendered) == 1
    assert BoardReportEmail.objects.count() == 1
    assert Notification.objects.filter(member=board_member.member, channel=Channel.INBOX).count() == 1


def test_a_new_board_member_gets_a_report_already_issued(board_member, some_answers, mailoutbox):
    report = quarterly.issue_quarterly_report(period=Q3)
    newcomer = UserFactory(email="new@example.org", roles=[Role.BOARD])

    quarterly.send_to_board(report=report)

    assert BoardReportEmail.objects.filter(report=report, user=newcomer).exists()
    assert BoardReportEmail.objects.filter(report=report).count() == 2


def test_a_quarter_not_yet_over_has_no_quarterly_report():
    with pytest.raises(ValueError):
        quarterly.issue_quarterly_report(period=Period.quarter(2099, 1))


def test_a_failed_e_mail_is_kept_for_another_try(board_outsider, some_answers, monkeypatch):
    from members import channels

    def refuse(*args, **kwargs):
        raise channels.EmailError("mail server down")

    monkeypatch.setattr(channels, "send_email", refuse)
    report = quarterly.issue_quarterly_report(period=Q3)
    email = BoardReportEmail.objects.get(report=report)

    assert quarterly.deliver_email(email.pk) == "retry"
    email.refresh_from_db()
    assert email.status == BoardReportEmail.Status.PENDING
    assert "mail server down" in email.last_error


def test_past_reports_are_listed_and_opened_by_the_board_only(client, member_user, board_member, some_answers):
    from django.test import Client

    report = quarterly.issue_quarterly_report(period=Q3)
    client.force_login(board_member)
    member_client = Client()
    member_client.force_login(member_user)

    listing = client.get(reverse("surveys:quarterly-reports"))
    pdf = client.get(report.get_absolute_url())

    assert listing.status_code == 200
    assert "الربع الثالث 2026" in listing.content.decode()
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert member_client.get(report.get_absolute_url()).status_code == 403


@pytest.mark.parametrize("role", [Role.STAFF, Role.SUPERVISOR])
def test_staff_and_supervisors_do_not_open_the_boards_quarterly_report(client, make_user, board_member, role):
    report = quarterly.issue_quarterly_report(period=Q3)
    client.force_login(make_user("officer@example.org", role))

    assert client.get(report.get_absolute_url()).status_code == 403


def test_a_report_whose_pdf_was_never_rendered_is_not_found_even_by_the_board(client, board_member):
    report = QuarterlyReport.objects.create(period_start=Q3.start)  # its rendering failed: no file
    client.force_login(board_member)

    assert client.get(report.get_absolute_url()).status_code == 404
