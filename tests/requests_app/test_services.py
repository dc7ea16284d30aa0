import datetime
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from members.models import Member, Notification
from requests_app import calendar, services
from requests_app.models import Attachment, Draft, Receipt, ReferenceCounter, ServiceRequest, TimelineEvent
from requests_app.signals import request_completed
from tests.requests_app.factories import (
    PDF_BYTES,
    MemberFactory,
    RequestTypeFactory,
    ServiceRequestFactory,
    department_staff,
)

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status

ANSWERS = [{"key": "seedlings", "label_ar": "عدد الشتلات", "label_en": "Seedlings", "value": "40"}]


def _draft_with_deed(member, request_type):
    document = request_type.documents.get()
    return services.save_draft(
        member=member,
        request_type=request_type,
        token=uuid.uuid4(),
        answers={"seedlings": "40"},
        files=[(document, SimpleUploadedFile("deed.pdf", PDF_BYTES))],
        by=member.user,
    )


def test_submitting_gives_a_reference_timeline_notification_and_receipt(
    member, request_type, django_capture_on_commit_callbacks
):
    draft = _draft_with_deed(member, request_type)

    with django_capture_on_commit_callbacks(execute=True):
        service_request = services.submit_request(draft=draft, answers=ANSWERS, by=member.user)

    year = timezone.localdate().year
    assert service_request.reference_no == f"NJC-{year}-000001"
    assert service_request.status == Status.SUBMITTED
    assert service_request.department == request_type.department
    assert service_request.due_date == calendar.add_working_days(timezone.localdate(), 5)
    assert list(service_request.timeline.values_list("kind", "to_status")) == [("status_changed", "submitted")]
    assert service_request.attachments.count() == 1
    assert set(
        Notification.objects.filter(member=member, event="request_submitted").values_list("channel", flat=True)
    ) >= {"inbox"}
    receipt = service_request.receipts.get()
    assert receipt.kind == Receipt.Kind.SUBMITTED
    assert receipt.file.read(5) == b"%PDF-"


def test_the_receipt_waits_for_the_commit(member, request_type, django_capture_on_commit_callbacks):
    draft = _draft_with_deed(member, request_type)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        service_request = services.submit_request(draft=draft, answers=ANSWERS, by=member.user)

    assert any("render_submission_receipt" in repr(callback) for callback in callbacks)
    assert not service_request.receipts.exists()


def test_submitting_the_same_draft_twice_makes_one_request(member, request_type):
    draft = _draft_with_deed(member, request_type)

    first = services.submit_request(draft=draft, answers=ANSWERS, by=member.user)
    second = services.submit_request(draft=draft, answers=ANSWERS, by=member.user)

    assert first == second
    assert ServiceRequest.objects.count() == 1
    assert TimelineEvent.objects.count() == 1


def test_a_missing_required_document_saves_nothing(member, request_type):
    draft = services.save_draft(
        member=member, request_type=request_type, token=uuid.uuid4(), answers={}, files=[], by=member.user
    )

    with pytest.raises(ValidationError) as error:
        services.submit_request(draft=draft, answers=ANSWERS, by=member.user)

    assert "صك الملكية" in str(error.value)
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("status", [Member.Status.WITHDRAWN, Member.Status.SUSPENDED])
def test_a_withdrawn_or_suspended_member_cannot_submit(request_type, status):
    member = MemberFactory(status=status)
    draft = _draft_with_deed(member, request_type)

    with pytest.raises(ValidationError) as error:
        services.submit_request(draft=draft, answers=ANSWERS, by=member.user)

    assert error.value.code == status
    assert not ServiceRequest.objects.exists()


def test_an_applicant_may_apply_for_membership_only(department):
    applicant = MemberFactory(status=Member.Status.APPLICANT, membership_no="")
    membership = RequestTypeFactory(department=department, audience="applicants", kind="membership_application")
    seedlings = RequestTypeFactory(department=department, audience="members")

    services.check_may_request(member=applicant, request_type=membership)
    with pytest.raises(ValidationError) as error:
        services.check_may_request(member=applicant, request_type=seedlings)

    assert error.value.code == "applicant"


def test_an_active_member_is_not_offered_the_membership_application(member, department):
    membership = RequestTypeFactory(department=department, audience="applicants", kind="membership_application")

    with pytest.raises(ValidationError):
        services.check_may_request(member=member, request_type=membership)


def test_an_inactive_service_cannot_be_requested(member, department):
    with pytest.raises(ValidationError):
        services.check_may_request(member=member, request_type=RequestTypeFactory(department=department, active=False))


def test_reference_numbers_count_per_year():
    assert services.allocate_reference_no(year=2026) == "NJC-2026-000001"
    assert services.allocate_reference_no(year=2026) == "NJC-2026-000002"
    assert services.allocate_reference_no(year=2027) == "NJC-2027-000001"
    assert ReferenceCounter.objects.get(year=2026).last_value == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_share_a_number():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    results, errors = [], []

    def allocate():
        from django.db import connections, transaction

        try:
            for _ in range(5):
                with transaction.atomic():
                    results.append(services.allocate_reference_no(year=2030))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(results) == [f"NJC-2030-{n:06d}" for n in range(1, 31)]


def test_the_request_keeps_its_answers_when_the_service_changes(member, request_type):
    draft = _draft_with_deed(member, request_type)
    service_request = services.submit_request(draft=draft, answers=ANSWERS, by=member.user)

    field = request_type.fields.get(key="seedlings")
    field.label_ar = "عدد الشتلات المطلوبة"
    field.save()
    field.delete()
    service_request.refresh_from_db()

    assert service_request.answers == ANSWERS


def test_draft_files_of_another_member_cannot_be_reused(member, request_type):
    draft = _draft_with_deed(member, request_type)
    intruder = MemberFactory()

    with pytest.raises(services.PermissionDenied):
        services.save_draft(
            member=intruder, request_type=request_type, token=draft.token, answers={}, files=[], by=intruder.user
        )
    assert Draft.objects.get(pk=draft.pk).member == member


# --- The SLA clock ---------------------------------------------------------------------------------------------


def test_the_clock_stops_while_the_request_waits_on_the_member():
    service_request = ServiceRequestFactory(status=Status.UNDER_REVIEW, due_date=datetime.date(2026, 12, 10))
    staff = department_staff(service_request.department)
    services.return_to_member(service_request=service_request, by=staff, missing="صورة الصك")
    # The member answers three working days later.
    paused_at = timezone.now() - datetime.timedelta(days=7)
    ServiceRequest.objects.filter(pk=service_request.pk).update(paused_at=paused_at)
    service_request.refresh_from_db()
    waited = calendar.working_days_between(timezone.localdate(paused_at), timezone.localdate())

    services.resubmit(service_request=service_request, by=service_request.member.user, note="أرفقت الصك")

    service_request.refresh_from_db()
    assert waited >= 4
    assert service_request.paused_working_days == waited
    assert service_request.due_date == calendar.add_working_days(datetime.date(2026, 12, 10), waited)
    assert service_request.paused_at is None
    assert service_request.missing_items == ""


def test_returning_records_what_is_missing():
    service_request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    staff = department_staff(service_request.department)

    services.return_to_member(service_request=service_request, by=staff, missing="صورة الصك\nإيصال التحويل")

    assert service_request.status == Status.RETURNED_TO_MEMBER
    assert service_request.missing_items == "صورة الصك\nإيصال التحويل"
    assert service_request.paused_at is not None
    assert Notification.objects.filter(member=service_request.member, event="request_returned_to_member").exists()


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (services.return_to_member, {"missing": "  "}),
        (services.complete_request, {"outcome": ""}),
        (services.reject_request, {"reason": " "}),
    ],
)
def test_a_move_that_needs_words_refuses_empty_ones(service, kwargs):
    service_request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    staff = department_staff(service_request.department)

    with pytest.raises(ValidationError):
        service(service_request=service_request, by=staff, **kwargs)

    assert service_request.status == Status.UNDER_REVIEW
    assert not service_request.timeline.exists()


def test_resubmitting_needs_a_note_or_a_document():
    service_request = ServiceRequestFactory(status=Status.RETURNED_TO_MEMBER)

    with pytest.raises(ValidationError):
        services.resubmit(service_request=service_request, by=service_request.member.user, note=" ")


def test_completing_sends_request_completed_and_issues_the_completion_receipt(django_capture_on_commit_callbacks):
    service_request = ServiceRequestFactory(status=Status.IN_PROGRESS)
    staff = department_staff(service_request.department)
    received = []

    def receiver(sender, service_request, **kwargs):
        received.append(service_request.pk)

    request_completed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.complete_request(service_request=service_request, by=staff, outcome="سُلّمت الشتلات")
    finally:
        request_completed.disconnect(receiver)

    assert received == [service_request.pk]
    assert service_request.outcome == "سُلّمت الشتلات"
    assert service_request.closed_at is not None
    assert service_request.receipts.get().kind == Receipt.Kind.COMPLETED


def test_a_refused_move_does_not_send_request_completed():
    service_request = ServiceRequestFactory(status=Status.SUBMITTED)
    staff = department_staff(service_request.department)
    received = []
    request_completed.connect(lambda **kwargs: received.append(1), weak=False, dispatch_uid="t")
    try:
        with pytest.raises(services.TransitionNotAllowed):
            services.complete_request(service_request=service_request, by=staff, outcome="تم")
    finally:
        request_completed.disconnect(dispatch_uid="t")

    assert received == []


def test_a_stale_page_cannot_move_the_request():
    service_request = ServiceRequestFactory(status=Status.SUBMITTED)
    staff = department_staff(service_request.department)
    seen_version = service_request.version
    services.start_review(service_request=service_request, by=staff)

    with pytest.raises(services.StaleRequest):
        services.start_work(service_request=service_request, by=staff, expected_version=seen_version)


def test_refer_to_board_only_for_services_that_need_it():
    service_request = ServiceRequestFactory(
        status=Status.IN_PROGRESS, request_type=RequestTypeFactory(needs_board_decision=False)
    )
    staff = department_staff(service_request.department)

    with pytest.raises(services.TransitionNotAllowed):
        services.refer_to_board(service_request=service_request, by=staff)

    service_request.refresh_from_db()
    assert service_request.status == Status.IN_PROGRESS


@pytest.mark.parametrize("move", ["complete", "reject"])
def test_a_request_waiting_for_the_board_leaves_only_through_the_boards_decision(move):
    from members.roles import Role
    from tests.requests_app.factories import UserFactory

    service_request = ServiceRequestFactory(status=Status.PENDING_BOARD_DECISION)
    board = UserFactory(roles=[Role.BOARD])

    with pytest.raises(services.TransitionNotAllowed):
        if move == "complete":
            services.complete_request(service_request=service_request, by=board, outcome="وافق المجلس")
        else:
            services.reject_request(service_request=service_request, by=board, reason="لم يوافق المجلس")

    service_request.refresh_from_db()
    assert service_request.status == Status.PENDING_BOARD_DECISION
    assert not service_request.timeline.exists()


@pytest.mark.parametrize(("approved", "expected"), [(True, Status.COMPLETED), (False, Status.REJECTED)])
def test_the_board_decision_completes_or_rejects(approved, expected):
    from members.roles import Role
    from requests_app import staff_services
    from tests.requests_app.factories import UserFactory

    service_request = ServiceRequestFactory(status=Status.PENDING_BOARD_DECISION)
    board = UserFactory(roles=[Role.BOARD])

    decision = staff_services.record_board_decision(
        service_request=service_request, by=board, approved=approved, meeting_reference="3/1448", note="قرار المجلس"
    )

    service_request.refresh_from_db()
    assert service_request.status == expected
    assert "قرار المجلس" in service_request.outcome and "3/1448" in service_request.outcome
    assert (decision.service_request, decision.approved) == (service_request, approved)


def test_a_board_decision_outside_pending_is_refused():
    from members.roles import Role
    from requests_app import staff_services
    from tests.requests_app.factories import UserFactory

    service_request = ServiceRequestFactory(status=Status.IN_PROGRESS)

    with pytest.raises(services.TransitionNotAllowed):
        staff_services.record_board_decision(
            service_request=service_request,
            by=UserFactory(roles=[Role.BOARD]),
            approved=True,
            meeting_reference="3/1448",
            note="قرار",
        )
    assert not hasattr(ServiceRequest.objects.get(pk=service_request.pk), "board_decision")


# --- The conversation ------------------------------------------------------------------------------------------


def test_a_reply_is_visible_and_notified_an_internal_note_is_neither():
    service_request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    staff = department_staff(service_request.department)

    reply = services.reply_to_member(service_request=service_request, by=staff, text="نحتاج يومين")
    note = services.add_internal_note(service_request=service_request, by=staff, text="العضو اتصل هاتفيًا")

    assert reply.visible_to_member and not note.visible_to_member
    events = set(Notification.objects.filter(member=service_request.member).values_list("event", flat=True))
    assert events == {"request_reply"}


def test_staff_of_another_department_cannot_reply():
    service_request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    from tests.requests_app.factories import DepartmentFactory

    with pytest.raises(services.PermissionDenied):
        services.reply_to_member(service_request=service_request, by=department_staff(DepartmentFactory()), text="x")


def test_the_member_may_write_at_any_time_even_after_closing():
    service_request = ServiceRequestFactory(status=Status.COMPLETED)

    event = services.add_member_message(
        service_request=service_request,
        by=service_request.member.user,
        text="شكرًا",
        files=[(None, SimpleUploadedFile("photo.pdf", PDF_BYTES))],
    )

    assert event.kind == TimelineEvent.Kind.MEMBER_MESSAGE
    assert Attachment.objects.filter(service_request=service_request).count() == 1


def test_another_member_cannot_write_on_a_request():
    service_request = ServiceRequestFactory()

    with pytest.raises(services.PermissionDenied):
        services.add_member_message(service_request=service_request, by=MemberFactory().user, text="مرحبا")


def test_timeline_events_are_never_updated():
    service_request = ServiceRequestFactory()
    event = TimelineEvent.objects.create(service_request=service_request, kind="reply", note="x")

    event.note = "changed"
    with pytest.raises(ValueError):
        event.save()
