"""The door (issue 17 item 6): the pass names one member for one meeting, and a member registers once, on the day,
from the list as it stood on the record date; a principal who comes in person ends the proxy they gave."""

import datetime
import time

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assembly import door, passes, proxies
from assembly.attendance import attendance
from assembly.models import Meeting, Proxy, Registration
from members.models import Member, Notification
from members.roles import Role
from tests.assembly.conftest import accept_proxy
from tests.assembly.on_the_day import meeting_today, this_hour
from tests.concurrency import at_once, needs_postgresql
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user("desk@example.org", Role.STAFF)


@pytest.fixture
def saad():
    return MemberFactory(shares=3, full_name_ar="سعد بن محمد آل مريح")


@pytest.fixture
def fahd():
    return MemberFactory(shares=3, full_name_ar="فهد بن علي آل منصور")


def test_a_pass_names_its_member_for_its_meeting_and_no_other(secretary, saad):
    meeting = meeting_today(secretary)
    other = meeting_today(secretary)
    eligible = meeting.eligible.get(member=saad)

    assert passes.read_token(meeting, passes.token(meeting, saad)).member_id == saad.pk
    assert passes.read_code(meeting, passes.short_code(meeting, eligible)).member_id == saad.pk
    with pytest.raises(passes.PassRefused, match="لاجتماع آخر"):
        passes.read_token(meeting, passes.token(other, saad))
    with pytest.raises(passes.PassRefused, match="لاجتماع آخر"):
        passes.read_code(meeting, passes.short_code(other, other.eligible.get(member=saad)))


def test_a_pass_never_carries_the_national_id_and_a_forged_one_is_refused(secretary, saad):
    meeting = meeting_today(secretary)
    value = passes.token(meeting, saad)
    forged = signing.dumps({"meeting": meeting.pk, "member": saad.pk + 1}, salt="another purpose")

    assert saad.national_id not in value
    assert saad.national_id not in signing.loads(value, salt=passes.TOKEN_SALT).values()
    for bad in (forged, value[:-2] + "xx", "10001-ABCD", "hello", ""):
        with pytest.raises(passes.PassRefused):
            passes.read_token(meeting, bad)


def test_the_short_code_is_read_in_arabic_digits_and_lower_case(secretary, saad):
    meeting = meeting_today(secretary)
    code = passes.short_code(meeting, meeting.eligible.get(member=saad))
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")).lower()

    assert passes.read_code(meeting, f"  {arabic} ").member_id == saad.pk
    with pytest.raises(passes.PassRefused, match="لا يوجد"):
        passes.read_code(meeting, code[:-1] + ("A" if code[-1] != "A" else "B"))


def test_one_scan_registers_and_a_second_answers_with_the_first(secretary, staff, saad):
    meeting = meeting_today(secretary)

    first = door.register(meeting=meeting, member=saad, by=staff, desk="1")
    second = door.register(meeting=meeting, member=saad, by=secretary, desk="2")

    assert (first.new, second.new) == (True, False)
    assert second.registration.pk == first.registration.pk
    registration = Registration.objects.get(meeting=meeting, member=saad)
    assert (registration.registered_by, registration.desk) == (staff, "1")
    assert attendance(meeting).present == 1


def test_the_holder_is_shown_whom_they_represent_and_the_principal_in_person_ends_the_proxy(
    secretary, staff, saad, fahd
):
    meeting = meeting_today(secretary)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + datetime.timedelta(days=5))
    proxy = proxies.appoint(meeting=meeting, principal=saad, holder_national_id=fahd.national_id)
    accept_proxy(proxy, fahd)
    meeting = meeting_today_again(meeting)

    holder = door.register(meeting=meeting, member=fahd, by=staff, desk="1")
    assert [member.pk for member in holder.represents] == [saad.pk]
    assert (attendance(meeting).present, attendance(meeting).represented) == (1, 1)

    principal = door.register(meeting=meeting, member=saad, by=staff, desk="1")

    proxy.refresh_from_db()
    assert proxy.status == Proxy.Status.REVOKED
    assert principal.revoked == proxy
    told = Notification.objects.get(member=fahd, event="proxy_revoked_on_arrival", channel="inbox")
    assert "سعد بن محمد آل مريح" in told.body
    assert (attendance(meeting).present, attendance(meeting).represented) == (2, 0)
    assert door.register(meeting=meeting, member=fahd, by=staff, desk="1").represents == []


def meeting_today_again(meeting: Meeting) -> Meeting:
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=this_hour())
    meeting.refresh_from_db()
    return meeting


def test_a_member_not_on_the_list_is_refused_in_arabic_and_nothing_changes(secretary, staff):
    meeting = meeting_today(secretary)
    joined_later = MemberFactory(shares=2, full_name_ar="علي بن حسن آل يام")

    with pytest.raises(ValidationError) as refused:
        door.register(meeting=meeting, member=joined_later, by=staff, desk="1")

    assert "ليس في قائمة" in refused.value.messages[0]
    assert "علي بن حسن آل يام" in refused.value.messages[0]
    assert not Registration.objects.exists()


def test_a_member_withdrawn_after_the_record_date_registers_and_the_desk_is_warned(secretary, staff, saad):
    meeting = meeting_today(secretary)
    Member.objects.filter(pk=saad.pk).update(status=Member.Status.WITHDRAWN)

    arrival = door.register(meeting=meeting, member=saad, by=staff, desk="1")

    assert arrival.new and arrival.register_changed
    assert Registration.objects.filter(meeting=meeting, member=saad).exists()


@pytest.mark.parametrize("when", ["draft", "yesterday", "tomorrow", "adjourned"])
def test_registration_opens_only_on_the_day_of_a_published_meeting(secretary, staff, saad, when):
    meeting = meeting_today(secretary)
    day = datetime.timedelta(days=1)
    change = {
        "draft": {"status": Meeting.Status.DRAFT},
        "yesterday": {"starts_at": meeting.starts_at - day},
        "tomorrow": {"starts_at": meeting.starts_at + day},
        "adjourned": {"status": Meeting.Status.ADJOURNED},
    }[when]
    Meeting.objects.filter(pk=meeting.pk).update(**change)

    with pytest.raises(ValidationError) as refused:
        door.register(meeting=meeting, member=saad, by=staff, desk="1")

    assert "في يوم اجتماع" in refused.value.messages[0]
    assert not Registration.objects.exists()


def test_the_day_follows_the_clock(secretary, staff, saad, monkeypatch):
    meeting = meeting_today(secretary)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)

    assert not door.is_meeting_day(meeting)
    with pytest.raises(ValidationError):
        door.register(meeting=meeting, member=saad, by=staff, desk="1")


def test_a_member_cannot_register_others(secretary, member_user, saad):
    meeting = meeting_today(secretary)

    with pytest.raises(ValidationError):
        door.register(meeting=meeting, member=saad, by=member_user, desk="1")
    assert not Registration.objects.exists()


def test_the_search_matches_a_membership_number_or_national_id_exactly(saad):
    assert door.find_member(query=saad.membership_no) == saad
    assert door.find_member(query=f" {saad.national_id} ") == saad
    assert door.find_member(query=saad.national_id[:-1]) is None
    assert door.find_member(query="") is None


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_one_pass_scanned_at_two_desks_at_once_registers_once(make_user, monkeypatch):
    secretary = make_user("secretary@example.org", Role.BOARD)
    first_desk = make_user("desk1@example.org", Role.STAFF)
    second_desk = make_user("desk2@example.org", Role.STAFF)
    saad = MemberFactory(shares=2)
    meeting = meeting_today(secretary)
    created = Registration.objects.create

    def slow_create(**fields):  # widen the window between the check and the insert, where a race would be
        time.sleep(0.3)
        return created(**fields)

    monkeypatch.setattr(Registration.objects, "create", slow_create)

    for _round in range(3):
        Registration.objects.all().delete()
        results = at_once(
            lambda: door.register(meeting=meeting, member=saad, by=first_desk, desk="1"),
            lambda: door.register(meeting=meeting, member=saad, by=second_desk, desk="2"),
        )
        assert sorted(result.new for result in results) == [False, True], results
        assert len({result.registration.pk for result in results}) == 1
        assert Registration.objects.filter(meeting=meeting, member=saad).count() == 1
    with transaction.atomic():
        assert attendance(meeting).present == 1
