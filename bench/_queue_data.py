"""The staff queue benchmark's data: departments, services, staff, members, requests and their timelines.

Generated in the database by set-based SQL (INSERT … SELECT generate_series), then VACUUM ANALYZE: about 40 s
for 100,000 requests (and 350,000 timeline events), under 10 minutes for 1,000,000 on a 2-core machine.
QUEUE_REQUESTS sets the size (100,000 by default), QUEUE_MEMBERS the members (a fifth of the requests).
Requests spread over 10 departments (2 services each) with 5 staff and a supervisor per department; about
45 % are open and recent, the others closed over 400 days. Reference numbers count per year, as the portal's.
"""

import os
import time

from bench._common import log

REQUESTS = int(os.environ.get("QUEUE_REQUESTS", "100000"))
MEMBERS = int(os.environ.get("QUEUE_MEMBERS", str(max(REQUESTS // 5, 1000))))
# One database per size, kept between runs (bench/staff_queue.py and bench/http.py share it).
DATABASE_URL = os.environ.get("BENCH_QUEUE_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/bench_queue_{REQUESTS}")
STAFF_PASSWORD = "Qahwa-Najran-2026"
DEPARTMENTS = 10
STAFF_PER_DEPARTMENT = 5

FIRST_NAMES = ["محمد", "أحمد", "علي", "سعيد", "حسين", "صالح", "مهدي", "ناصر", "حمد", "فهد",
               "منصور", "يحيى", "هادي", "جابر", "مسفر", "عبدالله", "حسن", "سالم", "ماجد", "إبراهيم"]  # fmt: skip
FAMILIES = ["آل مريح", "آل يام", "آل حارث", "آل منصور", "آل سالم", "آل عباس", "آل هتيلة", "آل قريع",
            "آل زمانان", "آل فطيح", "آل جعفر", "آل مستنير", "آل شعيب", "آل سدران", "آل مكرم"]  # fmt: skip

MEMBERS_SQL = """
INSERT INTO members_member (membership_no, national_id, full_name_ar, full_name_en, name_search, mobile, email,
    governorate, village, coffee_trees, farm_area_dunum, shares, status, language, sms_consent, email_consent,
    surveys_opt_out, created_at, updated_at)
SELECT (700000 + i)::text, '17' || lpad(i::text, 8, '0'),
    (%(first)s::text[])[1 + i %% 20] || ' ' || (%(first)s::text[])[1 + (i / 20) %% 20] || ' '
        || (%(family)s::text[])[1 + (i / 400) %% 15],
    '',
    (%(first_n)s::text[])[1 + i %% 20] || ' ' || (%(first_n)s::text[])[1 + (i / 20) %% 20] || ' '
        || (%(family_n)s::text[])[1 + (i / 400) %% 15],
    '+9665' || lpad((80000000 + i)::text, 8, '0'), '',
    (ARRAY['najran','sharurah','hubuna','badr_al_janoub','yadamah','thar','khubash'])[1 + (i %% 7)],
    '', 100, 1, 10, 'active', 'ar', false, false, false, now(), now()
FROM generate_series(1, %(count)s) AS i
"""

# Open requests are recent (last 30 days, due 5-15 days after submission, so some are late); closed ones
# spread over 400 days. About 45 % open. Most non-new requests have an assignee.
REQUESTS_SQL = """
WITH numbered AS (
    SELECT i, (i %% 10) AS d, ((i * 31) %% 100) AS bucket FROM generate_series(1, %(count)s) AS i
), shaped AS (
    SELECT i, d,
        CASE WHEN bucket < 12 THEN 'submitted' WHEN bucket < 25 THEN 'under_review'
             WHEN bucket < 29 THEN 'returned_to_member' WHEN bucket < 41 THEN 'in_progress'
             WHEN bucket < 45 THEN 'pending_board_decision' WHEN bucket < 85 THEN 'completed'
             WHEN bucket < 93 THEN 'rejected' ELSE 'cancelled' END AS status
    FROM numbered
), timed AS (
    SELECT i, d, status,
        CASE WHEN status IN ('completed', 'rejected', 'cancelled')
             THEN now() - make_interval(days => 31 + (i * 17) %% 370, mins => (i * 13) %% 600)
             ELSE now() - make_interval(days => (i * 17) %% 30, mins => (i * 13) %% 600) END AS submitted_at
    FROM shaped
), numbered_in_year AS (
    SELECT *, row_number() OVER (PARTITION BY extract(year FROM submitted_at) ORDER BY i) AS n FROM timed
)
INSERT INTO requests_app_servicerequest (reference_no, status, answers, channel, submitted_at, due_date, outcome,
    missing_items, paused_at, paused_working_days, closed_at, submission_token, version, created_at, updated_at,
    assignee_id, department_id, member_id, request_type_id, submitted_by_id)
SELECT 'NJC-' || extract(year FROM submitted_at)::int || '-' || lpad(n::text, 6, '0'), status,
    ('[{"key": "note", "label_ar": "ملاحظة", "label_en": "Note", "value": "طلب قياس", '
     '"display_ar": "طلب قياس", "display_en": "Benchmark request"}]')::jsonb,
    (ARRAY['portal','portal','portal','phone','walk_in','field_visit'])[1 + i %% 6],
    submitted_at, (submitted_at + make_interval(days => 5 + i %% 11))::date,
    CASE WHEN status IN ('completed', 'rejected') THEN 'تم' ELSE '' END,
    CASE WHEN status = 'returned_to_member' THEN 'صورة الصك' ELSE '' END,
    CASE WHEN status = 'returned_to_member' THEN submitted_at + interval '1 day' END, 0,
    CASE WHEN status IN ('completed', 'rejected', 'cancelled') THEN submitted_at + interval '6 days' END,
    NULL, 3, submitted_at, submitted_at,
    CASE WHEN status = 'submitted' OR i %% 7 = 0 THEN NULL
         ELSE (%(staff)s::bigint[])[1 + d * %(per)s + i %% %(per)s] END,
    (%(departments)s::bigint[])[1 + d], 1 + ((i::bigint * 7919) %% %(members)s)::int + %(member_offset)s,
    (%(types)s::bigint[])[1 + d * 2 + (i / 10) %% 2], NULL
FROM numbered_in_year
"""

TIMELINE_SQL = """
INSERT INTO requests_app_timelineevent (kind, from_status, to_status, note, visible_to_member, created_at, actor_id,
    service_request_id)
SELECT 'status_changed', '', 'submitted', '', true, r.submitted_at, NULL, r.id
FROM requests_app_servicerequest r WHERE r.department_id = ANY(%(departments)s::bigint[])
UNION ALL
SELECT 'status_changed', 'submitted', 'under_review', '', true, r.submitted_at + interval '2 hours', r.assignee_id, r.id
FROM requests_app_servicerequest r WHERE r.department_id = ANY(%(departments)s::bigint[]) AND r.status <> 'submitted'
UNION ALL
SELECT 'reply', '', '', 'نعمل على طلبك، وسنبلغك بالنتيجة.', true, r.submitted_at + interval '3 hours',
    r.assignee_id, r.id
FROM requests_app_servicerequest r WHERE r.department_id = ANY(%(departments)s::bigint[]) AND r.id %% 2 = 0
UNION ALL
SELECT 'status_changed', 'under_review', r.status, '', true, r.submitted_at + interval '1 day', r.assignee_id, r.id
FROM requests_app_servicerequest r WHERE r.department_id = ANY(%(departments)s::bigint[])
    AND r.status NOT IN ('submitted', 'under_review')
"""


def populate() -> dict:
    """Create the departments, services, staff, members, requests and timelines, unless they exist."""
    from django.db import connection, transaction

    from requests_app.models import Department, ServiceRequest

    departments = list(Department.objects.filter(code__startswith="bench-q-").order_by("code"))
    if len(departments) == DEPARTMENTS:
        existing = ServiceRequest.objects.filter(department__in=departments).count()
        if existing >= REQUESTS:
            log(f"data already there: {existing} requests")
            return {"departments": departments}
        raise SystemExit(f"the database holds {existing} bench requests, not {REQUESTS}: give each size its own")
    log(f"generating {REQUESTS} requests (once; kept between runs)")
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute("SET LOCAL maintenance_work_mem TO '256MB'")
        departments, types, staff = make_departments()
        insert_rows(departments, types, staff)
    log(f"inserted in {time.perf_counter() - started:.1f} s; VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # index-only scans need the visibility map, the planner the statistics
    log(f"generated in {time.perf_counter() - started:.1f} s")
    return {"departments": departments}


def make_departments() -> tuple[list, list, list[int]]:
    """The departments, each with its two services, staff and supervisor: departments, services and staff ids."""
    from django.contrib.auth.models import Group

    from members.models import User
    from members.roles import Role
    from requests_app.models import Category, Department, DepartmentMembership, RequestType

    category, _ = Category.objects.get_or_create(code="bench-q", defaults={"name_ar": "قياس", "order": 99})
    departments, types, staff = [], [], []
    staff_group = Group.objects.get_or_create(name=Role.STAFF)[0]
    supervisor_group = Group.objects.get_or_create(name=Role.SUPERVISOR)[0]
    for d in range(DEPARTMENTS):
        department, _ = Department.objects.get_or_create(
            code=f"bench-q-{d}", defaults={"name_ar": f"إدارة القياس {d}", "name_en": f"Bench {d}"}
        )
        departments.append(department)
        for t in range(2):
            request_type, _ = RequestType.objects.get_or_create(
                code=f"BQ-{d}{t}",
                defaults={"category": category, "department": department, "name_ar": f"خدمة قياس {d}-{t}",
                          "name_en": f"Bench service {d}-{t}", "sla_days": 5 + t * 5},
            )  # fmt: skip
            types.append(request_type)
        for s in range(STAFF_PER_DEPARTMENT + 1):
            supervisor = s == STAFF_PER_DEPARTMENT
            user, created = User.objects.get_or_create(
                username=f"bench-q-{d}-{s}",
                defaults={"email": f"bench-q-{d}-{s}@example.org", "first_name": FIRST_NAMES[s],
                          "last_name": FAMILIES[d], "phone": f"+9665{70000000 + d * 100 + s}"},
            )  # fmt: skip
            if created:
                user.set_password(STAFF_PASSWORD)
                user.save(update_fields=["password"])
                user.groups.add(supervisor_group if supervisor else staff_group)
                DepartmentMembership.objects.create(department=department, user=user, is_supervisor=supervisor)
            if not supervisor:
                staff.append(user.pk)
    return departments, types, staff


def insert_rows(departments: list, types: list, staff: list[int]) -> None:
    """The members, requests and timelines by set-based SQL; the reference counters moved past their numbers."""
    from django.db import connection

    from members.models import Member
    from members_portal.arabic import normalise

    with connection.cursor() as cursor:
        cursor.execute(
            MEMBERS_SQL,
            {
                "first": FIRST_NAMES,
                "family": FAMILIES,
                "first_n": [normalise(name) for name in FIRST_NAMES],
                "family_n": [normalise(name) for name in FAMILIES],
                "count": MEMBERS,
            },
        )
        first_member = Member.objects.filter(membership_no="700001").values_list("pk", flat=True).get()
        cursor.execute(
            REQUESTS_SQL,
            {
                "count": REQUESTS,
                "staff": staff,
                "per": STAFF_PER_DEPARTMENT,
                "departments": [department.pk for department in departments],
                "types": [request_type.pk for request_type in types],
                "members": MEMBERS,
                "member_offset": first_member - 1,
            },
        )
        cursor.execute(TIMELINE_SQL, {"departments": [department.pk for department in departments]})
        # Future submissions must not collide with the generated numbers.
        cursor.execute(
            "INSERT INTO requests_app_referencecounter (year, last_value) "
            "SELECT substr(reference_no, 5, 4)::int, max(substr(reference_no, 10)::int) "
            "FROM requests_app_servicerequest GROUP BY 1 ON CONFLICT (year) DO UPDATE "
            "SET last_value = GREATEST(requests_app_referencecounter.last_value, EXCLUDED.last_value)"
        )


def sample_references(department, rng, count: int) -> list[str]:
    """`count` request numbers of the department, drawn from its first 5,000."""
    from requests_app.models import ServiceRequest

    numbers = ServiceRequest.objects.filter(department=department).values_list("reference_no", flat=True)[:5000]
    return rng.sample(list(numbers), count)


def sample_searches(department, rng, count: int) -> list[str]:
    """What staff type in the queue's search box: for each of `count` requests of the department, its number, its
    member's membership number, mobile (as a Saudi writes it, 05…) and the first two words of the Arabic name."""
    from requests_app.models import ServiceRequest

    rows = ServiceRequest.objects.filter(department=department).values_list(
        "reference_no", "member__membership_no", "member__mobile", "member__full_name_ar"
    )[:5000]
    searches = []
    for reference_no, membership_no, mobile, name in rng.sample(list(rows), count):
        searches += [reference_no, membership_no, "0" + str(mobile)[4:], " ".join(name.split()[:2])]
    return searches
