"""Proxies (GOV-01): the law's rules hold in the service and in the database, whatever the order of events."""

import datetime
import random
import time

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assembly import proxies, services
from assembly.models import Meeting, Proxy
from members.roles import Role
from tests.assembly.conftest import draft_meeting
from tests.concurrency import at_once, needs_postgresql
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
LIVE = Proxy.LIVE


def published(secretary, capture, days=20):
    meeting = draft_meeting(secretary, days=days)
    with capture(execute=True):
        services.publish_notice(meeting=meeting, by=secretary)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def people(secretary):
    board_user = UserFactory()
    board_user.groups.add(Group.objects.get_or_create(name=Role.BOARD)[0])
    return {
        "saad": MemberFactory(shares=3),
        "fahd": MemberFactory(shares=3),
        "ali": MemberFactory(shares=3),
        "board": MemberFactory(shares=3, user=board_user),
    }


def test_a_member_appoints_another_by_national_id_who_accepts(secretary, people, django_capture_on_commit_callbacks):
    meeting = published(secretary, django_capture_on_commit_callbacks)

    proxy = proxies.appoint(meeting=meeting, principal=people["saad"], holder_national_id=people["fahd"].national_id)
    code = proxies.send_code(proxy=proxy, holder=people["fahd"])
    proxies.accept(proxy=proxy, holder=people["fahd"], code=code)

    proxy.refresh_from_db()
    assert (proxy.holder, proxy.status) == (people["fahd"], Proxy.Status.ACCEPTED)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("self", "لا يمكنك توكيل نفسك"),
        ("board", "لا يجوز لعضو مجلس الإدارة"),
        ("unknown", "لا يوجد في قائمة"),
        ("holds_one", "يحمل توكيلًا"),
        ("gives_one", "وكّلت"),
        ("cut_off", "أُغلق التوكيل"),
    ],
)
def test_each_rule_refuses_in_arabic_and_changes_nothing(
    secretary, people, django_capture_on_commit_callbacks, case, message
):
    meeting = published(secretary, django_capture_on_commit_callbacks)
    saad, fahd, ali = people["saad"], people["fahd"], people["ali"]
    holder = {"self": saad, "board": people["board"], "unknown": MemberFactory(shares=0)}.get(case, fahd)
    if case == "holds_one":
        proxies.appoint(meeting=meeting, principal=ali, holder_national_id=fahd.national_id)
    if case == "gives_one":
        proxies.appoint(meeting=meeting, principal=saad, holder_national_id=ali.national_id)
    if case == "cut_off":
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + datetime.timedelta(hours=47))
    before = list(Proxy.objects.values_list("pk", "status"))

    with pytest.raises(ValidationError) as refused:
        proxies.appoint(meeting=meeting, principal=saad, holder_national_id=holder.national_id)

    assert message in refused.value.messages[0]
    assert list(Proxy.objects.values_list("pk", "status")) == before


def test_a_revoked_proxy_frees_both_and_a_holder_made_board_member_cannot_accept(
    secretary, people, django_capture_on_commit_callbacks
):
    meeting = published(secretary, django_capture_on_commit_callbacks)
    saad, fahd, ali = people["saad"], people["fahd"], people["ali"]
    first = proxies.appoint(meeting=meeting, principal=saad, holder_national_id=fahd.national_id)
    proxies.revoke(proxy=first, principal=saad)
    second = proxies.appoint(meeting=meeting, principal=ali, holder_national_id=fahd.national_id)
    elected = UserFactory()
    elected.groups.add(Group.objects.get(name=Role.BOARD))
    fahd.user = elected
    fahd.save(update_fields=["user"])

    with pytest.raises(ValidationError):
        proxies.send_code(proxy=second, holder=fahd)
    with pytest.raises(ValidationError):
        proxies.accept(proxy=second, holder=fahd, code="000000")

    second.refresh_from_db()
    assert second.status == Proxy.Status.OFFERED


def test_the_database_refuses_a_second_live_proxy_for_a_holder_and_a_proxy_to_oneself(
    secretary, people, django_capture_on_commit_callbacks
):
    meeting = published(secretary, django_capture_on_commit_callbacks)
    saad, fahd, ali = people["saad"], people["fahd"], people["ali"]
    Proxy.objects.create(meeting=meeting, principal=saad, holder=fahd)

    with pytest.raises(IntegrityError), transaction.atomic():
        Proxy.objects.create(meeting=meeting, principal=ali, holder=fahd)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proxy.objects.create(meeting=meeting, principal=ali, holder=ali)
    Proxy.objects.create(meeting=meeting, principal=ali, holder=fahd, status=Proxy.Status.DECLINED)


def test_thousands_of_random_steps_never_leave_a_proxy_that_breaks_a_rule(
    secretary, people, django_capture_on_commit_callbacks
):
    """A property test without a library: seeded random sequences of appointments, answers and revocations by
    every member (the board member included, and a member outside the list); after each step the rules hold."""
    meeting = published(secretary, django_capture_on_commit_callbacks)
    outsider = MemberFactory(shares=0)
    members = [*people.values(), outsider]
    eligible = set(meeting.eligible.values_list("member_id", flat=True))
    board = people["board"].pk
    rng = random.Random(17)  # noqa: S311 (a repeatable sequence, not a secret)
    accepted = refused = 0
    for _step in range(1500):
        actor, other = rng.choice(members), rng.choice(members)
        action = rng.choice(["appoint", "appoint", "answer", "revoke"])
        try:
            if action == "appoint":
                proxies.appoint(meeting=meeting, principal=actor, holder_national_id=other.national_id)
            else:
                mine = Proxy.objects.filter(meeting=meeting, status__in=LIVE)
                proxy = rng.choice(list(mine) or [None])
                if proxy is None:
                    continue
                if action == "answer" and rng.random() < 0.7:
                    proxies.accept(proxy=proxy, holder=actor, code=proxies.send_code(proxy=proxy, holder=actor))
                elif action == "answer":
                    proxies.decline(proxy=proxy, holder=actor)
                else:
                    proxies.revoke(proxy=proxy, principal=actor)
            accepted += 1
        except ValidationError:
            refused += 1
        live = list(Proxy.objects.filter(meeting=meeting, status__in=LIVE).values_list("principal_id", "holder_id"))
        assert all(principal != holder for principal, holder in live)
        assert all(principal in eligible and holder in eligible for principal, holder in live)
        assert all(holder != board for _principal, holder in live)
        assert len({holder for _principal, holder in live}) == len(live)
        assert len({principal for principal, _holder in live}) == len(live)
    assert accepted > 100 and refused > 100


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_members_appointing_the_same_holder_at_once_one_wins_and_the_other_is_told(make_user, monkeypatch):
    secretary = make_user("secretary@example.org", Role.BOARD)
    checked = proxies._check_holder

    def slow_check(*args, **kwargs):  # widen the window between the checks and the insert, where a race would be
        checked(*args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(proxies, "_check_holder", slow_check)
    saad, fahd, ali = (MemberFactory(shares=2) for _ in range(3))
    meeting = draft_meeting(secretary)
    services.publish_notice(meeting=meeting, by=secretary)

    for _round in range(3):
        Proxy.objects.all().delete()
        results = at_once(
            lambda: proxies.appoint(meeting=meeting, principal=saad, holder_national_id=fahd.national_id),
            lambda: proxies.appoint(meeting=meeting, principal=ali, holder_national_id=fahd.national_id),
        )
        won = [result for result in results if isinstance(result, Proxy)]
        told = [result for result in results if isinstance(result, ValidationError)]
        assert (len(won), len(told)) == (1, 1), results
        assert Proxy.objects.filter(holder=fahd, status__in=LIVE).count() == 1
