"""The demo tells one coherent story: what the board reads can be traced to requests, invitations and staff."""

import io
from collections import Counter

import pytest
from django.utils import timezone

from members import demo as member_demo
from members.models import Member
from requests_app import demo as request_demo
from requests_app.models import ServiceRequest, TimelineEvent
from surveys import demo as survey_demo
from surveys import demo_reports
from surveys.models import Invitation, Response
from surveys.reports import dashboard
from surveys.reports.periods import Period
from surveys.reports.satisfaction import Scope

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded once for this module, in a transaction rolled back after it (receipts are not rendered:
    they are not what these tests read)."""
    from django.db import transaction
    from django.test import override_settings

    location = tmp_path_factory.mktemp("demo-files")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with django_db_blocker.unblock(), override_settings(STORAGES=storages):
        atomic = transaction.atomic()
        atomic.__enter__()
        original = request_demo._render_some_receipts
        request_demo._render_some_receipts = lambda requests, rng: None
        try:
            for module in (member_demo, request_demo, survey_demo, demo_reports):
                module.seed(io.StringIO())
        finally:
            request_demo._render_some_receipts = original
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def test_every_answer_comes_from_an_answered_invitation_of_a_closed_request(demo):
    answered = Invitation.objects.filter(answered=True).select_related("service_request__member")
    invited = Counter(
        (
            invitation.service_request.request_type_id,
            invitation.service_request.department_id,
            invitation.service_request.member.governorate,
        )
        for invitation in answered
    )
    # Each answer names its invitation's service, department and governorate, or leaves them blank where fewer than
    # five answered invitations shared them (surveys.services.coarsening): never a value no invitation has.
    answers = Response.objects.for_service().values_list("request_type_id", "department_id", "governorate")
    for answer in answers:
        assert any(all(mine in (theirs, None, "") for mine, theirs in zip(answer, row, strict=True)) for row in invited)
    assert len(answers) == sum(invited.values()) > 100
    for invitation in answered:
        service_request = invitation.service_request
        assert service_request.status in (Status.COMPLETED, Status.REJECTED)
        assert service_request.closed_at <= invitation.created_at <= timezone.now()
    # Answers are dated within two weeks of their invitation: each month's answers come from invitations of
    # that month or the one before.
    by_month = Counter(Response.objects.for_service().values_list("month", flat=True))
    created = Counter(timezone.localdate(invitation.created_at).replace(day=1) for invitation in answered)
    for month, count in by_month.items():
        before = (month - timezone.timedelta(days=1)).replace(day=1)
        assert count <= created[month] + created[before]


def test_no_join_on_an_invitations_stored_columns_narrows_an_answer_to_fewer_than_5(demo):
    """For every answer, the answered invitations that agree with it on everything both sides store (the month the
    invitation was created in, its questionnaire version, origin, expiry and reminder, and, through its request, the
    service, department, member's governorate, channel and outcome) are at least 5."""
    invitations = list(
        Invitation.objects.filter(answered=True).values(
            "created_at",
            "questionnaire_version_id",
            "origin",
            "expires_at",
            "reminded_at",
            "answered_at",
            "service_request__request_type_id",
            "service_request__department_id",
            "service_request__member__governorate",
            "service_request__channel",
            "service_request__status",
        )
    )
    assert all(
        (row["questionnaire_version_id"], row["origin"], row["expires_at"], row["reminded_at"], row["answered_at"])
        == (None, "", None, None, None)
        for row in invitations
    )
    through_request = {
        "request_type_id": "service_request__request_type_id",
        "department_id": "service_request__department_id",
        "governorate": "service_request__member__governorate",
        "channel": "service_request__channel",
        "outcome": "service_request__status",
    }
    answers = Response.objects.for_service().values("month", *through_request)
    for answer in answers:
        month, before = answer["month"], (answer["month"] - timezone.timedelta(days=1)).replace(day=1)
        # An answer comes within 30 days of its invitation: created that month or the month before.
        candidates = [
            row
            for row in invitations
            if timezone.localdate(row["created_at"]).replace(day=1) in (month, before)
            and all(
                answer[mine] in (None, "") or answer[mine] == row[theirs] for mine, theirs in through_request.items()
            )
        ]
        assert len(candidates) >= 5, answer


def test_the_response_rate_is_never_above_100_percent_on_the_demo(demo):
    today = timezone.localdate()
    periods = [Period.year(today.year), Period.year(today.year - 1)]
    quarter = Period.current("quarter", today)
    for _ in range(5):
        periods.append(quarter)
        quarter = quarter.previous()

    for period in periods:
        satisfaction = dashboard.build(period=period, scope=Scope()).satisfaction
        assert satisfaction.invitations_answered <= satisfaction.invitations
        assert satisfaction.response_rate is None or 0 <= satisfaction.response_rate <= 100, period.key


def test_timelines_name_the_staff_who_did_the_work(demo):
    closed = ServiceRequest.objects.filter(status__in=[Status.COMPLETED, Status.REJECTED]).select_related("assignee")
    for service_request in closed:
        closing = service_request.timeline.filter(to_status=service_request.status).get()
        assert closing.actor is not None and closing.actor.get_full_name(), service_request.reference_no
        assert service_request.assignee is not None, service_request.reference_no
        taken = service_request.timeline.get(kind=TimelineEvent.Kind.ASSIGNED)
        assert service_request.assignee.get_full_name() in taken.note


def test_dates_agree(demo):
    now = timezone.now()
    for service_request in ServiceRequest.objects.prefetch_related("timeline"):
        times = [event.created_at for event in service_request.timeline.all()]
        assert min(times) >= service_request.submitted_at - timezone.timedelta(seconds=1)
        assert max(times) <= now
        if service_request.closed_at:
            assert service_request.closed_at == max(
                event.created_at for event in service_request.timeline.all() if event.to_status
            )
        for answer in service_request.answers:
            if answer.get("type") == "date":
                assert answer["value"] <= timezone.localdate(service_request.submitted_at).isoformat()


def test_a_share_transfer_names_a_member_of_the_register_by_id_and_name(demo):
    register = dict(Member.objects.values_list("national_id", "full_name_ar"))
    transfers = ServiceRequest.objects.filter(request_type__code="MEM-03")

    assert transfers.exists()
    for transfer in transfers:
        fields = {answer["key"]: answer["value"] for answer in transfer.answers}
        assert register[fields["transferee_id"]] == fields["transferee_name"]
