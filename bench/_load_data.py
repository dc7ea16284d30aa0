"""The load test's work inside the portal's database (bench/load.py runs each in the cluster's Python, with Django set
up): GENERATE fills the data once, SINCE marks where the run's notifications start, AFTER counts what the run left.

Not a benchmark itself (make bench runs every bench/*.py but the `_` helpers).
"""

GENERATE = r"""
import datetime, json, random, uuid
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from members.models import Member, User
from members.roles import Role
TARGET_REQUESTS, TARGET_MEMBERS, PASSWORD = {target}, {members}, {password!r}
rng = random.Random(2026)
call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))
hashed = make_password(PASSWORD)  # one hash for every load account: hashing is the slow part
member_group = Group.objects.get_or_create(name=Role.MEMBER.value)[0]
staff_group = Group.objects.get_or_create(name=Role.STAFF.value)[0]
out = {{"members": [], "staff": [], "codes": []}}
# Members: the first 40 have accounts that the simulated members sign in with.
have = Member.objects.filter(national_id__startswith="18").count()
if have < TARGET_MEMBERS:
    users = []
    for n in range(have, min(40, TARGET_MEMBERS)):
        users.append(User(username=f"load.member{{n}}", email=f"load.member{{n}}@najran-coffee.example",
                          phone=f"+9665001{{n:05d}}", phone_verified=True, password=hashed))
    User.objects.bulk_create(users, ignore_conflicts=True)
    accounts = {{u.username: u for u in User.objects.filter(username__startswith="load.member")}}
    governorates = ["najran", "sharurah", "hubuna", "badr_al_janoub", "yadamah", "thar", "khubash"]
    batch = []
    for n in range(have, TARGET_MEMBERS):
        batch.append(Member(user=accounts.get(f"load.member{{n}}"), national_id=f"18{{n:08d}}",
                            membership_no=f"L-{{n:06d}}", full_name_ar=f"عضو الحمل {{n}}",
                            name_search=f"عضو الحمل {{n}}", mobile=f"+9665{{n + 30000000:08d}}",
                            governorate=governorates[n % 7], status="active", sms_consent=True))
        if len(batch) == 5000:
            Member.objects.bulk_create(batch); batch = []
    Member.objects.bulk_create(batch)
    for user in accounts.values():
        user.groups.add(member_group)
accounts = User.objects.filter(username__startswith="load.member", member__isnull=False).order_by("pk")
out["members"] = list(accounts.values_list("email", flat=True))
try:
    from requests_app.models import DepartmentMembership, ReferenceCounter, RequestType, ServiceRequest
except ImportError:
    print(json.dumps(out)); raise SystemExit
types = [t for t in RequestType.objects.filter(active=True).order_by("pk") if not t.needs_board_decision]
out["codes"] = [t.code for t in types]
for department_id in sorted({{t.department_id for t in types}})[:4]:
    n = department_id
    staff, created = User.objects.get_or_create(username=f"load.staff{{n}}", defaults={{
        "email": f"load.staff{{n}}@najran-coffee.example", "phone": f"+9665002{{n:05d}}", "password": hashed}})
    User.objects.filter(pk=staff.pk).update(phone_verified=True, password=hashed)
    staff.groups.add(staff_group)
    if not staff.authenticator_set.exists():  # staff sign in with a second factor
        TOTP.activate(staff, {staff_totp_secret!r})
    DepartmentMembership.objects.get_or_create(department_id=department_id, user=staff)
    out["staff"].append(staff.email)
have = ServiceRequest.objects.filter(reference_no__startswith="NJC-2025-").count()
if have < TARGET_REQUESTS:
    members = Member.objects.filter(national_id__startswith="18").order_by("national_id")
    members = list(members.values_list("pk", flat=True))
    statuses = ["completed"] * 80 + ["rejected"] * 3 + ["cancelled"] * 2 + ["submitted"] * 6 + ["under_review"] * 4 \
        + ["in_progress"] * 4 + ["returned_to_member"]
    start = timezone.now() - datetime.timedelta(days=365)
    batch = []
    for n in range(have, TARGET_REQUESTS):
        request_type = types[n % len(types)]
        submitted = start + datetime.timedelta(minutes=5 * n)
        status = rng.choice(statuses)
        closed = status in {{"completed", "rejected", "cancelled"}}
        # The first 40 members (the signed-in ones) get a few requests each; the rest spread over everyone.
        member_id = members[n % 40] if n % 50 == 0 else members[n % len(members)]
        batch.append(ServiceRequest(
            reference_no=f"NJC-2025-{{n + 1:06d}}", member_id=member_id, request_type_id=request_type.pk,
            department_id=request_type.department_id, status=status,
            answers=[{{"key": "note", "label_ar": "ملاحظات", "label_en": "Notes", "value": "بيانات الحمل",
                      "display": "بيانات الحمل"}}],
            submitted_at=submitted, due_date=(submitted + datetime.timedelta(days=10)).date(),
            closed_at=submitted + datetime.timedelta(days=6) if closed else None,
            outcome="تم" if status == "completed" else "",
            paused_at=submitted if status == "returned_to_member" else None))
        if len(batch) == 5000:
            ServiceRequest.objects.bulk_create(batch); batch = []
    ServiceRequest.objects.bulk_create(batch)
    ReferenceCounter.objects.update_or_create(year=2025, defaults={{"last_value": TARGET_REQUESTS}})
out["requests"] = ServiceRequest.objects.count()
print(json.dumps(out))
"""

SINCE = r"""
import json
from members.models import Notification
# Rows made from now on, and rows still waiting now (e.g. the demo's, queued while no worker ran): all must be sent.
last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
waiting = list(Notification.objects.exclude(status="sent").values_list("pk", flat=True))
print(json.dumps({"last": last, "waiting": waiting}))
"""

AFTER = r"""
import json
from django.db.models import Count
from members.models import Notification
from requests_app.models import ServiceRequest
refs = {refs!r}
from django.db.models import Q
rows = Notification.objects.filter(Q(pk__gt={since[last]}) | Q(pk__in={since[waiting]}))
print(json.dumps({{
    "found": ServiceRequest.objects.filter(reference_no__in=refs).count(),
    "by_status": {{r["status"]: r["n"] for r in rows.values("status").annotate(n=Count("pk"))}},
    "sms": [[str(mobile), body]
            for mobile, body in rows.filter(channel="sms", status="sent").values_list("member__mobile", "body")],
    "email": list(rows.filter(channel="email", status="sent").values_list("member__email", flat=True)),
}}))
"""
