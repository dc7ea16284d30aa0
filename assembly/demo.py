"""Demo General Assembly: the ordinary annual meeting 20 days ahead, its agenda, and its notice published; and an
extraordinary meeting the secretary is still drafting.

Runs after members.demo (the register, the board's accounts). Idempotent: a second run finds the meeting and
changes nothing (the notice's rows are keyed).
"""

import datetime

from django.utils import timezone

from assembly import notices, services
from assembly.models import AgendaItem, Meeting
from members.models import User

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
    draft = services.create_meeting(
        by=secretary,
        kind=Meeting.Kind.EXTRAORDINARY,
        starts_at=timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=25), datetime.time(10, 0))
        ),
    )
    services.add_agenda_item(
        meeting=draft,
        by=secretary,
        kind=AgendaItem.Kind.EXTRAORDINARY,
        title_ar="تعديل اللائحة الأساسية للجمعية",
        title_en="Amending the cooperative's basic bylaws",
    )
    stdout.write(
        f"  General Assembly: a meeting on {day.isoformat()}, notice published to {eligible} members; one drafted"
    )
    return []
