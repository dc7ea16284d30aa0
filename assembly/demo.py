"""Demo General Assembly: the ordinary annual meeting 20 days ahead, its agenda, its notice published, two proxies
(one accepted by the README's member with its code, whose pass then names whom they vote for, one whose holder was
sent the code and has not entered it yet) and its three documents published (small Arabic PDFs); and an
extraordinary meeting the secretary is still drafting, with a board election on its agenda to fill a vacant seat
(ballots.demo takes nominations for it).

Runs after members.demo (the register, the board's accounts). Idempotent: a second run finds the meeting and
changes nothing (the notice's rows are keyed).
"""

import datetime

from django.utils import timezone

from assembly import demo_documents, notices, proxies, services
from assembly.models import AgendaItem, Meeting
from members.models import Member, User
from members.roles import Role

AGENDA = [
    (
        AgendaItem.Kind.REPORTS,
        "تقرير مجلس الإدارة وتقرير مراجع الحسابات عن السنة المالية",
        "The board's and the auditor's reports on the financial year",
    ),
    (
        AgendaItem.Kind.ACCOUNTS,
        "اعتماد الميزانية العمومية والحسابات الختامية",
        "Approving the balance sheet and the final accounts",
    ),
    (
        AgendaItem.Kind.DISTRIBUTION_PLAN,
        "خطة توزيع الأرباح والعائد على المعاملات",
        "The profit-distribution plan and the return on members' transactions",
    ),
    (
        AgendaItem.Kind.AUDITOR,
        "تعيين مراجع الحسابات الخارجي للسنة القادمة وتحديد أتعابه",
        "Appointing next year's external auditor and the fee",
    ),
]
# The extraordinary meeting still in draft: a board election to fill a vacant seat takes nominations (ballots.demo).
DRAFT_AGENDA = [
    (AgendaItem.Kind.EXTRAORDINARY, "تعديل اللائحة الأساسية للجمعية", "Amending the cooperative's basic bylaws"),
    (
        AgendaItem.Kind.BOARD_ELECTION,
        "انتخاب عضو لشغل مقعد شاغر في مجلس الإدارة",
        "Electing a member to a vacant seat on the board",
    ),
]


def seed(stdout) -> list[tuple[str, str, str]]:
    if Meeting.objects.exists():
        stdout.write("  General Assembly: already there")
        return []
    secretary = User.objects.get(email="board@najran-coffee.example")
    day = timezone.localdate() + datetime.timedelta(days=20)
    meeting = services.create_meeting(
        by=secretary,
        kind=Meeting.Kind.ORDINARY,
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 0))),
    )
    for kind, title_ar, title_en in AGENDA:
        services.add_agenda_item(meeting=meeting, by=secretary, kind=kind, title_ar=title_ar, title_en=title_en)
    eligible = services.publish_notice(meeting=meeting, by=secretary)
    notices.send_notice(meeting_id=meeting.pk)
    _give_proxies(meeting)
    demo_documents.publish(meeting=meeting, by=secretary)
    draft = services.create_meeting(
        by=secretary,
        kind=Meeting.Kind.EXTRAORDINARY,
        starts_at=timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=25), datetime.time(10, 0))
        ),
    )
    for kind, title_ar, title_en in DRAFT_AGENDA:
        services.add_agenda_item(meeting=draft, by=secretary, kind=kind, title_ar=title_ar, title_en=title_en)
    stdout.write(
        f"  General Assembly: a meeting on {day.isoformat()}, notice and documents published to {eligible} members;"
        " one drafted"
    )
    return []


def _give_proxies(meeting: Meeting) -> None:
    """Through the proxies' own rules: the README's member accepts one with its code; two other members' offer waits
    for the code its holder was sent."""
    readme_member = Member.objects.get(user__phone="+966500000201")
    others = list(
        meeting.eligible.exclude(member=readme_member)
        .exclude(member__user__groups__name=Role.BOARD)
        .order_by("membership_no")
        .values_list("member_id", flat=True)[:3]
    )
    principal, waiting_principal, waiting_holder = Member.objects.in_bulk(others).values()
    accepted = proxies.appoint(meeting=meeting, principal=principal, holder_national_id=readme_member.national_id)
    proxies.accept(proxy=accepted, holder=readme_member, code=proxies.send_code(proxy=accepted, holder=readme_member))
    waiting = proxies.appoint(
        meeting=meeting, principal=waiting_principal, holder_national_id=waiting_holder.national_id
    )
    proxies.send_code(
        proxy=waiting, holder=waiting_holder
    )  # its code is in the SMS file; the holder's page asks for it
