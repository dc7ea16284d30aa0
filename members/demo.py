"""Demo accounts for each role. The members issue extends this with the demo register."""

from django.contrib.auth.models import Group

from members.models import User
from members.roles import Role

DEMO_PASSWORD = "Qahwa-Najran-2026"

ACCOUNTS = [
    # (who, username, email, phone, first name, last name, roles)
    ("staff (member services)", "staff", "staff@najran-coffee.example", "+966500000101", "فهد", "آل سالم", [Role.STAFF]),
    ("supervisor", "supervisor", "supervisor@najran-coffee.example", "+966500000102", "نورة", "آل منصور",
     [Role.SUPERVISOR]),
    ("board member", "board", "board@najran-coffee.example", "+966500000103", "علي", "آل حارث",
     [Role.BOARD, Role.MEMBER]),
    ("administrator", "admin", "admin@najran-coffee.example", "+966500000104", "مدير", "النظام", [Role.ADMINISTRATOR]),
]


def seed(stdout) -> list[tuple[str, str, str]]:
    logins = []
    for who, username, email, phone, first, last, roles in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": email, "phone": phone, "phone_verified": True, "first_name": first, "last_name": last,
                      "is_staff": Role.ADMINISTRATOR in roles},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(*Group.objects.filter(name__in=[role.value for role in roles]))
        logins.append((who, email, DEMO_PASSWORD))
    return logins
