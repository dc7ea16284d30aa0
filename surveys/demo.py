"""Demo survey data that tells one story with the demo requests (requests_app.demo): every closed request was
invited when it closed, about three in five invitations were answered within two weeks, and each answer
carries its request's service, department, governorate and the month it was given in. Staff tallies are
the sums of those answers; general ratings come with the member's monthly mark. Recent invitations are
made through the service (their messages go through the outbox), so the demo member's links work.

Idempotent: answers are made only when there are none; invitations only for requests without one.
"""

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from members import outbox
from members.models import Member
from requests_app.models import Channel, RequestType, ServiceRequest
from surveys import services
from surveys.models import AdoptedSuggestion, GeneralRatingMark, Invitation, Response, Suggestion
from surveys.services import answering, coarsening

DEMO_MEMBER_NO = "10001"  # the "member (activated)" login of members.demo
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


def _ratings(rng: random.Random, service_request: ServiceRequest, quality: dict, month: datetime.date) -> dict:
    """One member's ratings: busy months are slower, rejections rate lower, field visits are liked."""
    load = SEASON[month.month]
    rejected = service_request.status == ServiceRequest.Status.REJECTED
    mood = 4.1 + quality.get(service_request.request_type_id, 0) - (load - 1) * 0.8 - (1.3 if rejected else 0)
    mood += 0.3 if service_request.channel == Channel.FIELD_VISIT else 0
    overall = _clamp(rng.gauss(mood, 0.9), 1, 5)
    return {
        "overall": overall,
        "speed": _clamp(rng.gauss(overall - (load - 1) * 1.2, 0.8), 1, 5) if rng.random() < 0.93 else None,
        "clarity": _clamp(rng.gauss(overall + (0.3 if not rejected else -0.4), 0.8), 1, 5),
        "courtesy": _clamp(rng.gauss(overall + 0.5, 0.7), 1, 5),
        "ease": _clamp(rng.gauss(overall - 0.1, 0.8), 1, 5) if rng.random() < 0.95 else None,
        "recommend": _clamp(rng.gauss(overall * 2.1 - 0.5, 1.5), 0, 10) if rng.random() < 0.9 else None,
        "comment": rng.choice(COMMENTS) if rng.random() < 0.25 else "",
    }


def _answered_history(rng: random.Random, now: datetime.datetime) -> list[Response]:
    """Invitations for the requests closed before the last two weeks (the demo member's stay open for their
    links), three in five answered: the answer is dated within two weeks of the invitation, never after now."""
    quality = {pk: rng.uniform(-0.7, 0.6) for pk in RequestType.objects.values_list("pk", flat=True)}
    closed = (
        ServiceRequest.objects.filter(
            status__in=services.RATABLE_STATUSES,
            closed_at__lt=now - datetime.timedelta(days=14),
            survey_invitation__isnull=True,
        )
        .exclude(member__membership_no=DEMO_MEMBER_NO)
        .select_related("member", "request_type")
        .order_by("closed_at")
    )
    invitations, responses, handled = [], [], []
    for service_request in closed:
        if service_request.member.surveys_opt_out:
            continue
        invitation = _invitation(service_request)
        if rng.random() < 0.6:
            answered_at = min(service_request.closed_at + datetime.timedelta(hours=rng.randint(1, 14 * 24)), now)
            month = services.month_of(timezone.localdate(answered_at))
            version = invitation.questionnaire_version
            # Answered: as surveys.services.submit_response leaves it (no time, version, origin or expiry kept).
            invitation.answered, invitation.questionnaire_version, invitation.origin = True, None, ""
            invitation.expires_at = None
            ratings = _ratings(rng, service_request, quality, month)
            responses.append(
                Response(
                    questionnaire_version=version,
                    source=Response.Source.REQUEST,
                    request_type=service_request.request_type,
                    department_id=service_request.department_id,
                    governorate=service_request.member.governorate or "",
                    month=month,
                    channel=service_request.channel,
                    outcome=service_request.status,
                    **ratings,
                )
            )
            handled.append((service_request, answered_at, responses[-1]))
        invitations.append(invitation)
    Invitation.objects.bulk_create(invitations, batch_size=500)
    _store(responses, handled, rng)
    return responses


def _invitation(service_request: ServiceRequest) -> Invitation:
    """The invitation the closing of the request sent, by the inbox, as the services write it."""
    invitation = Invitation(
        member=service_request.member,
        service_request=service_request,
        questionnaire_version=services.current_version(service_request.request_type),
        origin=service_request.status,
        sent_channels="inbox",
        created_at=service_request.closed_at,
        expires_at=service_request.closed_at + datetime.timedelta(days=services.INVITATION_DAYS),
    )
    invitation.token_hash = services.hash_token(services.invitation_token(invitation))
    return invitation


def _store(
    responses: list[Response],
    handled: list[tuple[ServiceRequest, datetime.datetime, Response]],
    rng: random.Random,
) -> None:
    """The answers as submit_response stores them (coarsened where fewer than five share them), and the handling
    staff members' tallies."""
    for response in responses:
        fields = {name: getattr(response, name) for name in coarsening.DROP_ORDER}
        for name, value in coarsening.coarsened(fields, month=response.month).items():
            setattr(response, name, value)
    rng.shuffle(responses)  # stored in no particular order, as reseal_anonymous_rows leaves them
    Response.objects.bulk_create(responses, batch_size=500)
    for service_request, answered_at, response in handled:
        staff_id = answering._handler_id(service_request)
        if staff_id is not None:
            answering._add_to_tally(
                staff_id=staff_id, quarter=services.quarter_of(timezone.localdate(answered_at)), response=response
            )


def _general_ratings(rng: random.Random, today: datetime.date) -> int:
    """General ratings from the suggestion box: each with the member's mark for its month (one a month)."""
    members = list(Member.objects.filter(user__isnull=False).exclude(status=Member.Status.APPLICANT))
    version = services.current_version(None)
    made = 0
    for month in _month_starts(today, 12):
        for member in rng.sample(members, min(len(members), rng.randint(3, 8))):
            GeneralRatingMark.objects.create(member=member, month=month)
            Response.objects.create(
                questionnaire_version=version,
                source=Response.Source.GENERAL,
                governorate=member.governorate or "",
                month=month,
                overall=_clamp(rng.gauss(3.9, 0.9), 1, 5),
            )
            made += 1
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
        member__membership_no=DEMO_MEMBER_NO, answered=False, expires_at__gt=timezone.now()
    )
    return [outbox.absolute_url(services.survey_path(invitation)) for invitation in pending]


def seed(stdout) -> list[tuple[str, str, str]]:
    rng = random.Random(1447)  # noqa: S311 (repeatable demo data)
    today = timezone.localdate()
    if not Response.objects.exists():
        _answered_history(rng, timezone.now())
        _general_ratings(rng, today)
    _suggestions(rng, today)
    links = _invitations()
    answered = Invitation.objects.filter(answered=True).count()
    stdout.write(
        f"  surveys: {Invitation.objects.count()} invitations, {answered} answered "
        f"({Response.objects.for_service().count()} answers), {AdoptedSuggestion.objects.count()} adopted suggestions"
    )
    return [("survey link (demo member)", link, "(no password)") for link in links[:2]]
