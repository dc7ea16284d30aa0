"""Shared set-up of the benchmarks: Django on a bench database of its own, a member and a service.

Not a benchmark itself (make bench runs every bench/*.py; this one only defines helpers when run).
"""

import os
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def setup_django(database_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "members_portal.settings.base")
    os.environ.setdefault("VAR_DIR", str(ROOT / "var" / var_dir))
    # The shared cache as in production (Redis): pages read their reference data from it (members_portal.reference).
    os.environ.setdefault("CACHE_URL", os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/12"))
    os.environ.pop("CELERY_TASK_ALWAYS_EAGER", None)  # the PDF must happen in the background, as in production
    os.environ["REQUEST_SUBMISSION_LIMITS"] = ""  # benchmarks submit as fast as they can: not the limit's business
    server, name = database_url.rsplit("/", 1)
    exists = subprocess.run(
        ["psql", "-qtAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'", f"{server}/postgres"],  # noqa: S608
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["psql", "-qc", f'CREATE DATABASE "{name}"', f"{server}/postgres"], check=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    import logging

    logging.disable(logging.WARNING)


def as_in_production() -> None:
    """Serve the in-process pages as production does: DEBUG off, so templates are compiled without their debug
    information and no query log is kept. Switched through Django's own settings signal, which also drops the
    template engine `migrate`'s checks built while DEBUG was on (kept, it rendered every page about a fifth
    slower than production)."""
    from django.conf import settings
    from django.test.utils import override_settings

    override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]).enable()


# The authenticator app's secret of every bench account that signs in with a second factor.
SECOND_FACTOR_SECRET = "BENCHSTAFFSECONDFACTORNAJRANQAHW"


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(fraction * 100) - 1]


def with_second_factor(user):
    """Staff, supervisors and the board sign in with a second factor: give the bench's account an authenticator app,
    so a signed-in client reaches the pages instead of the set-up page the portal sends such accounts to first."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, SECOND_FACTOR_SECRET)
    return user


def bench_member_and_service():
    """An active member with an account, and a service with one field and two required documents."""
    from django.contrib.auth.models import Group

    from members.models import Member, User
    from members.roles import Role
    from requests_app.models import Department, RequestDocument, RequestField, RequestType

    user, _ = User.objects.get_or_create(username="bench-member", defaults={"email": "bench-member@example.org"})
    user.groups.add(Group.objects.get_or_create(name=Role.MEMBER)[0])
    member, _ = Member.objects.get_or_create(
        national_id="1999999993",
        defaults={
            "user": user,
            "membership_no": "B-1",
            "full_name_ar": "سعيد بن محمد بن علي آل مريح",
            "mobile": "+966599999991",
            "governorate": "najran",
            "sms_consent": True,
        },
    )
    department = Department.objects.get_or_create(code="bench", defaults={"name_ar": "قياس الأداء"})[0]
    request_type, created = RequestType.objects.get_or_create(
        code="BNC-01",
        defaults={
            "category_id": RequestType.objects.filter(code="FRM-01").values_list("category_id", flat=True).first(),
            "department": department,
            "name_ar": "طلب شتلات بن (قياس)",
            "sla_days": 10,
        },
    )
    if created:
        RequestField.objects.create(
            request_type=request_type, key="seedlings", label_ar="عدد الشتلات", field_type="number"
        )
        RequestDocument.objects.create(request_type=request_type, name_ar="صك الملكية", order=1)
        RequestDocument.objects.create(request_type=request_type, name_ar="إيصال التحويل", order=2)
    return member, request_type


# --- A database of its own and many members (the announcement and General Assembly notice benches) ---


def ensure_database(url: str) -> bool:
    """Create the database if missing; True when this script created it (and so drops it at the end)."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            admin.close()
            return False
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return True


def drop_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    admin.close()


def make_members(count: int, *, prefix: str) -> None:
    """`count` active members whose membership numbers start with `prefix`: a mix of consents and languages."""
    from members.models import Governorate, Member

    governorates = Governorate.values
    Member.objects.bulk_create(
        [
            Member(
                membership_no=f"{prefix}{n:06d}",
                national_id=f"14{n:08d}",
                full_name_ar=f"عضو تجريبي رقم {n}",
                full_name_en=f"Bench member {n}",
                name_search=f"عضو تجريبي رقم {n}",
                mobile=f"+96653{n:07d}",
                email=f"bench{n}@example.org" if n % 3 == 0 else "",
                email_consent=n % 3 == 0,
                sms_consent=n % 10 != 0,
                language="en" if n % 5 == 0 else "ar",
                governorate=governorates[n % len(governorates)],
                status=Member.Status.ACTIVE,
                shares=1 + n % 7,  # paid-up shares: each one eligible for the General Assembly
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
