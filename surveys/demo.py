"""Demo survey data: a year of anonymous answers, staff tallies, suggestions, and live invitations for the demo member.

Idempotent: answers are added only when there are fewer than a thousand; invitations only for requests without one.
The demo member's survey links are printed, and their SMS reaches the SMS file once a worker runs.
"""

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from members import outbox
from members.models import Governorate
from requests_app.models import Channel, DepartmentMembership, RequestType, ServiceRequest
from surveys import services
from surveys.models import AdoptedSuggestion, Invitation, Response, StaffResultTally, Suggestion

DEMO_MEMBER_NO = "10001"  # the "member (activated)" login of members.demo
ANSWERS_PER_MONTH = 340
# Where the cooperative's members farm: the mountain governorates weigh most.
GOVERNORATE_WEIGHTS = {
    Governorate.NAJRAN: 30,
    Governorate.THAR: 18,
    Governorate.YADAMAH: 14,
    Governorate.HUBUNA: 12,
    Governorate.BADR_AL_JANOUB: 11,
    Governorate.KHUBASH: 8,
    Governorate.SHARURAH: 7,
}
CHANNEL_WEIGHTS = {Channel.PORTAL: 62, Channel.PHONE: 18, Channel.WALK_IN: 14, Channel.FIELD_VISIT: 6}
# Harvest and processing (October to February) bring more requests, and slower ones.
SEASON = {1: 1.3, 2: 1.2, 3: 0.9, 4: 0.8, 5: 0.8, 6: 0.7, 7: 0.7, 8: 0.8, 9: 0.9, 10: 1.2, 11: 1.4, 12: 1.4}
COMMENTS = [
    "الموظف كان متعاونًا جدًا، شكرًا لكم.",
    "تأخر الرد أكثر من المتوقع.",
    "أتمنى توضيح المستندات المطلوبة من البداية.",
    "الخدمة ممتازة والإجراءات سهلة.",
    "اضطررت للحضور إلى المقر مرتين.",
    "الرسائل النصية وصلت في وقتها، جزاكم الله خيرًا.",
    "نحتاج زيارة ميدانية أسرع في موسم القطاف.",
    "التطبيق سهل لكن تحميل المرفقات صعب من الجوال.",
    "شكرًا على سرعة الإنجاز.",
    "لم أفهم سبب الرفض بوضوح.",
]
SUGGESTIONS = [
    "أقترح فتح نقطة استلام للبن في ثار خلال موسم القطاف.",
    "دورات تدريبية في تقليم أشجار البن ومكافحة الآفات.",
    "إتاحة حجز موعد الزيارة الميدانية من البوابة.",
    "توفير مظلات وماء في مركز الاستلام وقت الزحام.",
    "نشر أسعار شراء البن أسبوعيًا برسالة نصية.",
    "تسهيل نقل الأسهم بين أفراد الأسرة.",
    "مشتل للشتلات المحسنة قريب من بدر الجنوب.",
]
ADOPTED = [
    ("مظلات ومياه في مركز الاستلام", "Shade and water at the receiving centre",
     "ركّبنا مظلات وبرادات مياه في مركز استلام البن بنجران قبل موسم القطاف.",
     "We put up shades and water coolers at the Najran receiving centre before the harvest.", 150),
    ("حجز موعد الزيارة الميدانية", "Booking a field visit",
     "أصبح بإمكان العضو اختيار موعد الزيارة الميدانية عند تقديم الطلب في البوابة.",
     "Members can now pick the day of a field visit when they submit the request in the portal.", 90),
    ("أسعار الشراء برسالة نصية", "Purchase prices by text message",
     "نرسل أسعار شراء البن كل أسبوع برسالة نصية للأعضاء الموافقين على الرسائل.",
     "We text the week's coffee purchase prices to members who accept text messages.", 40),
]  # fmt: skip


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    months, month = [], today.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _answers(rng: random.Random, today: datetime.date) -> list[Response]:
    types = list(RequestType.objects.active().exclude(kind=RequestType.Kind.MEMBERSHIP_APPLICATION))
    # Some services are asked for far more often; each has its own quality (the board should see differences).
    popularity = {rt.pk: rng.choice([1, 2, 3, 5, 8]) for rt in types}
    quality = {rt.pk: rng.uniform(-0.7, 0.6) for rt in types}
    version = services.current_version(None)
    governorates, governorate_weights = zip(*GOVERNORATE_WEIGHTS.items(), strict=True)
    channels, channel_weights = zip(*CHANNEL_WEIGHTS.items(), strict=True)
    rows = []
    for month in _month_starts(today, 12):
        load = SEASON[month.month]
        for _ in range(int(ANSWERS_PER_MONTH * load * rng.uniform(0.9, 1.1))):
            request_type = rng.choices(types, weights=[popularity[rt.pk] for rt in types])[0]
            rejected = rng.random() < 0.12
            channel = rng.choices(channels, weights=channel_weights)[0]
            # Busy months are slower; rejections rate lower; field visits are liked.
            mood = 4.1 + quality[request_type.pk] - (load - 1) * 0.8 - (1.3 if rejected else 0)
            mood += 0.3 if channel == Channel.FIELD_VISIT else 0
            overall = _clamp(rng.gauss(mood, 0.9), 1, 5)
            speed = _clamp(rng.gauss(overall - (load - 1) * 1.2, 0.8), 1, 5)
            rows.append(
                Response(
                    questionnaire_version=version,
                    source=Response.Source.REQUEST,
                    request_type=request_type,
                    department_id=request_type.department_id,
                    governorate=rng.choices(governorates, weights=governorate_weights)[0],
                    month=month,
                    channel=channel,
                    outcome=Response.Outcome.REJECTED if rejected else Response.Outcome.COMPLETED,
                    overall=overall,
                    speed=speed if rng.random() < 0.93 else None,
                    clarity=_clamp(rng.gauss(overall + (0.3 if not rejected else -0.4), 0.8), 1, 5),
                    courtesy=_clamp(rng.gauss(overall + 0.5, 0.7), 1, 5),
                    ease=_clamp(rng.gauss(overall - 0.1, 0.8), 1, 5) if rng.random() < 0.95 else None,
                    recommend=_clamp(rng.gauss(overall * 2.1 - 0.5, 1.5), 0, 10) if rng.random() < 0.9 else None,
                    comment=rng.choice(COMMENTS) if rng.random() < 0.18 else "",
                )
            )
        for _ in range(int(25 * rng.uniform(0.7, 1.3))):  # general ratings from the suggestion box
            rows.append(
                Response(
                    questionnaire_version=version,
                    source=Response.Source.GENERAL,
                    governorate=rng.choices(governorates, weights=governorate_weights)[0],
                    month=month,
                    overall=_clamp(rng.gauss(3.9, 0.9), 1, 5),
                )
            )
    rng.shuffle(rows)
    return rows


def _tallies(rng: random.Random, today: datetime.date) -> int:
    """Quarterly sums for every department staff member over the last four closed quarters."""
    current = services.quarter_of(today)
    quarters, quarter = [], current
    for _ in range(4):
        quarter = services.quarter_of(quarter - datetime.timedelta(days=1))
        quarters.append(quarter)
    made = 0
    for staff_id in DepartmentMembership.objects.values_list("user_id", flat=True).distinct():
        for quarter in quarters:
            answers = rng.randint(2, 45)  # some quarters stay under the threshold of 5
            mean = rng.uniform(3.3, 4.6)
            counted = max(answers - rng.randint(0, 2), 0)
            _tally, created = StaffResultTally.objects.get_or_create(
                staff_id=staff_id,
                quarter=quarter,
                defaults={
                    "answers": answers,
                    "overall_sum": round(mean * answers),
                    "speed_sum": round((mean - 0.4) * counted),
                    "speed_count": counted,
                    "clarity_sum": round((mean + 0.1) * answers),
                    "clarity_count": answers,
                    "courtesy_sum": round(min(mean + 0.4, 5) * answers),
                    "courtesy_count": answers,
                    "ease_sum": round(mean * counted),
                    "ease_count": counted,
                    "recommend_sum": round((mean * 2 - 0.4) * counted),
                    "recommend_count": counted,
                },
            )
            made += created
    return made


def _suggestions(rng: random.Random, today: datetime.date) -> None:
    if Suggestion.objects.exists():
        return
    months = _month_starts(today, 12)
    suggestions = [
        Suggestion(text=text, month=rng.choice(months), status=rng.choice(list(Suggestion.Status)))
        for text in SUGGESTIONS
    ]
    Suggestion.objects.bulk_create(suggestions)
    for (title_ar, title_en, body_ar, body_en, days_ago), suggestion in zip(ADOPTED, suggestions, strict=False):
        AdoptedSuggestion.objects.create(
            title_ar=title_ar,
            title_en=title_en,
            body_ar=body_ar,
            body_en=body_en,
            adopted_on=today - datetime.timedelta(days=days_ago),
            suggestion=suggestion,
        )
        Suggestion.objects.filter(pk=suggestion.pk).update(status=Suggestion.Status.ADOPTED)


def _invitations() -> list[str]:
    """Invite the demo member for their closed requests (messages through the outbox), and others closed lately."""
    recent = timezone.now() - datetime.timedelta(days=25)
    closed = (
        ServiceRequest.objects.filter(status__in=services.RATABLE_STATUSES, survey_invitation__isnull=True)
        .filter(Q(member__membership_no=DEMO_MEMBER_NO) | Q(closed_at__gte=recent))
        .select_related("member", "request_type")
        .order_by("closed_at")[:60]
    )
    for service_request in closed:
        origin = (
            Invitation.Origin.COMPLETED
            if service_request.status == ServiceRequest.Status.COMPLETED
            else Invitation.Origin.REJECTED
        )
        services.invite_for_request(service_request=service_request, origin=origin)
    pending = Invitation.objects.filter(
        member__membership_no=DEMO_MEMBER_NO, answered_at__isnull=True, expires_at__gt=timezone.now()
    )
    return [outbox.absolute_url(services.survey_path(invitation)) for invitation in pending]


def seed(stdout) -> list[tuple[str, str, str]]:
    rng = random.Random(1447)  # noqa: S311 (repeatable demo data)
    today = timezone.localdate()
    if Response.objects.count() < 1000:
        rows = _answers(rng, today)
        Response.objects.bulk_create(rows, batch_size=1000)
    tallies = _tallies(rng, today)
    _suggestions(rng, today)
    links = _invitations()
    stdout.write(
        f"  surveys: {Response.objects.count()} answers over 12 months, {tallies} staff tallies added, "
        f"{Invitation.objects.count()} invitations, {AdoptedSuggestion.objects.count()} adopted suggestions"
    )
    return [("survey link (demo member)", link, "(no password)") for link in links[:2]]
