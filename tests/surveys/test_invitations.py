"""Invitations: made when a request is completed or rejected, sent through the outbox, never to those who opted out."""

import pytest
from django.utils import timezone

from members import outbox
from members.models import Channel, Notification
from members.outbox import sms_length
from members_portal.hijri import to_hijri
from requests_app import services as request_services
from requests_app.models import ServiceRequest
from surveys import services
from surveys.models import Invitation
from surveys.services import invitations as invitation_services
from tests.surveys.factories import MemberFactory, ServiceRequestFactory, closed_request, department_staff

pytestmark = pytest.mark.django_db

Status = ServiceRequest.Status


def _in_progress(**member_fields):
    member = MemberFactory(email="saeed@example.org", email_consent=True, **member_fields)
    service_request = ServiceRequestFactory(member=member, status=Status.IN_PROGRESS)
    staff = department_staff(service_request.department)
    return service_request, staff


def test_completing_a_request_invites_the_member_by_inbox_sms_and_email():
    service_request, staff = _in_progress()

    request_services.complete_request(service_request=service_request, by=staff, outcome="سُلّمت الشتلات")

    invitation = Invitation.objects.get(service_request=service_request)
    assert invitation.origin == Invitation.Origin.COMPLETED
    assert invitation.sent_channels == "email,inbox,sms"
    rows = Notification.objects.filter(member=service_request.member, event="survey_invitation")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "inbox", "sms"]
    sms = rows.get(channel=Channel.SMS)
    assert services.invitation_token(invitation) in sms.body
    assert sms.body.splitlines()[-1].startswith("https://najran-coffee.sa/surveys/s/")


def test_rejecting_a_request_invites_the_member_too():
    service_request, staff = _in_progress()

    request_services.reject_request(service_request=service_request, by=staff, reason="الوثائق غير مكتملة")

    assert Invitation.objects.get(service_request=service_request).origin == Invitation.Origin.REJECTED


def test_a_member_who_opted_out_of_surveys_gets_no_invitation():
    service_request, staff = _in_progress(surveys_opt_out=True)

    request_services.complete_request(service_request=service_request, by=staff, outcome="تم")

    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(event__startswith="survey_").exists()


def test_inviting_twice_for_the_same_request_adds_nothing():
    service_request = closed_request()
    services.invite_for_request(service_request=service_request, origin=Invitation.Origin.COMPLETED)

    again = services.invite_for_request(service_request=service_request, origin=Invitation.Origin.COMPLETED)

    assert again is None
    assert Invitation.objects.count() == 1
    assert Notification.objects.filter(event="survey_invitation").count() == 2  # inbox and SMS: no e-mail address


def test_only_the_hash_of_the_token_is_stored():
    invitation = services.invite_for_request(service_request=closed_request(), origin=Invitation.Origin.COMPLETED)
    token = services.invitation_token(invitation)

    assert invitation.token_hash == services.hash_token(token)
    assert token not in str(Invitation.objects.values().get(pk=invitation.pk))


def test_the_invitation_expires_after_30_days():
    invitation = services.invite_for_request(service_request=closed_request(), origin=Invitation.Origin.COMPLETED)

    assert (invitation.expires_at - invitation.created_at).days == 30


@pytest.mark.parametrize("event", ["survey_invitation", "survey_reminder"])
@pytest.mark.parametrize("language", ["ar", "en"])
def test_survey_text_messages_fit_two_segments_with_the_whole_link(event, language):
    member = MemberFactory(language=language, sms_consent=True)
    invitation = services.invite_for_request(
        service_request=closed_request(member=member, reference_no="NJC-2026-123456"),
        origin=Invitation.Origin.COMPLETED,
    )
    link = "https://najran-coffee.sa" + services.survey_path(invitation)

    text = outbox.render_message(
        event=event,
        channel=Channel.SMS,
        language=language,
        context=invitation_services._notification_context(invitation),
        shorten=False,
    ).body

    assert text.endswith(link)
    assert sms_length(text).segments <= 2, (sms_length(text), text)


def test_a_service_with_its_own_questionnaire_invites_with_it():
    from surveys.models import Questionnaire

    service_request = closed_request()
    own = Questionnaire.objects.create(
        code="seedlings",
        name="استبانة الشتلات",
        request_type=service_request.request_type,
        overall_ar="ما تقييمك لخدمة الشتلات؟",
        recommend_ar="هل توصي بها؟",
        comment_ar="ملاحظة",
        ask_speed=False,
    )

    invitation = services.invite_for_request(service_request=service_request, origin=Invitation.Origin.COMPLETED)

    assert invitation.questionnaire_version.questionnaire == own
    assert invitation.questionnaire_version.aspects == ["clarity", "courtesy", "ease"]


def test_the_invitation_says_until_when_its_link_is_valid_in_both_calendars():
    service_request, staff = _in_progress()

    request_services.complete_request(service_request=service_request, by=staff, outcome="سُلّمت الشتلات")

    invitation = Invitation.objects.get(service_request=service_request)
    rows = Notification.objects.filter(member=service_request.member, event="survey_invitation")
    expires = timezone.localdate(invitation.expires_at)
    hijri = to_hijri(expires)
    for channel in (Channel.INBOX, Channel.EMAIL):
        body = rows.get(channel=channel).body
        assert f"{hijri.year}" in body and "هـ" in body, body  # the Hijri date members read first
        assert f"{expires.year}" in body and expires.isoformat() not in body  # the Gregorian one in words
