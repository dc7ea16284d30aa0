"""The member's ballot pages: open voting, see the code once, cast, get the receipt; a slot someone else may use is
a 404; the credential stays out of the session, the URL and the messages; the results list the receipt."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ballots import services, voting
from ballots.models import Ballot, Question, Slot
from tests.ballots.helpers import open_item, option_ids, published_meeting, secretary
from tests.members.factories import member_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting_member(client):
    officer = secretary()
    meeting, people = published_meeting(officer)
    voter = member_account(shares=3)
    # The voter joined the register before the notice in real life: put them on the list as publishing would have.
    meeting.eligible.create(member=voter, membership_no=voter.membership_no, shares=3)
    question = open_item(meeting, officer)
    client.force_login(voter.user)
    return officer, meeting, question, voter, people


def test_a_member_opens_voting_casts_and_reads_the_receipt(client, voting_member):
    officer, meeting, question, voter, _people = voting_member
    slot = Slot.objects.get(question=question, member=voter)

    listing = client.get(reverse("ballots:meeting-ballots", args=[meeting.pk]))
    opened = client.post(reverse("ballots:slot-open", args=[slot.pk]))
    credential = opened.context["credential"]
    cast = client.post(
        reverse("ballots:slot-cast", args=[slot.pk]), {"credential": credential, "options": option_ids(question)[0]}
    )

    assert listing.status_code == 200 and question.title_ar in listing.content.decode()
    assert credential in opened.content.decode()
    receipt = Ballot.objects.get().receipt
    assert receipt in cast.content.decode()
    assert not any(credential in session.session_data for session in Session.objects.all())
    services.close_question(question=question, by=officer)
    results = client.get(reverse("ballots:meeting-record", args=[meeting.pk]))
    assert receipt in results.content.decode()
    downloaded = client.get(reverse("ballots:meeting-record-json", args=[meeting.pk])).json()
    assert [ballot["receipt"] for ballot in downloaded["questions"][0]["ballots"]] == [receipt]
    assert downloaded["log"][-1]["digest"] in results.content.decode()


def test_a_bad_cast_is_shown_in_arabic_and_stores_nothing(client, voting_member):
    _officer, _meeting, question, voter, _people = voting_member
    slot = Slot.objects.get(question=question, member=voter)
    client.post(reverse("ballots:slot-open", args=[slot.pk]))

    page = client.post(
        reverse("ballots:slot-cast", args=[slot.pk]), {"credential": "made.up", "options": option_ids(question)[0]}
    )

    assert "هذا ليس الرمز الذي صدر لهذا الصوت" in page.content.decode()
    assert not Ballot.objects.exists()


def test_someone_elses_slot_is_not_found(client, voting_member):
    _officer, _meeting, question, _voter, people = voting_member
    other = Slot.objects.get(question=question, member=people[0])

    assert client.post(reverse("ballots:slot-open", args=[other.pk])).status_code == 404
    assert client.get(reverse("ballots:slot-ballot", args=[other.pk])).status_code == 404
    assert not Slot.objects.filter(issued=True).exists()


def test_only_the_board_prepares_opens_and_closes(client, voting_member):
    _officer, meeting, question, _voter, _people = voting_member

    assert client.get(reverse("ballots:meeting-questions", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("ballots:question-close", args=[question.pk])).status_code == 403
    question.refresh_from_db()
    assert question.status == question.Status.OPEN


def test_an_election_without_enough_standing_nominations_is_refused_in_arabic_and_prepares_nothing(
    client, voting_member
):
    officer, meeting, _question, _voter, _people = voting_member
    client.force_login(officer)
    before = list(Question.objects.values_list("pk", flat=True))

    page = client.post(
        reverse("ballots:meeting-questions", args=[meeting.pk]),
        {"kind": "election", "title_ar": "انتخاب", "title_en": "Election", "seats": 1},
    )

    assert "يحتاج الانتخاب إلى عدد من المرشحين لا يقل عن عدد المقاعد" in page.content.decode()
    assert list(Question.objects.values_list("pk", flat=True)) == before


def test_the_results_page_reads_in_the_same_queries_however_many_ballots(
    client, voting_member, django_assert_num_queries
):
    officer, meeting, question, _voter, people = voting_member
    url = reverse("ballots:meeting-record", args=[meeting.pk])

    def vote(member) -> None:
        slot = Slot.objects.get(question=question, member=member)
        credential = voting.open_voting(slot=slot, by=member)
        voting.cast(slot=slot, by=member, credential=credential, option_ids=option_ids(question)[:1])

    vote(people[0])
    services.close_question(question=question, by=officer)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    Question.objects.filter(pk=question.pk).update(status=Question.Status.OPEN)
    for member in people[1:]:
        vote(member)
    Question.objects.filter(pk=question.pk).update(status=Question.Status.CLOSED)

    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url)

    assert page.content.decode().count("data-receipt=") == len(people)
