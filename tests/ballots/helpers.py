"""A published meeting with members and secret questions, built through the services as the portal builds them."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from assembly import proxies
from assembly import services as assembly_services
from assembly.models import AgendaItem, Meeting
from ballots import services
from ballots.models import Question
from members.roles import Role
from tests.members.factories import MemberFactory, UserFactory


def secretary():
    user = UserFactory()
    for role in (Role.BOARD, Role.MEMBER):
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def published_meeting(by, *, members: int = 4, days: int = 20) -> tuple[Meeting, list]:
    """A meeting `days` ahead, its notice published with `members` eligible members (and the agenda's election)."""
    people = [MemberFactory(shares=3) for _ in range(members)]
    starts_at = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=days)
    meeting = assembly_services.create_meeting(by=by, kind="ordinary", starts_at=starts_at)
    assembly_services.add_agenda_item(
        meeting=meeting, by=by, kind=AgendaItem.Kind.BOARD_ELECTION, title_ar="انتخاب مجلس الإدارة", title_en="Board"
    )
    assembly_services.publish_notice(meeting=meeting, by=by)
    meeting.refresh_from_db()
    return meeting, people


def open_item(meeting: Meeting, by) -> Question:
    question = services.create_question(
        meeting=meeting, by=by, kind=Question.Kind.ITEM, title_ar="إبراء ذمة المجلس", title_en="Discharge the board"
    )
    return services.open_question(question=question, by=by)


def open_election(meeting: Meeting, by, candidates, seats: int = 2) -> Question:
    question = services.create_question(
        meeting=meeting,
        by=by,
        kind=Question.Kind.ELECTION,
        title_ar="انتخاب أعضاء مجلس الإدارة",
        title_en="Electing the board",
        seats=seats,
        candidates=candidates,
    )
    return services.open_question(question=question, by=by)


def option_ids(question: Question) -> list[int]:
    return list(question.options.order_by("order").values_list("pk", flat=True))


def accepted_proxy(meeting: Meeting, principal, holder):
    proxy = proxies.appoint(meeting=meeting, principal=principal, holder_national_id=holder.national_id)
    return proxies.accept(proxy=proxy, holder=holder, code=proxies.send_code(proxy=proxy, holder=holder))


def past_the_cut_off(meeting: Meeting) -> None:
    """The meeting moved to tomorrow: proxies can no longer change, online voting is still open."""
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + datetime.timedelta(hours=24))
    meeting.refresh_from_db()
