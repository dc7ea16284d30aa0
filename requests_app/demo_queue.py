"""Demo data for the staff work queue, on top of requests_app.demo (listed after it in DEMO_MODULES).

A second staff account (so "take it" and reassigning can be tried with two people), work assigned to the
demo staff, a few requests due today, tomorrow and late, ready replies per service in Arabic and English,
and today's escalation notices. Idempotent: the second run finds the work assigned and changes nothing.
"""

import datetime
import random

from django.contrib.auth.models import Group
from django.utils import timezone

from members.demo import DEMO_PASSWORD
from members.models import User
from members.roles import Role
from requests_app import sla
from requests_app.desk import escalation
from requests_app.models import (
    CannedReply,
    Department,
    DepartmentMembership,
    RequestType,
    ServiceRequest,
    TimelineEvent,
)

Status = ServiceRequest.Status
SECOND_STAFF = ("staff2", "staff2@najran-coffee.example", "+966500000121", "سالم", "آل يام")
SECOND_STAFF_DEPARTMENTS = ["member-services", "customer-care"]

# (department code, service code or None for the whole department, title ar, title en, text ar, text en)
CANNED = [
    ("member-services", None, "استلام الطلب", "Request received",
     "تسلمنا طلبك وهو قيد المراجعة، وسنبلغك بأي مستجد.", "We received your request and are reviewing it."),
    ("member-services", "MEM-06", "الشهادة جاهزة", "Certificate ready",
     "شهادتك جاهزة، ويمكنك تنزيلها من صفحة الطلب أو استلامها من مقر الجمعية.",
     "Your certificate is ready: download it from the request page or collect it at the headquarters."),
    ("member-services", "MEM-02", "إيصال التحويل", "Transfer receipt",
     "نرجو إرفاق إيصال التحويل البنكي بقيمة الأسهم المطلوبة.", "Please attach the bank transfer receipt."),
    ("customer-care", None, "شكرًا لتواصلك", "Thank you",
     "شكرًا لتواصلك مع الجمعية، نعمل على طلبك وسنوافيك بالنتيجة قريبًا.",
     "Thank you for contacting the cooperative; we are working on it."),
    ("extension", "FRM-03", "موعد الزيارة", "Visit date",
     "حددنا موعد الزيارة الإرشادية، وسيتواصل معك المرشد الزراعي قبلها بيوم.",
     "The extension visit is booked; the officer will call you the day before."),
    ("extension", None, "المخزون", "Stock",
     "نتحقق من توفر الكمية المطلوبة في المخزون، وسنبلغك خلال يومي عمل.",
     "We are checking the stock and will tell you within two working days."),
]  # fmt: skip


def _second_staff() -> User:
    username, email, phone, first, last = SECOND_STAFF
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": email, "phone": phone, "phone_verified": True, "first_name": first, "last_name": last},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=Role.STAFF)[0])
    for department in Department.objects.filter(code__in=SECOND_STAFF_DEPARTMENTS):
        DepartmentMembership.objects.get_or_create(department=department, user=user)
    return user


def _canned_replies() -> int:
    departments = {department.code: department for department in Department.objects.all()}
    types = {request_type.code: request_type for request_type in RequestType.objects.all()}
    made = 0
    for order, (department_code, type_code, title_ar, title_en, text_ar, text_en) in enumerate(CANNED):
        department = departments.get(department_code)
        if department is None or (type_code and type_code not in types):
            continue
        _reply, created = CannedReply.objects.get_or_create(
            department=department,
            request_type=types.get(type_code) if type_code else None,
            title_ar=title_ar,
            defaults={"title_en": title_en, "text_ar": text_ar, "text_en": text_en, "order": order},
        )
        made += created
    return made


def _assign_work(people: list[User], rng: random.Random) -> int:
    """Give the demo staff some open work (under review, in progress), leaving new requests for "take it"."""
    if TimelineEvent.objects.filter(kind=TimelineEvent.Kind.ASSIGNED).exists():
        return 0
    now = timezone.now()
    today = sla.today()
    assigned, events = [], []
    for person in people:
        departments = list(person.department_memberships.values_list("department_id", flat=True))
        candidates = list(
            ServiceRequest.objects.filter(
                department_id__in=departments,
                assignee__isnull=True,
                status__in=[Status.UNDER_REVIEW, Status.IN_PROGRESS, Status.RETURNED_TO_MEMBER],
            ).order_by("due_date", "pk")[:12]
        )
        for index, service_request in enumerate(candidates):
            service_request.assignee = person
            service_request.version += 1
            # A demo day: one due today, one on the next working day (a reminder), two late.
            if index == 0:
                service_request.due_date = today
            elif index == 1:
                service_request.due_date = sla.next_working_day(today)
            elif index in (2, 3) and service_request.status != Status.RETURNED_TO_MEMBER:
                service_request.due_date = today - datetime.timedelta(days=rng.randint(2, 6))
            assigned.append(service_request)
            events.append(
                TimelineEvent(
                    service_request=service_request,
                    kind=TimelineEvent.Kind.ASSIGNED,
                    actor=person,
                    note=f"أُسند إلى {person.get_full_name()}",
                    visible_to_member=False,
                )
            )
    ServiceRequest.objects.bulk_update(assigned, ["assignee", "version", "due_date"], batch_size=200)
    TimelineEvent.objects.bulk_create(events, batch_size=500)
    # A few new requests waited more than a working day without anyone taking them: supervisors are told.
    old_unassigned = ServiceRequest.objects.filter(status=Status.SUBMITTED, assignee__isnull=True).order_by("pk")[:3]
    for service_request in old_unassigned:
        ServiceRequest.objects.filter(pk=service_request.pk).update(
            submitted_at=now - datetime.timedelta(days=4), due_date=today + datetime.timedelta(days=1)
        )
    return len(assigned)


def seed(stdout) -> list[tuple[str, str, str]]:
    rng = random.Random(1449)  # noqa: S311 (repeatable demo data)
    second = _second_staff()
    replies = _canned_replies()
    people = [user for user in [User.objects.filter(username="staff").first(), second] if user]
    assigned = _assign_work(people, rng)
    counts = escalation.escalate()
    stdout.write(
        f"  staff queue: {assigned} requests assigned, {replies} ready replies, "
        f"escalation notices today: {sum(counts.values())}"
    )
    return [("staff (second, for take-it races)", SECOND_STAFF[1], DEMO_PASSWORD)]
