"""Demo accounts for each role and a demo register of about 200 members across Najran's governorates.

Everything here is synthetic: national IDs are built from a counter with a valid check digit (1000 0NNNN C),
mobiles are +966 50 000 0NNN, names are common Najrani names picked at random with a fixed seed. Some
members are activated with the demo password; the others can be activated in the demo (the code is written
to the SMS file, settings.SMS_FILE_PATH). Idempotent: a second run adds nothing.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone

from members import permissions, services, two_factor
from members.models import Governorate, Member, User
from members.roles import Role
from members.validators import national_id_check_digit

DEMO_PASSWORD = "Qahwa-Najran-2026"  # noqa: S105 (demo data, printed by load_demo)
# The demo's staff, board and administrators share one authenticator-app secret (demo data, printed by load_demo):
# add it to any TOTP app, or print the current code with `manage.py demo_totp_code`.
DEMO_TOTP_SECRET = "NAJRANCOFFEEDEMOSECONDFACTORQAHW"  # noqa: S105

ACCOUNTS = [
    # (who, username, email, phone, first name, last name, roles)
    (
        "staff (member services)",
        "staff",
        "staff@najran-coffee.example",
        "+966500000101",
        "فهد",
        "آل سالم",
        [Role.STAFF],
    ),
    (
        "supervisor",
        "supervisor",
        "supervisor@najran-coffee.example",
        "+966500000102",
        "نورة",
        "آل منصور",
        [Role.SUPERVISOR],
    ),
    (
        "board member",
        "board",
        "board@najran-coffee.example",
        "+966500000103",
        "علي",
        "آل حارث",
        [Role.BOARD, Role.MEMBER],
    ),
    ("administrator", "admin", "admin@najran-coffee.example", "+966500000104", "مدير", "النظام", [Role.ADMINISTRATOR]),
    (
        "board member (2)",
        "board2",
        "board2@najran-coffee.example",
        "+966500000106",
        "صالح",
        "آل مريح",
        [Role.BOARD, Role.MEMBER],
    ),
]
# Board members are members of the cooperative too: their register records.
BOARD_RECORDS = {"board": ("10199", "علي بن ظافر بن محمد آل حارث"), "board2": ("10200", "صالح بن حمد بن علي آل مريح")}
APPLICANT = ("applicant", "+966500000105", "ناصر بن سعيد بن مانع آل عباس")

MEMBER_COUNT = 198  # plus the two board members: 200 in the register
ACTIVATED = 30  # the first members have an account with the demo password
FIRST_MEMBERSHIP_NO = 10001
TO_ACTIVATE = 10150  # printed: a member who can try activation

MEN = [
    "محمد",
    "علي",
    "صالح",
    "حمد",
    "مانع",
    "ناصر",
    "سعيد",
    "حسين",
    "مهدي",
    "جابر",
    "يحيى",
    "فهد",
    "عبدالله",
    "هادي",
    "مسفر",
    "ظافر",
    "منصور",
    "سالم",
    "حسن",
    "مبارك",
    "راشد",
    "فيصل",
    "عبدالرحمن",
    "حمود",
]
WOMEN = ["نورة", "فاطمة", "مريم", "سارة", "هيا", "عائشة", "منيرة", "لطيفة", "حصة", "شيخة", "أمل", "خلود"]
FAMILIES = [
    "آل مريح",
    "آل حارث",
    "آل منصور",
    "آل سالم",
    "آل عباس",
    "آل هتيلة",
    "آل فطيح",
    "آل جابر",
    "آل مهذل",
    "آل زمانان",
    "آل قريع",
    "آل حيدر",
    "اليامي",
    "آل صقور",
    "آل منجم",
    "آل شريه",
    "آل سدران",
    "آل الحارث",
    "آل هشام",
    "آل مسعود",
]
ENGLISH_FAMILIES = {
    "آل مريح": "Al Muraih",
    "آل حارث": "Al Harith",
    "آل منصور": "Al Mansour",
    "آل سالم": "Al Salem",
    "آل عباس": "Al Abbas",
    "اليامي": "Al Yami",
}
ENGLISH_FIRST = {
    "محمد": "Mohammed",
    "علي": "Ali",
    "صالح": "Saleh",
    "ناصر": "Nasser",
    "فهد": "Fahad",
    "سعيد": "Saeed",
    "نورة": "Noura",
    "فاطمة": "Fatimah",
}
# Weighted by where the cooperative's coffee is grown (mountain and wadi areas first).
GOVERNORATES = [
    (Governorate.NAJRAN, 34, ["هدادة", "رجلا", "الحضن", "شعب رير", "الموفجة", "آل منجم"]),
    (Governorate.BADR_AL_JANOUB, 24, ["بدر الجنوب", "الصفق", "المضباع", "ال عمر"]),
    (Governorate.THAR, 16, ["ثار", "الجربة", "الصفراء"]),
    (Governorate.HUBUNA, 11, ["حبونا", "الحصينية", "سلوى"]),
    (Governorate.YADAMAH, 7, ["يدمة", "المحبوبة"]),
    (Governorate.KHUBASH, 4, ["خباش", "الحرشف"]),
    (Governorate.SHARURAH, 4, ["شرورة", "الوديعة"]),
]


def synthetic_national_id(n: int) -> str:
    first_nine = f"10000{n:04d}"
    return first_nine + national_id_check_digit(first_nine)


def demo_mobile(n: int) -> str:
    return f"+966500000{200 + n:03d}"


def _name(rng: random.Random) -> tuple[str, str]:
    woman = rng.random() < 0.15
    first = rng.choice(WOMEN if woman else MEN)
    father, grandfather = rng.choice(MEN), rng.choice(MEN)
    family = rng.choice(FAMILIES)
    arabic = f"{first} {'بنت' if woman else 'بن'} {father} بن {grandfather} {family}"
    english = ""
    if first in ENGLISH_FIRST and family in ENGLISH_FAMILIES and rng.random() < 0.5:
        english = f"{ENGLISH_FIRST[first]} {ENGLISH_FAMILIES[family]}"
    return arabic, english


def _accounts() -> list[tuple[str, str, str]]:
    permissions.grant_role_permissions()  # migrate grants them too; the demo never depends on the order
    logins = []
    for who, username, email, phone, first, last, roles in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": email,
                "phone": phone,
                "phone_verified": True,
                "first_name": first,
                "last_name": last,
                "is_staff": Role.ADMINISTRATOR in roles,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(*Group.objects.filter(name__in=[role.value for role in roles]))
        logins.append((who, email, DEMO_PASSWORD))
    return logins


def give_second_factors() -> int:
    """Every demo account of staff, supervisors, board and administrators without a second factor gets the demo's
    authenticator-app secret (load_demo calls this after every app's demo). Returns how many were given one."""
    privileged = User.objects.filter(
        Q(is_superuser=True) | Q(groups__name__in=[role.value for role in two_factor.PRIVILEGED])
    ).distinct()
    given = 0
    for user in privileged:
        if two_factor.lacks_second_factor(user):
            TOTP.activate(user, DEMO_TOTP_SECRET)
            given += 1
    return given


def _register(rng: random.Random) -> None:
    """The 198 members and the two board members' records, in one bulk insert (skipped when present)."""
    if Member.objects.filter(membership_no=str(FIRST_MEMBERSHIP_NO)).exists():
        return
    areas = [(g, villages) for g, weight, villages in GOVERNORATES for _ in range(weight)]
    start = date(2012, 1, 1)
    rows = []
    for n in range(1, MEMBER_COUNT + 3):
        membership_no = str(FIRST_MEMBERSHIP_NO + n - 1)
        arabic, english = _name(rng)
        mobile = demo_mobile(n)
        board_user = None
        for username, (number, board_name) in BOARD_RECORDS.items():
            if number == membership_no:
                board_user = User.objects.get(username=username)
                arabic, english, mobile = board_name, "", str(board_user.phone)
        governorate, villages = rng.choice(areas)
        status = Member.Status.ACTIVE
        if n % 41 == 0:
            status = Member.Status.SUSPENDED
        elif n % 53 == 0:
            status = Member.Status.WITHDRAWN
        email = f"member{membership_no}@najran-coffee.example" if rng.random() < 0.3 else ""
        rows.append(
            Member(
                user=board_user,
                membership_no=membership_no,
                national_id=synthetic_national_id(n),
                full_name_ar=arabic,
                full_name_en=english,
                name_search=services.name_search_for(arabic, english),
                mobile=mobile,
                email=email,
                governorate=governorate,
                village=rng.choice(villages),
                coffee_trees=rng.randrange(20, 900, 10),
                farm_area_dunum=Decimal(rng.randrange(10, 400)) / 10,
                shares=rng.randint(1, 20),
                joined_on=start + timedelta(days=rng.randrange(0, 5000)),
                status=status,
                language="en" if english and rng.random() < 0.3 else "ar",
                sms_consent=rng.random() < 0.95,
                email_consent=bool(email) and rng.random() < 0.7,
                consent_updated_at=timezone.now(),
            )
        )
    Member.objects.bulk_create(rows)


def _activate_first_members() -> None:
    """Accounts with the demo password for the first ACTIVATED members (as if they had activated)."""
    member_group = Group.objects.get(name=Role.MEMBER)
    numbers = [str(FIRST_MEMBERSHIP_NO + i) for i in range(ACTIVATED)]
    for member in Member.objects.filter(membership_no__in=numbers, user=None):
        user = User(
            username=f"m{member.membership_no}",
            first_name=member.full_name_ar[:150],
            phone=member.mobile,
            phone_verified=True,
            email=member.email,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(member_group)
        member.user = user
        member.save(update_fields=["user"])


def _applicant() -> None:
    username, phone, name = APPLICANT
    if User.objects.filter(username=username).exists():
        return
    user = User(username=username, first_name=name, phone=phone, phone_verified=True)
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.add(*Group.objects.filter(name=Role.APPLICANT))
    Member.objects.create(
        user=user,
        membership_no="",
        national_id=synthetic_national_id(9001),
        full_name_ar=name,
        name_search=services.name_search_for(name),
        mobile=phone,
        governorate=Governorate.BADR_AL_JANOUB,
        village="هدادة",
        status=Member.Status.APPLICANT,
        consent_updated_at=timezone.now(),
    )


def seed(stdout) -> list[tuple[str, str, str]]:
    rng = random.Random(2026)  # noqa: S311 (repeatable demo data, not secrets)
    logins = _accounts()
    _register(rng)
    _activate_first_members()
    _applicant()
    to_activate = Member.objects.get(membership_no=str(TO_ACTIVATE))
    sms_file = settings.SMS_FILE_PATH
    logins += [
        ("member (activated)", "0" + demo_mobile(1)[4:], DEMO_PASSWORD),
        ("applicant", "0" + APPLICANT[1][4:], DEMO_PASSWORD),
        (
            "member to activate",
            f"membership {to_activate.membership_no} / ID {to_activate.national_id}",
            f"(code in {sms_file})",
        ),
    ]
    stdout.write(
        f"  second factor of staff, supervisor, board and administrator: authenticator-app secret {DEMO_TOTP_SECRET}"
        " (or `manage.py demo_totp_code` prints the current code)"
    )
    stdout.write(f"  members: {Member.objects.exclude(status=Member.Status.APPLICANT).count()} in the register")
    return logins
