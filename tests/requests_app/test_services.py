import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Member, Notification
from members_portal import enqueue
from requests_app import calendar, services, submission
from requests_app.models import Attachment, Channel, Draft, Receipt, ReferenceCounter, ServiceRequest, TimelineEvent
from tests.concurrency import at_once, needs_postgresql, raised
from tests.requests_app.factories import (
    PDF_BYTES,
    MemberFactory,
    RequestTypeFactory,
    ServiceRequestFactory,
    department_staff,
    draft_with_deed,
)

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status

ANSWERS = [{"key": "seedlings", "label_ar": "عدد الشتلات", "label_en": "Seedlings", "value": "40"}]


def test_submitting_gives_a_reference_timeline_notification_and_receipt(
    member, request_type, django_capture_on_commit_callbacks
):
    draft = draft_with_deed(member, request_type)

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
    draft = draft_with_deed(member, request_type)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        service_request = services.submit_request(draft=draft, answers=ANSWERS, by=member.user)

    assert any("render_submission_receipt" in repr(callback) for callback in callbacks)
    assert not service_request.receipts.exists()


def test_submitting_the_same_draft_twice_makes_one_request(member, request_type):
    draft = draft_with_deed(member, request_type)

    first = services.submit_request(draft=draft, answers=ANSWERS, by=member.user)
    second = services.submit_request(draft=draft, answers=ANSWERS, by=member.user)

    assert first == second
    assert ServiceRequest.objects.count() == 1
    assert TimelineEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@needs_postgresql
def test_one_draft_submitted_from_four_threads_at_once_makes_one_request_and_each_is_given_it(
    member, request_type, monkeypatch
):
    """The draft's row lock: without it every thread finds the draft not yet submitted, and all but one fail on
    the request's unique submission token instead of being given the request it became."""
    monkeypatch.setattr(enqueue, "_send", lambda task, args: None)  # receipts render in the worker, not in threads
    draft = draft_with_deed(member, request_type)

    results = at_once(*[lambda: services.submit_request(draft=draft, answers=ANSWERS, by=member.user)] * 4)

    assert raised(results) == []
    service_request = ServiceRequest.objects.get()
    assert {result.pk for result in results} == {service_request.pk}
    assert TimelineEvent.objects.count() == 1
    assert Notification.objects.filter(member=member, event="request_submitted", channel="inbox").count() == 1


def test_should_two_submissions_of_one_form_both_find_it_unsubmitted_the_database_keeps_one_request(
    member, request_type
):
    """The backstop behind the draft's row lock: a submission's writes run a second time for a draft already
    submitted (what two submissions past the lock would do) are refused on the request's unique submission token
    and leave nothing: no second request, reference number or timeline entry."""
    draft = draft_with_deed(member, request_type)
    first = services.submit_request(draft=draft, answers=ANSWERS, by=member.user)
    unsubmitted_as_read_before = Draft.objects.get(pk=draft.pk)
    unsubmitted_as_read_before.service_request = None

    with pytest.raises(IntegrityError), transaction.atomic():
        submission._write(
            submission._prepare(
                draft=unsubmitted_as_read_before, answers=ANSWERS, by=member.user, channel=Channel.PORTAL
            )
        )

    assert ServiceRequest.objects.get() == first
    assert TimelineEvent.objects.count() == 1
    assert ReferenceCounter.objects.get().last_value == 1


@pytest.mark.django_db(transaction=True)
def test_a_submission_refused_by_the_token_backstop_is_given_the_request_already_made(member, request_type):
    """Past the draft's lock (the draft read as not yet submitted), the member's second submission of one form hits
    the unique submission token: it is given the request the first one made, as a double click is, not an error
    page, and writes nothing."""
    draft = draft_with_deed(member, request_type)
    first = services.submit_request(draft=draft, answers=ANSWERS, by=member.user)
    Draft.objects.filter(pk=draft.pk).update(service_request=None)  # what a submission past the lock reads

    again = services.open_request(
        member=member, request_type=request_type, answers=ANSWERS, by=member.user, token=draft.token, files=[]
    )

    assert again == first
    assert ServiceRequest.objects.get() == first
    assert TimelineEvent.objects.count() == 1
    assert ReferenceCounter.objects.get().last_value == 1


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
    draft = draft_with_deed(member, request_type)

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
@needs_postgresql
def test_concurrent_allocations_never_share_a_number():
    """Six submissions released together by a barrier, each taking five numbers of a year without its counter row
    yet: they race to create the row (the loser's IntegrityError must not end its transaction) and then to
    increment it. Five years, five races."""

    def allocate(year):
        numbers = []
        for _ in range(5):
            with transaction.atomic():
                numbers.append(services.allocate_reference_no(year=year))
        return numbers

    for year in range(2030, 2035):
        results = at_once(*[lambda: allocate(year)] * 6)  # noqa: B023 - each round waits for its threads

        assert raised(results) == []
        assert sorted(number for numbers in results for number in numbers) == [
            f"NJC-{year}-{n:06d}" for n in range(1, 31)
        ]


def test_the_request_keeps_its_answers_when_the_service_changes(member, request_type):
    draft = draft_with_deed(member, request_type)
    service_request = services.submit_request(draft=draft, answers=ANSWERS, by=member.user)

    field = request_type.fields.get(key="seedlings")
    field.label_ar = "عدد الشتلات المطلوبة"
    field.save()
    field.delete()
    service_request.refresh_from_db()

    assert service_request.answers == ANSWERS


def test_draft_files_of_another_member_cannot_be_reused(member, request_type):
    draft = draft_with_deed(member, request_type)
    intruder = MemberFactory()

    with pytest.raises(services.PermissionDenied):
        services.save_draft(
            member=intruder, request_type=request_type, token=draft.token, answers={}, files=[], by=intruder.user
        )
    assert Draft.objects.get(pk=draft.pk).member == member


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
