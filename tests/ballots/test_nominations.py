"""Nominations for the board (issue 18 item 7): made before the notice by the member or entered by the board, checked
(an active member holding shares, once, not disqualified), closed by the notice; the election's candidates are the
standing nominations on the meeting's list. Every refusal is in Arabic and stores nothing."""

import datetime
import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assembly import services as assembly_services
from assembly.models import AgendaItem, Meeting
from ballots import nominations, services
from ballots.models import Nomination, Question
from members.models import Member
from members.roles import Role
from tests.ballots.helpers import secretary
from tests.concurrency import at_once, needs_postgresql
from tests.members.factories import MemberFactory, UserFactory


def draft_with_election(by, *, election: bool = True) -> Meeting:
    starts_at = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=20)
    meeting = assembly_services.create_meeting(by=by, kind="ordinary", starts_at=starts_at)
    kind = AgendaItem.Kind.BOARD_ELECTION if election else AgendaItem.Kind.ACCOUNTS
    assembly_services.add_agenda_item(meeting=meeting, by=by, kind=kind, title_ar="انتخاب", title_en="Election")
    return meeting


def member_with_account(**fields) -> Member:
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=Role.MEMBER)[0])
    return MemberFactory(user=user, shares=fields.pop("shares", 3), **fields)


def refusal(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(caught.value.messages)


@pytest.mark.django_db
def test_a_member_nominates_themselves_and_the_board_enters_another():
    board = secretary()
    meeting = draft_with_election(board)
    saad, ali = member_with_account(), member_with_account()

    nominations.nominate(meeting=meeting, member=saad, by=saad.user)
    nominations.nominate(meeting=meeting, member=ali, by=board)

    assert {(row.member_id, row.entered_by_id) for row in Nomination.objects.all()} == {
        (saad.pk, saad.user.pk),
        (ali.pk, board.pk),
    }


@pytest.mark.django_db
def test_refusals_store_nothing(settings):
    settings.LANGUAGE_CODE = "ar"
    board = secretary()
    meeting = draft_with_election(board)
    saad = member_with_account()
    no_shares = member_with_account(shares=0)
    withdrawn = member_with_account(status=Member.Status.WITHDRAWN)
    plain = member_with_account()

    assert "مساهم" in refusal(lambda: nominations.nominate(meeting=meeting, member=no_shares, by=board))
    assert "مساهم" in refusal(lambda: nominations.nominate(meeting=meeting, member=withdrawn, by=board))
    assert "مجلس الإدارة" in refusal(lambda: nominations.nominate(meeting=meeting, member=saad, by=plain.user))
    other = draft_with_election(board, election=False)
    assert "انتخاب" in refusal(lambda: nominations.nominate(meeting=other, member=saad, by=saad.user))
    nominations.nominate(meeting=meeting, member=saad, by=saad.user)
    assert "مرشح" in refusal(lambda: nominations.nominate(meeting=meeting, member=saad, by=board))
    assert Nomination.objects.count() == 1

    assembly_services.publish_notice(meeting=meeting, by=board)
    assert "أُغلق باب الترشح" in refusal(lambda: nominations.nominate(meeting=meeting, member=plain, by=plain.user))
    assert Nomination.objects.count() == 1


@pytest.mark.django_db
def test_a_disqualified_member_reads_the_reason_and_cannot_stand_again(client, settings):
    settings.LANGUAGE_CODE = "ar"
    board = secretary()
    meeting = draft_with_election(board)
    saad = member_with_account()
    nomination = nominations.nominate(meeting=meeting, member=saad, by=saad.user)

    assert "السبب" in refusal(lambda: nominations.disqualify(nomination=nomination, by=board, reason="  "))
    assert "مجلس الإدارة" in refusal(lambda: nominations.disqualify(nomination=nomination, by=saad.user, reason="لا"))
    nominations.disqualify(nomination=nomination, by=board, reason="عليه حكم قضائي غير مرد الاعتبار")

    message = refusal(lambda: nominations.nominate(meeting=meeting, member=saad, by=saad.user))
    assert "عليه حكم قضائي غير مرد الاعتبار" in message
    client.force_login(saad.user)
    page = client.get(reverse("ballots:my-nominations")).content.decode()
    assert "استبعده مجلس الإدارة" in page and "عليه حكم قضائي غير مرد الاعتبار" in page
    assert Nomination.objects.count() == 1


@pytest.mark.django_db
def test_the_candidates_are_the_standing_nominations_on_the_list_and_then_stop_changing():
    board = secretary()
    meeting = draft_with_election(board)
    people = [member_with_account(full_name_ar=name) for name in ("بدر", "أحمد", "جابر", "حسن")]
    for person in people:
        nominations.nominate(meeting=meeting, member=person, by=board)
    nominations.disqualify(nomination=Nomination.objects.get(member=people[2]), by=board, reason="غير مؤهل")
    assembly_services.publish_notice(meeting=meeting, by=board)
    Member.objects.filter(pk=people[3].pk).update(shares=0)  # after the record date: still on the list

    question = services.create_question(
        meeting=meeting, by=board, kind=Question.Kind.ELECTION, title_ar="انتخاب", title_en="Election", seats=2
    )

    assert [option.candidate_id for option in question.options.order_by("order")] == [
        people[1].pk,
        people[0].pk,
        people[3].pk,
    ]
    assert question.agenda_item.kind == AgendaItem.Kind.BOARD_ELECTION
    standing = Nomination.objects.get(member=people[0])
    assert "أُعدّت" in refusal(lambda: nominations.disqualify(nomination=standing, by=board, reason="متأخر"))
    assert Nomination.objects.get(member=people[0]).is_standing


@pytest.mark.django_db
def test_the_member_page_nominates_and_shows_the_state(client, settings):
    settings.LANGUAGE_CODE = "ar"
    board = secretary()
    meeting = draft_with_election(board)
    saad = member_with_account()
    client.force_login(saad.user)

    page = client.get(reverse("ballots:my-nominations")).content.decode()
    assert "رشّح نفسي" in page
    client.post(reverse("ballots:my-nominations"), {"meeting": meeting.pk})

    assert Nomination.objects.filter(meeting=meeting, member=saad).exists()
    page = client.get(reverse("ballots:my-nominations")).content.decode()
    assert "رشّح نفسي" not in page and "يراجع مجلس الإدارة الترشيحات" in page


@pytest.mark.django_db
def test_only_the_board_reviews_or_disqualifies(client):
    board = secretary()
    meeting = draft_with_election(board)
    saad = member_with_account()
    nomination = nominations.nominate(meeting=meeting, member=saad, by=saad.user)
    client.force_login(saad.user)

    assert client.get(reverse("ballots:meeting-nominations", args=[meeting.pk])).status_code == 403
    url = reverse("ballots:nomination-disqualify", args=[nomination.pk])
    assert client.post(url, {"reason": "لا"}).status_code == 403
    assert Nomination.objects.get().is_standing


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_nomination_made_while_the_notice_is_being_published_is_refused():
    """Publishing holds the meeting's row while it freezes the list; a nomination arriving then waits, finds the
    notice published and is refused (without the lock it would land after the list was frozen)."""
    board = secretary()
    meeting = draft_with_election(board)
    saad = member_with_account()
    publishing = threading.Event()

    def publish():
        with transaction.atomic():
            assembly_services.publish_notice(meeting=meeting, by=board)
            publishing.set()
            time.sleep(0.5)

    def nominate():
        publishing.wait(10)
        return nominations.nominate(meeting=meeting, member=saad, by=saad.user)

    results = at_once(publish, nominate)

    assert isinstance(results[1], ValidationError) and results[1].code == "closed"
    assert not Nomination.objects.exists()


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_nominations_of_one_member_at_the_same_instant_store_one():
    board = secretary()
    meeting = draft_with_election(board)
    saad = member_with_account()

    results = at_once(*[lambda: nominations.nominate(meeting=meeting, member=saad, by=board)] * 4)

    assert sum(isinstance(result, Nomination) for result in results) == 1
    assert Nomination.objects.count() == 1
