"""Checking a register file, row by row and then against the register: nothing is written here.

Each cell goes through its column's cleaner (members/register_columns.py) after the checks every cell gets:
formulas (cells of type formula in XLSX, or text starting like one, e.g. `=cmd|…`), invisible bidi controls and
other control characters are refused. Then the rows are checked together and against the database as it is now:
duplicates inside the file, clashes with other members or accounts, and any holding above the share cap.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from members import register_columns, services
from members.importing.reading import MAX_ROWS, Formula, ImportFileError, cell_text, read_table
from members.importing.report import ImportReport, RowResult
from members.models import Member, User
from members.validators import has_bidi_controls, has_control_characters, looks_like_formula
from members_portal.arabic import normalise

# Column titles the register may use, in English or Arabic (compared after Arabic normalisation).
HEADERS = {column.name: (column.name, *column.aliases) for column in register_columns.IMPORTED}
_HEADER_LOOKUP = {normalise(alias): key for key, aliases in HEADERS.items() for alias in aliases}


def map_columns(header: list[str]) -> tuple[dict[int, str], list[str], list[str]]:
    """(position → field, ignored column names, file problems) for a header row."""
    mapping: dict[int, str] = {}
    ignored, problems = [], []
    for position, title in enumerate(header):
        key = _HEADER_LOOKUP.get(normalise(title.replace("_", " ")), _HEADER_LOOKUP.get(normalise(title)))
        if key is None:
            if title:
                ignored.append(title)
            continue
        if key in mapping.values():
            problems.append(_("The column “%(column)s” appears twice.") % {"column": title})
            continue
        mapping[position] = key
    missing = [key for key in register_columns.REQUIRED if key not in mapping.values()]
    if missing:
        labels = "، ".join(str(register_columns.BY_NAME[key].label) for key in missing)
        problems.append(_("Required columns are missing: %(columns)s.") % {"columns": labels})
    return mapping, ignored, problems


def _unsafe(value) -> str:
    """Why a cell cannot be imported whatever its column ("" when it can): the message's %(column)s is left open."""
    if isinstance(value, Formula):
        return _("%(column)s: formulas are not accepted; put the value itself in the cell.")
    text = cell_text(value)
    if has_bidi_controls(text):
        return _("%(column)s: contains invisible direction-control characters; type it again without them.")
    if has_control_characters(text):
        return _("%(column)s: contains control characters.")
    if looks_like_formula(text):
        return _("%(column)s: starts like a spreadsheet formula (=, +, -, @) and cannot be imported.")
    return ""


def clean_row(line: int, cells: list, mapping: dict[int, str]) -> RowResult:
    """One row's values as the record stores them, and every problem found in the row alone.

    An unsafe cell is reported once: a required column says nothing more, an optional one is cleaned as empty.
    """
    row = RowResult(line=line)
    texts: dict[str, str] = {}
    refused: set[str] = set()
    for position, key in mapping.items():
        value = cells[position] if position < len(cells) else None
        problem = _unsafe(value)
        if problem:
            row.problems.append(problem % {"column": register_columns.BY_NAME[key].label})
            refused.add(key)
        texts[key] = "" if problem else cell_text(value)
    for column in register_columns.IMPORTED:
        if column.name not in texts or (column.required and column.name in refused):
            continue
        assert column.clean is not None, "an imported column names its cleaner (register_columns.COLUMNS)"
        try:
            value = column.clean(texts[column.name])
        except ValidationError as error:
            row.problems.extend(error.messages)
        else:
            if value is not register_columns.KEEP:
                row.values[column.name] = value
    return row


@dataclass
class Register:
    """The register as the database has it now, for the checks that look beyond one row."""

    by_membership_no: dict[str, tuple]
    owner_of_id: dict[str, str]
    owner_of_mobile: dict[str, str]
    account_of_phone: dict[str, int]

    @classmethod
    def load(cls) -> "Register":
        rows = list(
            Member.objects.values_list("pk", "membership_no", "national_id", "mobile", "user_id", "shares", "status")
        )
        return cls(
            by_membership_no={row[1]: row for row in rows if row[1]},
            owner_of_id={row[2]: row[1] for row in rows},
            owner_of_mobile={str(row[3]): row[1] for row in rows},
            account_of_phone={
                str(phone): pk for pk, phone in User.objects.exclude(phone=None).values_list("pk", "phone")
            },
        )


def check_against_register(report: ImportReport, register: Register) -> None:
    """Duplicates inside the file, clashes with other members or accounts, and the share cap."""
    rows = report.rows
    for key, message in (
        ("membership_no", _("The membership number %(value)s is also on line %(other)s of the file.")),
        ("national_id", _("The national ID %(value)s is also on line %(other)s of the file.")),
        ("mobile", _("The mobile %(value)s is also on line %(other)s of the file.")),
    ):
        first_line: dict[str, int] = {}
        counts = Counter(row.values.get(key) for row in rows if row.values.get(key))
        for row in rows:
            value = row.values.get(key)
            if value and counts[value] > 1:
                if value in first_line:
                    row.problems.append(message % {"value": value, "other": first_line[value]})
                else:
                    first_line[value] = row.line
                    others = [str(r.line) for r in rows if r.values.get(key) == value and r is not row]
                    row.problems.append(message % {"value": value, "other": "، ".join(others[:5])})
    for row in rows:
        membership_no = row.values.get("membership_no")
        existing = register.by_membership_no.get(membership_no) if membership_no else None
        row.action = "update" if existing else "new"
        national_id = row.values.get("national_id")
        owner = register.owner_of_id.get(national_id) if national_id else None
        if national_id and national_id in register.owner_of_id and owner != membership_no:
            row.problems.append(
                _("The national ID %(value)s already belongs to another record in the register (%(owner)s).")
                % {"value": national_id, "owner": owner or _("a membership applicant")}
            )
        mobile = row.values.get("mobile")
        owner = register.owner_of_mobile.get(mobile) if mobile else None
        if mobile and mobile in register.owner_of_mobile and owner != membership_no:
            row.problems.append(
                _("The mobile %(value)s already belongs to another record in the register (%(owner)s).")
                % {"value": mobile, "owner": owner or _("a membership applicant")}
            )
        elif mobile and mobile in register.account_of_phone:
            own_account = existing[4] if existing else None
            if register.account_of_phone[mobile] != own_account:
                row.problems.append(
                    _("The mobile %(value)s is used by another account of the portal.") % {"value": mobile}
                )
    _check_share_cap(report, register)


def _check_share_cap(report: ImportReport, register: Register) -> None:
    """Every holding after the import within MAX_HOLDING_PERCENT of the total held by members whose membership has not
    ended (withdrawn or deceased)."""
    holdings: dict[str, tuple[int, str]] = {}
    for number, record in register.by_membership_no.items():
        holdings[number] = (record[5], record[6])
    unnumbered = (
        Member.objects.filter(membership_no="")
        .exclude(status__in=Member.ENDED_STATUSES)
        .aggregate(total=Sum("shares"))["total"]
        or 0
    )
    for row in report.rows:
        membership_no = row.values.get("membership_no")
        if not membership_no:
            continue
        shares, status = holdings.get(membership_no, (0, Member.Status.ACTIVE))
        holdings[membership_no] = (row.values.get("shares", shares), row.values.get("status", status))
    total = unnumbered + sum(shares for shares, status in holdings.values() if status not in Member.ENDED_STATUSES)
    cap_message = _("%(shares)s shares would be more than %(percent)s%% of all %(total)s shares of the cooperative.")
    file_numbers = set()
    for row in report.rows:
        membership_no = row.values.get("membership_no")
        if not membership_no:
            continue
        file_numbers.add(membership_no)
        shares, status = holdings[membership_no]
        if status not in Member.ENDED_STATUSES and shares * 100 > total * services.MAX_HOLDING_PERCENT:
            row.problems.append(
                cap_message % {"shares": shares, "percent": services.MAX_HOLDING_PERCENT, "total": total}
            )
    for membership_no, (shares, status) in holdings.items():
        if membership_no in file_numbers or status in Member.ENDED_STATUSES:
            continue
        if shares * 100 > total * services.MAX_HOLDING_PERCENT:
            report.file_problems.append(
                _(
                    "After this import, member %(membership_no)s (not in the file) would hold more than %(percent)s%% "
                    "of the shares."
                )
                % {"membership_no": membership_no, "percent": services.MAX_HOLDING_PERCENT}
            )


def check_rows(header: list[str], numbered_rows: Iterable[tuple[int, list]]) -> ImportReport:
    """Validate rows read from a file (header + numbered rows) against the database as it is now."""
    mapping, ignored, problems = map_columns(header)
    report = ImportReport(columns=list(mapping.values()), file_problems=problems, ignored_columns=ignored)
    if problems:
        return report
    for line, cells in numbered_rows:
        if not any(cell_text(cell) for cell in cells):
            continue
        if len(report.rows) >= MAX_ROWS:
            report.file_problems.append(_("The file has more than %(limit)s rows.") % {"limit": f"{MAX_ROWS:,}"})
            report.rows = []
            return report
        report.rows.append(clean_row(line, cells, mapping))
    if not report.rows:
        report.file_problems.append(_("The file has no member rows under its header."))
        return report
    check_against_register(report, Register.load())
    return report


def check_file(data: bytes, filename: str) -> ImportReport:
    """Read and validate a whole file. File-level problems (unreadable, too big…) are in `file_problems`."""
    try:
        header, rows = read_table(data, filename)
        return check_rows(header, rows)
    except ImportFileError as error:
        return ImportReport(file_problems=error.messages)
