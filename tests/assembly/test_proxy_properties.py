"""The proxy rules (GOV-01) as properties, on PostgreSQL: Hypothesis draws a register (who holds shares, who sits on
the board) and a sequence of what members do (appoint, ask for the code, accept with the right or a wrong code,
decline, revoke, join the board, the cut-off passing) and runs it against the real services. After every step, no
live proxy breaks a rule: holder ≠ principal, both on the meeting's list, nobody holds or gives two, no acceptance
by a board member or without the right code, and after the cut-off nothing changes.

Each example runs in a savepoint rolled back at its end, so examples never see each other's rows.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from assembly import proxies, services
from assembly.models import Meeting, Proxy
from members.roles import Role
from tests.assembly.conftest import draft_meeting
from tests.concurrency import needs_postgresql
from tests.members.factories import MemberFactory, UserFactory

pytestmark = [needs_postgresql, pytest.mark.django_db]

MAX_MEMBERS = 4

member_index = st.integers(0, MAX_MEMBERS - 1)
own = st.sampled_from([True, True, True, False])  # mostly the proxy's own side, sometimes another member
registers = st.lists(
    st.fixed_dictionaries(
        {"shares": st.sampled_from([3, 1, 3, 0]), "board": st.sampled_from([False, False, False, True])}
    ),
    min_size=3,
    max_size=MAX_MEMBERS,
)


class World:
    """One example's meeting and members, and what the test knows of them (the codes the SMS carried)."""

    def __init__(self, register: list[dict]) -> None:
        board = Group.objects.get_or_create(name=Role.BOARD)[0]
        secretary = UserFactory()
        secretary.groups.add(board)
        self.members = []
        for row in register:
            user = UserFactory()
            if row["board"]:
                user.groups.add(board)
            self.members.append(MemberFactory(user=user, shares=row["shares"]))
        self.board_group = board
        self.meeting = draft_meeting(secretary, items=1)
        services.publish_notice(meeting=self.meeting, by=secretary)
        self.meeting.refresh_from_db()
        self.eligible = set(self.meeting.eligible.values_list("member_id", flat=True))
        self.codes: dict[int, str] = {}
        self.closed = False
        self.steps = 0

    def member(self, index: int):
        return self.members[index % len(self.members)]

    def on_board(self, member) -> bool:
        return member.user.groups.filter(pk=self.board_group.pk).exists()

    def snapshot(self) -> list[tuple]:
        return list(
            Proxy.objects.filter(meeting=self.meeting)
            .order_by("pk")
            .values_list("pk", "principal_id", "holder_id", "status", "code_hash")
        )


NO_PROXY = "no proxy to act on"


def check_rules(world: World) -> None:
    live = list(Proxy.objects.filter(meeting=world.meeting, status__in=Proxy.LIVE).values_list("principal", "holder"))
    assert all(principal != holder for principal, holder in live), live
    assert all(principal in world.eligible and holder in world.eligible for principal, holder in live), live
    assert len({holder for _principal, holder in live}) == len(live), live
    assert len({principal for principal, _holder in live}) == len(live), live


class ProxySteps(RuleBasedStateMachine):
    """Each rule is one thing a member (or time) does; a refusal is fine, a step that breaks a rule is not."""

    given = Bundle("proxies")

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.world: World | None = None

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    @initialize(register=registers)
    def register(self, register) -> None:
        self.world = World(register)

    def attempt(self, step: str, call):
        """Run `call`; after the cut-off it must be refused and change nothing."""
        self.world.steps += 1
        before = self.world.snapshot()
        try:
            result = call()
        except ValidationError as error:
            event(f"{step} refused: {error.code or 'fields'}")
            return None
        event(f"{step} done")
        assert not self.world.closed, f"{step} went through after the cut-off"
        assert self.world.snapshot() != before or step == "join_board"
        return result

    @rule(target=given, principal=member_index, offset=st.sampled_from([1, 1, 2, 3, 0]))
    def appoint(self, principal, offset):
        principal, holder = self.world.member(principal), self.world.member(principal + offset)
        proxy = self.attempt(
            "appoint",
            lambda: proxies.appoint(
                meeting=self.world.meeting, principal=principal, holder_national_id=holder.national_id
            ),
        )
        return proxy if proxy is not None else multiple()

    def actor(self, proxy: Proxy, own_side: bool, other: int, *, principal: bool = False):
        proxy.refresh_from_db()
        side = proxy.principal if principal else proxy.holder
        return proxy, side if own_side else self.world.member(other)

    @rule(proxy=given, own_side=own, other=member_index)
    def send_code(self, proxy, own_side, other):
        proxy, actor = self.actor(proxy, own_side, other)
        code = self.attempt("send_code", lambda: proxies.send_code(proxy=proxy, holder=actor))
        if code is not None:
            self.world.codes[proxy.pk] = code

    @rule(proxy=given, own_side=own, other=member_index, right=st.booleans())
    def accept(self, proxy, own_side, other, right):
        proxy, actor = self.actor(proxy, own_side, other)
        holder_on_board = self.world.on_board(proxy.holder)
        code = self.world.codes.get(proxy.pk, "000000")
        code = code if right else f"{(int(code) + 1) % 10**6:06d}"
        accepted = self.attempt("accept", lambda: proxies.accept(proxy=proxy, holder=actor, code=code))
        if accepted is not None:
            assert right, "a wrong code accepted a proxy"
            assert not holder_on_board, "a board member accepted a proxy"

    @rule(proxy=given, board_meanwhile=st.booleans(), right=st.booleans())
    def holder_accepts_with_the_code(self, proxy, board_meanwhile, right):
        """The usual path in one step: the holder asks for the code and enters it (the right one or not), perhaps
        joining the board in between."""
        self.send_code(proxy, True, 0)
        if board_meanwhile:
            self.holder_joins_board(proxy)
        self.accept(proxy, True, 0, right)

    @rule(proxy=given, own_side=own, other=member_index)
    def decline(self, proxy, own_side, other):
        proxy, actor = self.actor(proxy, own_side, other)
        self.attempt("decline", lambda: proxies.decline(proxy=proxy, holder=actor))

    @rule(proxy=given, own_side=own, other=member_index)
    def revoke(self, proxy, own_side, other):
        proxy, actor = self.actor(proxy, own_side, other, principal=True)
        self.attempt("revoke", lambda: proxies.revoke(proxy=proxy, principal=actor))

    @rule(proxy=given)
    def holder_joins_board(self, proxy):
        proxy.holder.user.groups.add(self.world.board_group)

    @rule(member=member_index)
    def member_joins_board(self, member):
        self.world.member(member).user.groups.add(self.world.board_group)

    @precondition(lambda self: self.world is not None and self.world.steps >= 10 and not self.world.closed)
    @rule()
    def cut_off_passes(self):
        """Late in a run only (a rule without arguments is drawn early and often, and would close every run)."""
        starts_at = timezone.now() + datetime.timedelta(hours=proxies.settings.ASSEMBLY_PROXY_CUTOFF_HOURS - 1)
        Meeting.objects.filter(pk=self.world.meeting.pk).update(starts_at=starts_at)
        self.world.closed = True

    @invariant()
    def no_live_proxy_breaks_a_rule(self):
        if self.world is not None:
            check_rules(self.world)


def test_no_sequence_of_steps_leaves_a_proxy_that_breaks_a_rule():
    run_state_machine_as_test(
        ProxySteps,
        settings=settings(
            max_examples=100,
            stateful_step_count=25,
            deadline=None,
            database=None,  # nothing written into the project; a failure prints the steps to replay
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
