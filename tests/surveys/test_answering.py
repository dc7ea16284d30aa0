"""Answering from the link: one screen without a password, saved once, refused clearly when the link cannot be used."""

import pytest
from django.urls import reverse

from surveys import services
from surveys.models import Invitation, Response, StaffResultTally
from tests.concurrency import at_once, needs_postgresql
from tests.surveys.factories import (
    MemberFactory,
    age,
    closed_request,
    default_questionnaire,
    department_staff,
    invitation_for,
)

pytestmark = pytest.mark.django_db

FULL_ANSWER = {"overall": "4", "speed": "5", "clarity": "4", "courtesy": "5", "ease": "3", "recommend": "9"}


def _link(invitation: Invitation) -> str:
    return reverse("surveys:survey-answer", args=[services.invitation_token(invitation)])


def test_the_link_opens_the_survey_without_signing_in_in_arabic(client):
    invitation = invitation_for(closed_request())

    page = client.get(_link(invitation))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'lang="ar" dir="rtl"' in html
    assert "ما تقييمك العام للخدمة؟" in html
    assert invitation.service_request.reference_no in html
    assert "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "same-origin"


def test_the_page_speaks_the_invited_members_language_without_naming_them(client):
    member = MemberFactory(language="en", full_name_en="Saeed Al Murayh", full_name_ar="سعيد آل مريح")
    invitation = invitation_for(closed_request(member=member))

    html = client.get(_link(invitation)).content.decode()

    assert 'lang="en" dir="ltr"' in html
    assert "Overall, how would you rate the service?" in html
    assert "Saeed" not in html and "سعيد" not in html
    assert str(member.mobile)[-7:] not in html


def test_the_survey_is_radio_buttons_in_fieldsets_with_legends(client):
    invitation = invitation_for(closed_request())

    html = client.get(_link(invitation)).content.decode()

    assert html.count("<fieldset") == 6  # overall, 4 aspects, recommendation
    assert html.count("<legend") == 6
    assert html.count('type="radio" name="overall"') == 5
    assert html.count('type="radio" name="recommend"') == 11
    assert "<script>" not in html.split("</main>")[0]


def test_answering_saves_one_anonymous_response_and_marks_the_invitation_answered(client):
    service_request = closed_request(channel="walk_in")
    invitation = invitation_for(service_request)
    # Four more answers of the same service, department, governorate, channel and outcome this month: the answer
    # may keep them all (surveys.services.coarsening).
    for _ in range(4):
        same = closed_request(
            channel="walk_in",
            request_type=service_request.request_type,
            department=service_request.department,
            member=MemberFactory(governorate=service_request.member.governorate),
        )
        client.post(_link(invitation_for(same)), FULL_ANSWER)

    page = client.post(_link(invitation), {**FULL_ANSWER, "comment": "خدمة ممتازة"})

    assert page.status_code == 200
    assert "شكرًا" in page.content.decode() or "شكر" in page.content.decode()
    response = Response.objects.get(comment="خدمة ممتازة")
    assert (response.overall, response.speed, response.ease, response.recommend) == (4, 5, 3, 9)
    assert response.request_type_id == service_request.request_type_id
    assert response.department_id == service_request.department_id
    assert response.governorate == service_request.member.governorate
    assert response.channel == "walk_in"
    assert response.outcome == "completed"
    assert response.month.day == 1
    invitation.refresh_from_db()
    assert invitation.answered


def test_a_second_submit_is_refused_and_saves_nothing(client):
    invitation = invitation_for(closed_request())
    client.post(_link(invitation), FULL_ANSWER)

    again = client.post(_link(invitation), FULL_ANSWER)

    assert again.status_code == 409
    assert "هذه الاستبانة" in again.content.decode()
    assert Response.objects.count() == 1


def test_two_submits_of_the_same_invitation_object_save_once():
    invitation = invitation_for(closed_request())
    services.submit_response(invitation=invitation, answer=services.Answer(overall=5))

    with pytest.raises(services.InvitationRefused) as refused:
        services.submit_response(invitation=invitation, answer=services.Answer(overall=1))

    assert refused.value.reason == services.InvitationRefused.ANSWERED
    assert list(Response.objects.values_list("overall", flat=True)) == [5]


def test_an_expired_link_gets_a_clear_arabic_page(client):
    invitation = age(invitation_for(closed_request()), days=31)

    page = client.get(_link(invitation))

    assert page.status_code == 410
    assert "انتهت صلاحية رابط الاستبانة" in page.content.decode()


def test_an_expired_link_saves_nothing_even_when_posted(client):
    invitation = age(invitation_for(closed_request()), days=31)

    client.post(_link(invitation), FULL_ANSWER)

    assert not Response.objects.exists()


@pytest.mark.parametrize("token", ["AAAAAAAAAAAAAAAA", "x", "a" * 300, "..%2F..%2Fadmin"])
def test_a_forged_token_gets_a_clear_arabic_page(client, token):
    invitation_for(closed_request())

    page = client.get(reverse("surveys:survey-answer", args=[token]))

    assert page.status_code == 404
    assert "رابط الاستبانة غير صالح" in page.content.decode()


def test_another_members_link_is_refused_to_a_signed_in_member(client):
    invitation = invitation_for(closed_request())
    someone_else = MemberFactory()
    client.force_login(someone_else.user)

    page = client.post(_link(invitation), FULL_ANSWER)

    assert page.status_code == 403
    assert "أُرسل هذا الرابط إلى عضو آخر" in page.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "answer",
    [
        {**FULL_ANSWER, "overall": "6"},
        {**FULL_ANSWER, "overall": "-1"},
        {**FULL_ANSWER, "overall": "0"},
        {**FULL_ANSWER, "speed": "6"},
        {**FULL_ANSWER, "recommend": "11"},
        {key: value for key, value in FULL_ANSWER.items() if key != "overall"},
        {**FULL_ANSWER, "overall": "three"},
    ],
    ids=["overall 6", "overall -1", "overall 0", "speed 6", "recommend 11", "no overall", "not a number"],
)
def test_bad_ratings_get_a_clear_message_and_nothing_is_saved(client, answer):
    invitation = invitation_for(closed_request())

    page = client.post(_link(invitation), answer)

    assert page.status_code == 400
    html = page.content.decode()
    assert "اختر تقييمًا من 1 إلى 5" in html or "اختر رقمًا من 0 إلى 10" in html
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.answered


def test_a_100_kb_comment_is_refused_with_a_clear_message(client):
    invitation = invitation_for(closed_request())

    page = client.post(_link(invitation), {**FULL_ANSWER, "comment": "ب" * 100_000})

    assert page.status_code == 400
    assert "2000" in page.content.decode() or "٢٠٠٠" in page.content.decode()
    assert not Response.objects.exists()


def test_script_in_a_comment_is_stored_as_text_and_shown_as_text_when_the_form_returns(client):
    invitation = invitation_for(closed_request())
    script = "<script>alert('x')</script>"

    page = client.post(_link(invitation), {**FULL_ANSWER, "overall": "9", "comment": script})

    assert script not in page.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page.content.decode()


def test_a_comment_is_stored_with_mobiles_ids_and_emails_masked(client):
    invitation = invitation_for(closed_request())
    comment = "اتصلوا بي على 0551234567 أو ali@example.com، هويتي 1023456789"

    client.post(_link(invitation), {**FULL_ANSWER, "comment": comment})

    stored = Response.objects.get().comment
    assert "0551234567" not in stored and "ali@example.com" not in stored and "1023456789" not in stored
    assert stored.startswith("اتصلوا بي على [•••]")


def test_aspects_the_version_does_not_ask_are_not_stored():
    invitation = invitation_for(closed_request())
    invitation.questionnaire_version.content["ask_speed"] = False
    invitation.questionnaire_version.save()

    response = services.submit_response(invitation=invitation, answer=services.Answer(overall=3, speed=5, ease=2))

    assert (response.speed, response.ease) == (None, 2)


def test_the_handling_staff_members_quarter_tally_counts_the_answer_without_a_row_per_answer():
    service_request = closed_request()
    staff = department_staff(service_request.department)
    service_request.assignee = staff
    service_request.save()
    invitation = invitation_for(service_request)

    services.submit_response(invitation=invitation, answer=services.Answer(overall=2, courtesy=4, recommend=7))

    tally = StaffResultTally.objects.get(staff=staff)
    assert (tally.answers, tally.overall_sum, tally.courtesy_sum, tally.courtesy_count, tally.speed_count) == (
        1,
        2,
        4,
        1,
        0,
    )


def test_an_answered_invitation_keeps_nothing_the_response_also_holds():
    """Once answered, the invitation keeps that it was answered, not when, nor with which questions or outcome:
    answered_at's month, the version and the origin would each match it to the response."""
    invitation = invitation_for(closed_request())

    services.submit_response(invitation=invitation, answer=services.Answer(overall=3))

    invitation.refresh_from_db()
    assert invitation.is_answered
    assert (invitation.answered_at, invitation.questionnaire_version_id, invitation.origin) == (None, None, "")
    assert (invitation.expires_at, invitation.reminded_at) == (None, None)


def test_a_reminded_invitation_forgets_when_it_was_reminded_once_answered():
    """The reminder's time is cleared with the rest: kept, it would date the answer (it came after the reminder) and
    help match the invitation to its response."""
    invitation = age(invitation_for(closed_request()), days=4)
    assert services.send_reminders() == 1
    invitation.refresh_from_db()
    assert invitation.reminded_at is not None

    services.submit_response(invitation=invitation, answer=services.Answer(overall=3))

    invitation.refresh_from_db()
    assert invitation.is_answered and invitation.reminded_at is None


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_answered_four_times_at_once_the_invitation_saves_one_answer_and_counts_it_once():
    """A double click, a replayed form and two tabs, all at the same instant."""
    default_questionnaire()
    service_request = closed_request()
    invitation = invitation_for(service_request)

    results = at_once(*[lambda: services.submit_response(invitation=invitation, answer=services.Answer(overall=5))] * 4)

    refused = [result for result in results if isinstance(result, services.InvitationRefused)]
    assert len(refused) == 3 and all(error.reason == services.InvitationRefused.ANSWERED for error in refused)
    assert Response.objects.count() == 1
    assert sum(StaffResultTally.objects.values_list("answers", flat=True)) <= 1
