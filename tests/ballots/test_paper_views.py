"""The room's pages: the officers' paper count entry (refusals in Arabic beside the form, nothing stored; two
officers confirm) and the door desk's "voted online" mark and list (who gets no paper ballot, never how anyone
voted); each is closed to whoever may not use it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from assembly.attendance import attendance, counted_member_ids
from ballots import paper
from ballots.models import PaperCount, Slot
from ballots.voting import cast, open_voting
from members.roles import Role
from tests.ballots.helpers import accepted_proxy, open_item, option_ids, past_the_cut_off, published_meeting, secretary
from tests.ballots.room import held_now, officer, vote_online
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    """Six members; the first voted online (for), the fifth holds the sixth's proxy and voted online for them;
    the first five are present."""
    chair = secretary()
    meeting, people = published_meeting(chair, members=6)
    accepted_proxy(meeting, people[5], people[4])
    item = open_item(meeting, chair)
    past_the_cut_off(meeting)
    vote_online(item, people[0], option_ids(item)[:1])
    slot = Slot.objects.get(question=item, member=people[5])
    cast(slot=slot, by=people[4], credential=open_voting(slot=slot, by=people[4]), option_ids=option_ids(item)[1:2])
    held_now(meeting, chair, present=people[:5])
    return meeting, item, people


def post_counts(client, item, votes, spoiled="0"):
    data = {f"q{item.pk}-option_{option}": value for option, value in zip(option_ids(item), votes, strict=True)}
    data[f"q{item.pk}-spoiled"] = spoiled
    return client.post(reverse("ballots:paper-enter", args=[item.pk]), data)


def test_two_officers_enter_the_same_paper_counts_on_the_page(client, room):
    meeting, item, _people = room
    page = reverse("ballots:meeting-paper", args=[meeting.pk])
    client.force_login(officer("فهد"))

    shown = client.get(page)
    assert shown.status_code == 200
    assert shown.context["rows"][0]["allowed"] == 4  # five present and one represented, two of them voted online
    assert post_counts(client, item, ["2", "1", "0"], spoiled="1").status_code == 302
    client.force_login(officer("علي"))
    differ = post_counts(client, item, ["1", "2", "0"], spoiled="1")
    assert differ.status_code == 400
    assert "تختلف أعدادك" in differ.content.decode()
    client.force_login(PaperCount.objects.get().entered_by)
    assert "أدخل علي آل يام أعدادًا مختلفة" in client.get(page).content.decode()
    client.force_login(officer("سالم"))
    assert post_counts(client, item, ["2", "1", "0"], spoiled="1").status_code == 302

    assert PaperCount.objects.get().is_confirmed
    assert "اعتمدها" in client.get(page).content.decode()


@pytest.mark.parametrize(
    ("votes", "spoiled", "message"),
    [
        (["x", "1", "0"], "0", "أدخل رقمًا بالأرقام فقط"),
        (["-1", "1", "0"], "0", "لا يكون العدد أقل من صفر"),
        (["4", "1", "0"], "0", "أكثر من 4 أعضاء"),
    ],
)
def test_bad_paper_counts_are_refused_in_arabic_and_change_nothing(client, room, votes, spoiled, message):
    _meeting, item, _people = room
    client.force_login(officer("فهد"))

    response = post_counts(client, item, votes, spoiled)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PaperCount.objects.exists()


def test_only_officers_reach_the_paper_counts(client, room):
    meeting, item, people = room
    client.force_login(people[1].user or UserFactory())

    assert client.get(reverse("ballots:meeting-paper", args=[meeting.pk])).status_code in (302, 403)
    assert post_counts(client, item, ["1", "0", "0"]).status_code in (302, 403)
    assert not PaperCount.objects.exists()


def test_the_door_list_marks_who_voted_online_and_never_how(client, room):
    meeting, _item, people = room
    staff = UserFactory()
    staff.groups.add(Group.objects.get_or_create(name=Role.STAFF)[0])
    client.force_login(staff)

    page = client.get(reverse("ballots:door-list", args=[meeting.pk]))

    assert page.status_code == 200
    rows = {row["member"].pk: row for row in page.context["rows"]}
    assert [online for _question, online in rows[people[0].pk]["marks"]] == [True]
    assert [online for _question, online in rows[people[1].pk]["marks"]] == [False]
    principal, marks = rows[people[4].pk]["principals"][0]
    assert principal == people[5] and [online for _question, online in marks] == [True]
    html = page.content.decode()
    assert html.count('data-online="yes"') == 2 and html.count('data-online="no"') == 4
    for label in ("غير موافق", "ممتنع", ">موافق<"):  # no option of the ballot appears
        assert label not in html


def test_the_door_desk_shows_the_mark_when_a_member_registers(client, room):
    meeting, _item, people = room
    client.force_login(secretary())

    response = client.post(reverse("assembly:door-register", args=[meeting.pk]), {"member": people[4].pk})

    html = response.content.decode()
    assert "صوّت إلكترونيًا" in html and "ورقة اقتراع" in html
    assert html.count('data-online="yes"') == 1 and html.count('data-online="no"') == 1


def test_the_door_list_is_for_the_desk_only(client, room):
    meeting, _item, people = room
    client.force_login(people[1].user or UserFactory())

    assert client.get(reverse("ballots:door-list", args=[meeting.pk])).status_code in (302, 403)


def test_the_members_who_may_vote_on_paper_are_those_attendance_counts(room):
    meeting, item, people = room

    there = counted_member_ids(meeting)

    assert len(there) == attendance(meeting).counted == 6
    assert people[5].pk in there  # represented by the present holder of their proxy
    assert paper.allowed_on_paper(item) == 4
