"""Demo service requests: several hundred across services and statuses, with their history and some receipts.

The history is written in bulk (not through the workflow services, which would take minutes and send
messages for events that never happened); every path it writes follows the transition table. Receipts
are rendered for a few dozen requests only, to keep `load_demo` quick: the demo member's requests and
some others. New requests made in the demo go through the real services, receipts included.
"""

import datetime
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from members.models import Member, User
from members.roles import Role
from members.validators import national_id_check_digit
from members_portal.pdf import html_to_pdf
from requests_app import calendar, receipts
from requests_app.models import (
    Attachment,
    Department,
    DepartmentMembership,
    Receipt,
    ReferenceCounter,
    RequestField,
    RequestType,
    ServiceRequest,
    TimelineEvent,
)

Status = ServiceRequest.Status
# Requests the demo's staff took and closed (or sent to the board): they carry the assignee who did the work.
CLOSED_BY_STAFF = {Status.COMPLETED, Status.REJECTED, Status.PENDING_BOARD_DECISION}
DEMO_MEMBER_NO = "10001"  # the "member (activated)" login of members.demo
RECEIPTS_TO_RENDER = 40
STAFF_DEPARTMENTS = {"staff": ["member-services", "customer-care", "extension", "marketing"], "staff2": []}

TEXTS = {
    "long_text": [
        "ظهرت بقع بنية على أوراق بعض الأشجار بعد موجة الحر الأخيرة.",
        "أرغب في معرفة موعد صرف العائد على المعاملات لهذا العام.",
        "أقترح تنظيم يوم مفتوح لتذوق البن في مركز هدادة.",
        "تأخر وصول شبكة الري بالتنقيط التي طلبتها الشهر الماضي.",
        "نحتاج إرشادًا في تقليم الأشجار الكبيرة بعد الحصاد.",
    ],
    "text": ["مزرعة الوادي", "هدادة", "دفعة 1448-17", "خولاني", "الموسم الشتوي", "أحمد بن صالح"],
}
MISSING = ["صورة واضحة من صك الملكية", "إيصال التحويل البنكي بالمبلغ الصحيح", "شهادة الآيبان باسم العضو"]
OUTCOMES = [
    "تم التنفيذ، ويمكنك الاستلام من مقر الجمعية في أوقات الدوام.",
    "زارك المرشد الزراعي وأرفق تقرير التوصيات.",
    "خُصصت لك الشتلات وستُسلّم الأسبوع القادم.",
    "أجبنا عن استفسارك: يُصرف العائد بعد اعتماد الجمعية العمومية.",
]
REJECTIONS = [
    "الطلب لا يستوفي شرط الحد الأدنى من الأسهم.",
    "لا يتوفر مخزون من الشتلات حاليًا، ويمكنك الطلب في الموسم القادم.",
]


def _answers(
    request_type: RequestType, rng: random.Random, *, submitted: datetime.date, register: list[Member], member: Member
) -> list[dict]:
    """The form as the member filled it: dates before the day they submitted it; a share transfer names a
    member of the register (their national ID and name) as the transferee; heirs asking for a refund name no heir."""
    transferee = rng.choice([other for other in register if other.pk != member.pk] or register)
    snapshot = []
    for field in request_type.fields.all():
        if not field.active:
            continue
        kind = RequestField.FieldType
        value, display_ar, display_en = "", "", ""
        if field.field_type in {kind.NUMBER, kind.WHOLE_NUMBER}:
            value = display_ar = display_en = str(rng.choice([2, 5, 10, 25, 40, 120, 300, 1447]))
        elif field.field_type == kind.DATE:
            value = display_ar = display_en = (submitted - datetime.timedelta(days=rng.randint(1, 60))).isoformat()
        elif field.field_type == kind.CHOICE and field.choice_options():
            value, display_ar, display_en = rng.choice(field.choice_options())
        elif field.field_type == kind.YES_NO:
            yes = rng.random() < 0.6
            value, display_ar, display_en = ("yes", "نعم", "Yes") if yes else ("no", "لا", "No")
        elif field.field_type == kind.LONG_TEXT:
            value = display_ar = display_en = rng.choice(TEXTS["long_text"])
        elif field.field_type == kind.IBAN:
            value = display_ar = display_en = "SA0380000000608010167519"
        elif field.key == "transferee_id":
            value = display_ar = display_en = transferee.national_id
        elif field.key == "transferee_name":
            value = display_ar = display_en = transferee.full_name_ar
        elif field.key == "heir_id" and any(row["value"] == "refund" for row in snapshot):
            pass  # the heirs asked for a refund: no substitute heir is named
        elif field.field_type == kind.NATIONAL_ID:
            first_nine = f"1{rng.randint(0, 99_999_999):08d}"
            value = display_ar = display_en = first_nine + national_id_check_digit(first_nine)
        elif field.field_type == kind.MOBILE:
            value = display_ar = display_en = f"+96650{rng.randint(0, 9_999_999):07d}"
        elif field.field_type == kind.TEXT:
            value = display_ar = display_en = rng.choice(TEXTS["text"])
        snapshot.append(
            {
                "key": field.key,
                "label_ar": field.label_ar,
                "label_en": field.label_en or field.label_ar,
                "type": field.field_type,
                "value": value,
                "display_ar": display_ar,
                "display_en": display_en,
            }
        )
    return snapshot


def _path(target: Status, request_type: RequestType, rng: random.Random) -> list[Status]:
    """A route through the transition table from submitted to the target status."""
    to_review = [Status.UNDER_REVIEW]
    if target != Status.RETURNED_TO_MEMBER and rng.random() < 0.2:
        to_review += [Status.RETURNED_TO_MEMBER, Status.UNDER_REVIEW]  # returned once, then completed by the member
    routes = {
        Status.SUBMITTED: [],
        Status.UNDER_REVIEW: to_review,
        Status.RETURNED_TO_MEMBER: [Status.UNDER_REVIEW, Status.RETURNED_TO_MEMBER],
        Status.IN_PROGRESS: [*to_review, Status.IN_PROGRESS],
        Status.PENDING_BOARD_DECISION: [*to_review, Status.IN_PROGRESS, Status.PENDING_BOARD_DECISION],
        Status.COMPLETED: [*to_review, Status.IN_PROGRESS, Status.COMPLETED],
        Status.REJECTED: [*to_review, Status.REJECTED],
        Status.CANCELLED: [Status.CANCELLED],
    }
    route = routes[target]
    if request_type.needs_board_decision and target in {Status.COMPLETED, Status.REJECTED}:
        route = [*to_review, Status.IN_PROGRESS, Status.PENDING_BOARD_DECISION, target]
    return route


def _target(age_days: int, request_type: RequestType, rng: random.Random) -> Status:
    if age_days > 40:
        weights = {Status.COMPLETED: 70, Status.REJECTED: 12, Status.CANCELLED: 8, Status.IN_PROGRESS: 5}
    elif age_days > 10:
        weights = {Status.COMPLETED: 35, Status.IN_PROGRESS: 20, Status.UNDER_REVIEW: 15, Status.RETURNED_TO_MEMBER: 12}
        weights |= {Status.REJECTED: 8, Status.CANCELLED: 5}
    else:
        weights = {Status.SUBMITTED: 35, Status.UNDER_REVIEW: 30, Status.RETURNED_TO_MEMBER: 10, Status.IN_PROGRESS: 20}
        weights |= {Status.CANCELLED: 5}
    if request_type.needs_board_decision and age_days > 5:
        weights[Status.PENDING_BOARD_DECISION] = 15
    statuses, chances = zip(*weights.items(), strict=True)
    return rng.choices(statuses, chances)[0]


def _staff_in_departments() -> dict[int, User]:
    """The demo staff join departments (supervisor in all); returns who acts for each department."""
    actors = {}
    supervisor = User.objects.filter(username="supervisor").first()
    staff = User.objects.filter(username="staff").first()
    for department in Department.objects.all():
        if supervisor:
            DepartmentMembership.objects.get_or_create(
                department=department, user=supervisor, defaults={"is_supervisor": True}
            )
            actors[department.pk] = supervisor
        if staff and department.code in STAFF_DEPARTMENTS["staff"]:
            DepartmentMembership.objects.get_or_create(department=department, user=staff)
            actors[department.pk] = staff
    return actors


def _demo_document() -> bytes:
    return html_to_pdf(
        '<html lang="ar" dir="rtl"><body style="font-family: sans-serif"><h1>مستند تجريبي</h1>'
        "<p>صورة مستند مرفوعة في بيانات العرض.</p></body></html>"
    )


def seed(stdout) -> list[tuple[str, str, str]]:
    rng = random.Random(1448)  # noqa: S311 (repeatable demo data)
    actors = _staff_in_departments()
    if ServiceRequest.objects.filter(member__membership_no=DEMO_MEMBER_NO).exists():
        stdout.write(f"  requests: {ServiceRequest.objects.count()} (already seeded)")
        return []
    board = User.objects.filter(groups__name=Role.BOARD).first()
    types = list(
        RequestType.objects.active()
        .exclude(kind=RequestType.Kind.MEMBERSHIP_APPLICATION)
        .prefetch_related("fields", "documents")
    )
    members = list(Member.objects.exclude(status=Member.Status.APPLICANT).order_by("membership_no"))
    document_pdf = _demo_document()
    # The random draws come in this order (plan, requests, histories, receipts), so the demo is the same each time.
    plan = _plan(members, types, rng)
    counters: dict[int, int] = {
        year: value for year, value in ReferenceCounter.objects.values_list("year", "last_value")
    }
    requests, histories = _requests(plan, members, actors, counters, rng)
    ServiceRequest.objects.bulk_create(requests, batch_size=500)
    history = _History(rng, board)
    for service_request, route in zip(requests, histories, strict=True):
        history.walk(service_request, route, actors.get(service_request.department_id))
        history.attach_document(service_request, document_pdf)
    history.save(requests)
    for year, value in counters.items():
        ReferenceCounter.objects.update_or_create(year=year, defaults={"last_value": value})

    _render_some_receipts(requests, rng)
    stdout.write(
        f"  requests: {len(requests)} across {len(types)} services, "
        f"{Receipt.objects.count()} receipts rendered (only for a few dozen, to keep the demo quick)"
    )
    return []


def _plan(
    members: list[Member], types: list[RequestType], rng: random.Random
) -> list[tuple[Member, RequestType, int, Status]]:
    """Who asks for what, how many days ago, and where the request stands now; oldest first."""
    demo_member = next((member for member in members if member.membership_no == DEMO_MEMBER_NO), None)
    # Governance requests (a proxy, an appeal against a board decision) are rare beside everyday services: a year's
    # appeals fill a few agenda items of the General Assembly, not dozens.
    weights = [0.08 if request_type.code.startswith("GOV-") else 1.0 for request_type in types]
    plan: list[tuple[Member, RequestType, int, Status]] = []
    for member in members:
        for _ in range(rng.choice([1, 2, 2, 3, 4])):
            request_type = rng.choices(types, weights=weights)[0]
            # Most requests spread over the past year (the board's twelve months), a third of them recent (the queue).
            age = min(int(rng.expovariate(1 / 20)), 60) if rng.random() < 0.35 else rng.randint(0, 364)
            plan.append((member, request_type, age, _target(age, request_type, rng)))
    if demo_member:
        # The demo member sees every situation: new, under review, waiting on them, in progress, done, refused.
        by_code = {request_type.code: request_type for request_type in types}
        for code, age, status in [
            ("FRM-01", 30, Status.RETURNED_TO_MEMBER),
            ("FRM-03", 2, Status.UNDER_REVIEW),
            ("MKT-01", 1, Status.SUBMITTED),
            ("MEM-06", 60, Status.COMPLETED),
            ("CNT-03", 20, Status.COMPLETED),
            ("FRM-02", 12, Status.IN_PROGRESS),
            ("MEM-02", 90, Status.REJECTED),
            ("CNT-02", 45, Status.CANCELLED),
        ]:
            if code in by_code:
                plan.append((demo_member, by_code[code], age, status))
    plan.sort(key=lambda row: -row[2])  # oldest first, so reference numbers rise with time
    return plan


def _requests(
    plan: list[tuple[Member, RequestType, int, Status]],
    members: list[Member],
    actors: dict[int, User],
    counters: dict[int, int],
    rng: random.Random,
) -> tuple[list[ServiceRequest], list[list[Status]]]:
    """The requests of the plan (not saved), each with the route of statuses it went through; `counters` (the
    reference numbers per year) moves on."""
    now = timezone.now()
    requests, histories = [], []
    for member, request_type, age, target in plan:
        submitted_at = now - datetime.timedelta(days=age, hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
        year = timezone.localdate(submitted_at).year
        counters[year] = counters.get(year, 0) + 1
        route = _path(target, request_type, rng)
        service_request = ServiceRequest(
            reference_no=f"NJC-{year}-{counters[year]:06d}",
            member=member,
            request_type=request_type,
            department_id=request_type.department_id,
            status=target,
            answers=_answers(
                request_type, rng, submitted=timezone.localdate(submitted_at), register=members, member=member
            ),
            channel="portal" if member.user_id else rng.choice(["phone", "walk_in", "field_visit"]),
            submitted_by_id=member.user_id or getattr(actors.get(request_type.department_id), "pk", None),
            submitted_at=submitted_at,
            due_date=calendar.add_working_days(timezone.localdate(submitted_at), request_type.sla_days),
            version=len(route) + 1,
        )
        requests.append(service_request)
        histories.append(route)
    return requests, histories


class _History:
    """The timelines and documents of the demo requests, gathered to be written in bulk with their own dates."""

    def __init__(self, rng: random.Random, board: User | None) -> None:
        self.rng, self.board = rng, board
        self.events: list[TimelineEvent] = []
        self.times: list[datetime.datetime] = []
        self.attachments: list[Attachment] = []

    def _add(self, event: TimelineEvent, moment: datetime.datetime) -> None:
        self.events.append(event)
        self.times.append(moment)

    def walk(self, service_request: ServiceRequest, route: list[Status], staff: User | None) -> None:
        """The request's way along its route: who moved it, when, with what note."""
        rng = self.rng
        moment = service_request.submitted_at
        self._add(TimelineEvent(service_request=service_request, kind="status_changed", to_status=Status.SUBMITTED,
                                actor_id=service_request.submitted_by_id), moment)  # fmt: skip
        current = Status.SUBMITTED
        for step in route:
            moment = min(moment + datetime.timedelta(hours=rng.randint(3, 60)), timezone.now())
            actor, note = self._actor_and_note(service_request, current, step, staff, moment)
            self._add(TimelineEvent(service_request=service_request, kind="status_changed", from_status=current,
                                    to_status=step, actor=actor, note=note), moment)  # fmt: skip
            if step in {Status.COMPLETED, Status.REJECTED}:
                service_request.outcome = note
            if step in ServiceRequest.CLOSED_STATUSES:
                service_request.closed_at = moment
            taken = step == Status.UNDER_REVIEW and current == Status.SUBMITTED
            if taken and staff and service_request.status in CLOSED_BY_STAFF:
                # The staff member who takes the request is named on its timeline and does the work after.
                service_request.assignee = staff
                taken_note = f"أُسند إلى {staff.get_full_name()}"
                self._add(
                    TimelineEvent(
                        service_request=service_request,
                        kind="assigned",
                        actor=staff,
                        note=taken_note,
                        visible_to_member=False,
                    ),
                    moment,
                )
            current = step
            if step == Status.UNDER_REVIEW and rng.random() < 0.25 and staff:
                moment = min(moment + datetime.timedelta(hours=1), timezone.now())  # never in the future
                self._add(TimelineEvent(service_request=service_request, kind="reply", actor=staff,
                                        note="نراجع طلبك، وسنوافيك بالنتيجة قريبًا."), moment)  # fmt: skip

    def _actor_and_note(
        self,
        service_request: ServiceRequest,
        current: Status,
        step: Status,
        staff: User | None,
        moment: datetime.datetime,
    ) -> tuple[User | None, str]:
        rng = self.rng
        actor, note = staff, ""
        if step == Status.RETURNED_TO_MEMBER:
            note = rng.choice(MISSING)
            service_request.missing_items, service_request.paused_at = note, moment
        elif current == Status.RETURNED_TO_MEMBER:
            actor, note = service_request.member.user, "أرفقت المطلوب."
            service_request.missing_items, service_request.paused_at = "", None
        elif step == Status.COMPLETED:
            note = rng.choice(OUTCOMES)
            actor = self.board if current == Status.PENDING_BOARD_DECISION else staff
        elif step == Status.REJECTED:
            note = rng.choice(REJECTIONS)
            actor = self.board if current == Status.PENDING_BOARD_DECISION else staff
        elif step == Status.CANCELLED:
            actor = service_request.member.user
        return actor, note

    def attach_document(self, service_request: ServiceRequest, document_pdf: bytes) -> None:
        """A scanned document on the demo member's requests and a quarter of the others that ask for one."""
        if service_request.request_type.documents.all() and (
            service_request.member.membership_no == DEMO_MEMBER_NO or self.rng.random() < 0.25
        ):
            document = service_request.request_type.documents.all()[0]
            attachment = Attachment(service_request=service_request, document=document, content_type="application/pdf",
                                    size=len(document_pdf), original_name="مستند.pdf",
                                    uploaded_by_id=service_request.member.user_id)  # fmt: skip
            attachment.file.save("demo.pdf", ContentFile(document_pdf), save=False)
            self.attachments.append(attachment)

    def save(self, requests: list[ServiceRequest]) -> None:
        TimelineEvent.objects.bulk_create(self.events, batch_size=1000)
        for event, moment in zip(self.events, self.times, strict=True):
            event.created_at = moment  # bulk_create stamped "now"; the demo history has its own dates
        TimelineEvent.objects.bulk_update(self.events, ["created_at"], batch_size=1000)
        ServiceRequest.objects.bulk_update(
            requests, ["missing_items", "paused_at", "outcome", "closed_at", "assignee"], batch_size=500
        )
        Attachment.objects.bulk_create(self.attachments, batch_size=500)


def _render_some_receipts(requests: list[ServiceRequest], rng: random.Random) -> None:
    chosen = [sr for sr in requests if sr.member.membership_no == DEMO_MEMBER_NO]
    others = [sr for sr in requests if sr.member.membership_no != DEMO_MEMBER_NO]
    chosen += rng.sample(others, min(len(others), RECEIPTS_TO_RENDER - len(chosen)))
    for service_request in chosen:
        receipts.issue_receipt(service_request_id=service_request.pk, kind=Receipt.Kind.SUBMITTED)
        if service_request.status == Status.COMPLETED:
            receipts.issue_receipt(service_request_id=service_request.pk, kind=Receipt.Kind.COMPLETED)
