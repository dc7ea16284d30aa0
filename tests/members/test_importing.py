import csv
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from members import importing
from members.models import AccessLog, Member, MemberImport
from members.validators import national_id_check_digit
from tests.members.factories import MemberFactory, UserFactory, member_account

pytestmark = pytest.mark.django_db
HEADER = ["رقم العضوية", "رقم الهوية", "الاسم", "الجوال", "المحافظة", "القرية", "عدد الأسهم"]


def citizen_id(n: int) -> str:
    first_nine = f"18{n:07d}"
    return first_nine + national_id_check_digit(first_nine)


def rows(count: int, *, start: int = 0, shares: int = 1) -> list[list]:
    return [
        [str(20000 + i), citizen_id(i), f"عضو رقم {i} آل مريح", f"05{70000000 + i:08d}", "نجران", "هدادة", shares]
        for i in range(start, start + count)
    ]


def as_csv(table: list[list], header=HEADER) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *table])
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(table: list[list], header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_of(report) -> dict[int, list[str]]:
    return {row.line: row.problems for row in report.problem_rows}


def test_a_clean_csv_imports_every_row(staff_user):
    report, created, updated = importing.import_file(as_csv(rows(12)), "register.csv", by=staff_user)

    assert report.ok, report.file_problems or problems_of(report)
    assert (created, updated) == (12, 0)
    member = Member.objects.get(membership_no="20003")
    assert (str(member.mobile), member.governorate, member.shares) == ("+966570000003", "najran", 1)
    assert member.name_search == "عضو رقم 3 ال مريح"
    assert AccessLog.objects.filter(viewer=staff_user, action="imported").count() == 12


def test_an_xlsx_file_imports_the_same_way(staff_user):
    report, created, _updated = importing.import_file(as_xlsx(rows(12)), "register.xlsx", by=staff_user)

    assert report.ok
    assert created == 12


def test_reimporting_updates_members_by_membership_number(staff_user):
    importing.import_file(as_csv(rows(12)), "register.csv", by=staff_user)
    table = rows(12)
    table[0][2] = "اسم مصحح آل مريح"
    table[0][3] = "0569999999"

    _report, created, updated = importing.import_file(as_csv(table), "register.csv", by=staff_user)

    assert (created, updated) == (0, 12)
    member = Member.objects.get(membership_no="20000")
    assert member.full_name_ar == "اسم مصحح آل مريح"
    assert str(member.mobile) == "+966569999999"


def test_reimport_moves_the_linked_accounts_mobile_too(staff_user):
    member = member_account(membership_no="20000", national_id=citizen_id(0), mobile="+966570000000")
    table = rows(12)
    table[0][3] = "0569999998"

    importing.import_file(as_csv(table), "register.csv", by=staff_user)

    member.user.refresh_from_db()
    assert str(member.user.phone) == "+966569999998"


def test_one_bad_row_means_nothing_is_imported(staff_user):
    table = rows(12)
    table[5][1] = "1000000009"  # wrong check digit

    report, created, _updated = importing.import_file(as_csv(table), "register.csv", by=staff_user)

    assert created == 0
    assert not Member.objects.exists()
    assert list(problems_of(report)) == [7]  # the header is line 1


def test_a_formula_cell_is_refused_in_csv_and_xlsx(staff_user):
    table = rows(12)
    table[0][2] = "=cmd|' /C calc'!A0"
    xlsx_table = rows(12)
    xlsx_table[0][6] = "=SUM(1,2)"

    csv_report = importing.check_file(as_csv(table), "register.csv")
    xlsx_report = importing.check_file(as_xlsx(xlsx_table), "register.xlsx")

    assert any("formula" in problem or "صيغ" in problem for problem in problems_of(csv_report)[2])
    assert 2 in problems_of(xlsx_report)


def test_bidi_control_characters_in_a_name_are_refused(staff_user):
    table = rows(12)
    table[1][2] = "محمد\u202eعلي"

    report = importing.check_file(as_csv(table), "register.csv")

    assert 3 in problems_of(report)


def test_duplicates_inside_the_file_are_named_on_both_lines():
    table = rows(12)
    table[4][1] = table[2][1]

    report = importing.check_file(as_csv(table), "register.csv")

    assert set(problems_of(report)) == {4, 6}


def test_a_national_id_of_another_member_in_the_register_is_refused():
    MemberFactory(membership_no="55555", national_id=citizen_id(3))

    report = importing.check_file(as_csv(rows(12)), "register.csv")

    assert list(problems_of(report)) == [5]


def test_a_mobile_of_a_staff_account_is_refused():
    UserFactory(phone="+966570000001")

    report = importing.check_file(as_csv(rows(12)), "register.csv")

    assert list(problems_of(report)) == [3]


def test_non_saudi_mobile_and_unknown_governorate_get_clear_messages():
    table = rows(12)
    table[0][3] = "+971501234567"
    table[1][4] = "الرياض"

    report = importing.check_file(as_csv(table), "register.csv")

    assert problems_of(report)[2] and problems_of(report)[3]
    assert "الرياض" in problems_of(report)[3][0]


def test_fractional_shares_and_a_holding_above_the_cap_are_refused():
    table = rows(12)
    table[0][6] = "1.5"
    table[1][6] = 5  # 5 of 16 shares

    report = importing.check_file(as_csv(table), "register.csv")

    assert set(problems_of(report)) == {2, 3}


def test_missing_required_columns_are_a_file_problem():
    report = importing.check_file(as_csv(rows(2), header=["رقم العضوية", "الاسم"]), "register.csv")

    assert report.file_problems
    assert not report.rows


def test_a_file_over_the_size_limit_is_refused(settings):
    report = importing.check_file(b"x" * (importing.MAX_BYTES + 1), "register.csv")

    assert report.file_problems and not report.ok


def test_a_file_that_is_not_a_spreadsheet_is_refused():
    assert importing.check_file(b"PK\x03\x04not really", "register.xlsx").file_problems
    assert importing.check_file(b"%PDF-1.7", "register.pdf").file_problems


def test_arabic_indic_digits_in_ids_and_mobiles_are_accepted():
    table = rows(12)
    table[0][1] = table[0][1].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    table[0][3] = "٠٥٧٠٠٠٠٠٠٠"

    report = importing.check_file(as_csv(table), "register.csv")

    assert report.ok


def test_upload_preview_then_commit(staff_user):
    member_import = importing.check_upload(data=as_csv(rows(12)), filename="register.csv", by=staff_user)
    assert member_import.can_commit and member_import.new_rows == 12
    assert not Member.objects.exists()

    done = importing.commit_upload(member_import=member_import, by=staff_user)

    assert done.status == MemberImport.Status.COMMITTED
    assert Member.objects.count() == 12
    with pytest.raises(ValidationError):
        importing.commit_upload(member_import=done, by=staff_user)


def test_commit_rechecks_against_the_register_as_it_is_then(staff_user):
    member_import = importing.check_upload(data=as_csv(rows(12)), filename="register.csv", by=staff_user)
    MemberFactory(membership_no="99999", mobile="+966570000004")  # appeared after the preview

    with pytest.raises(ValidationError):
        importing.commit_upload(member_import=member_import, by=staff_user)

    assert Member.objects.count() == 1
    member_import.refresh_from_db()
    assert member_import.problem_rows == 1
