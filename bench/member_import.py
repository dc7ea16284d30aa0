"""Benchmark: check and import 10,000 register rows (CSV) on PostgreSQL, all or nothing.

Prints one JSON line: {"metric": "member_import_10k_s", "value": <seconds>, "unit": "s"}. The data is
generated here (synthetic IDs with valid check digits, prefix 17…) and removed afterwards, so the bench
database is left as it was. Run by `make bench` (DATABASE_URL=…portal_bench).
"""

import csv
import io
import json
import os
import sys
import time
from pathlib import Path

# Import from the project root, not from bench/ (a script's own folder comes first on sys.path).
_here = Path(__file__).resolve().parent
sys.path = [str(_here.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _here]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "members_portal.settings.base")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from members import importing  # noqa: E402
from members.models import AccessLog, Member  # noqa: E402
from members.validators import national_id_check_digit  # noqa: E402

ROWS = 10_000
PREFIX = "B"  # membership numbers B000001…: never clash with a real register's


def generate() -> bytes:
    header = [
        "رقم العضوية",
        "رقم الهوية",
        "الاسم",
        "الاسم بالإنجليزية",
        "الجوال",
        "البريد الإلكتروني",
        "المحافظة",
        "القرية",
        "عدد أشجار البن",
        "مساحة المزرعة",
        "عدد الأسهم",
        "تاريخ الانضمام",
        "الحالة",
    ]
    governorates = ["نجران", "بدر الجنوب", "ثار", "حبونا", "يدمة", "خباش", "شرورة"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for i in range(ROWS):
        first_nine = f"17{i:07d}"
        writer.writerow(
            [
                f"{PREFIX}{i:06d}",
                first_nine + national_id_check_digit(first_nine),
                f"محمد بن علي بن صالح آل مريح {i}",
                f"Mohammed Ali {i}",
                f"05{80000000 + i:08d}",
                f"bench{i}@example.org" if i % 3 == 0 else "",
                governorates[i % 7],
                "هدادة",
                100 + i % 500,
                f"{1 + i % 30}.5",
                1 + i % 5,
                "2020-03-15",
                "نشط",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def clean() -> None:
    bench_members = Member.objects.filter(membership_no__startswith=PREFIX)
    AccessLog.objects.filter(member__in=bench_members).delete()
    bench_members.delete()


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("member_import bench runs on PostgreSQL: set DATABASE_URL")
    clean()
    data = generate()
    try:
        started = time.perf_counter()
        report, created, _updated = importing.import_file(data, "bench.csv", by=None)
        elapsed = time.perf_counter() - started
        if not report.ok or created != ROWS:
            problems = report.file_problems or [row.problems for row in report.problem_rows[:3]]
            sys.exit(f"bench import failed: {problems}")
    finally:
        clean()
    print(json.dumps({"metric": "member_import_10k_s", "value": round(elapsed, 2), "unit": "s"}))


if __name__ == "__main__":
    main()
