"""Import of the cooperative's register from a CSV or XLSX file: check every row, then commit all or nothing.

`check_file(data, filename)` reads and validates a file against the database and returns an ImportReport
(each row's problems, in the active language: Arabic by default). `commit(report, by=…)` writes a report
that has no problems, in one transaction, re-checking it first against the database as it is then.
Re-importing updates existing members, matched by membership number; only the columns present in the
file are changed. `check_upload` / `commit_upload` do the same for the staff form, keeping the upload and
its preview in a MemberImport row.

Refused, with a message: files over MAX_BYTES or MAX_ROWS, unreadable or password-protected files, XLSX
that would inflate past MAX_UNPACKED_BYTES, missing required columns, formulas (cells of type formula in
XLSX, or text starting like one, e.g. `=cmd|…`), invisible bidi controls and other control characters,
malformed IDs, mobiles, e-mails, numbers and dates, duplicates inside the file, clashes with other
members or accounts, and any holding above the share cap.
"""

import csv
import io
import logging
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members import services
from members.models import AccessLog, Governorate, Member, MemberImport, User
from members.validators import (
    has_bidi_controls,
    has_control_characters,
    looks_like_formula,
    normalise_member_national_id,
    normalise_saudi_mobile,
    validate_membership_no,
    western_digits,
)
from members_portal.arabic import normalise

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 20_000
PREVIEW_PROBLEM_ROWS = 1000  # rows with problems kept for the preview page (the counts are always complete)
PREVIEW_SAMPLE_ROWS = 10  # rows without problems shown as a sample
BATCH = 1000

REQUIRED = ("membership_no", "national_id", "full_name_ar", "mobile", "governorate")
# Column names the register may use, in English or Arabic (compared after Arabic normalisation).
HEADERS = {
    "membership_no": ("membership_no", "membership number", "membership no", "رقم العضوية"),
    "national_id": ("national_id", "national id", "id number", "رقم الهوية", "رقم الهوية الوطنية", "السجل المدني"),
    "full_name_ar": ("full_name_ar", "name", "arabic name", "الاسم", "الاسم الكامل", "الاسم بالعربية"),
    "full_name_en": ("full_name_en", "english name", "name_en", "الاسم بالإنجليزية", "الاسم بالانجليزية"),
    "mobile": ("mobile", "phone", "mobile number", "الجوال", "رقم الجوال"),
    "email": ("email", "e-mail", "البريد الإلكتروني", "البريد"),
    "governorate": ("governorate", "المحافظة"),
    "village": ("village", "centre", "village or centre", "القرية", "المركز", "القرية أو المركز"),
    "coffee_trees": ("coffee_trees", "coffee trees", "عدد أشجار البن", "أشجار البن"),
    "farm_area_dunum": ("farm_area_dunum", "farm area", "مساحة المزرعة", "مساحة المزرعة (دونم)"),
    "shares": ("shares", "number of shares", "عدد الأسهم", "الأسهم"),
    "joined_on": ("joined_on", "joining date", "تاريخ الانضمام"),
    "status": ("status", "الحالة"),
    "language": ("language", "اللغة"),
    "sms_consent": ("sms_consent", "الموافقة على الرسائل النصية"),
    "email_consent": ("email_consent", "الموافقة على البريد الإلكتروني"),
}
_HEADER_LOOKUP = {normalise(alias): key for key, aliases in HEADERS.items() for alias in aliases}
IMPORT_STATUSES = (Member.Status.ACTIVE, Member.Status.SUSPENDED, Member.Status.WITHDRAWN)
_YES = {"1", "yes", "y", "true", "نعم", "موافق"}
_NO = {"0", "no", "n", "false", "لا", "غير موافق"}


class ImportFileError(Exception):
    """The file as a whole cannot be read; `messages` says why (translated)."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)


@dataclass
class RowResult:
    line: int
    values: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    action: str = "new"  # "new" or "update"

    @property
    def label(self) -> str:
        return self.values.get("full_name_ar") or self.values.get("membership_no") or str(self.line)


@dataclass
class ImportReport:
    columns: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def problem_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.problems]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.file_problems and not self.problem_rows

    # A row with a problem is neither a new member nor an update: it is counted among the problems only.
    @property
    def new_count(self) -> int:
        return sum(1 for row in self.rows if row.action == "new" and not row.problems)

    @property
    def update_count(self) -> int:
        return sum(1 for row in self.rows if row.action == "update" and not row.problems)

    def as_json(self) -> dict:
        """What the preview page shows: counts, file problems, rows with problems, and a sample of good rows."""

        def row_json(row: RowResult) -> dict:
            return {
                "line": row.line,
                "membership_no": row.values.get("membership_no", ""),
                "name": row.values.get("full_name_ar", ""),
                "action": row.action,
                "problems": row.problems,
            }

        return {
            "columns": self.columns,
            "ignored_columns": self.ignored_columns,
            "file_problems": self.file_problems,
            "problems": [row_json(row) for row in self.problem_rows[:PREVIEW_PROBLEM_ROWS]],
            "sample": [row_json(row) for row in self.rows if not row.problems][:PREVIEW_SAMPLE_ROWS],
        }


# --- Reading -----------------------------------------------------------------------------------------


def _read_csv(data: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "cp1256"):  # Excel on Arabic Windows saves CSV as Windows-1256
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("The file's text encoding is not UTF-8 or Windows Arabic; save it as CSV UTF-8."))
    if "\x00" in text:
        raise ImportFileError(_("This does not look like a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileError(_("This is not a readable Excel (.xlsx) file. Is it password-protected?")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("This Excel file unpacks to more data than the import accepts."))


def _read_xlsx(data: bytes) -> Iterator[list]:
    """Rows of the first sheet. Cells are values, except formulas, which come back as a Formula marker."""
    import openpyxl

    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_("This is not a readable Excel (.xlsx) file. Is it password-protected?")) from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows():
            yield [Formula(cell.value) if cell.data_type == "f" else cell.value for cell in row]
    finally:
        workbook.close()


class Formula(str):
    """A spreadsheet cell holding a formula: always refused, whatever it computes."""


def read_table(data: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """(header cells, iterator of (line number, cells)) from a CSV or XLSX file. Raises ImportFileError."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(len(data) / 1_048_576, 1), "limit": MAX_BYTES // 1_048_576}
        )
    if not data:
        raise ImportFileError(_("The file is empty."))
    name = filename.lower()
    if name.endswith(".csv") or name.endswith(".txt"):
        rows = _read_csv(data)
    elif name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    else:
        raise ImportFileError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
    numbered = enumerate(rows, start=1)
    for _line, header in numbered:
        if any(_text(cell) for cell in header):
            return [_text(cell) for cell in header], numbered
    raise ImportFileError(_("The file is empty."))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# --- Checking ----------------------------------------------------------------------------------------


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
    missing = [key for key in REQUIRED if key not in mapping.values()]
    if missing:
        labels = "، ".join(str(Member._meta.get_field(key).verbose_name) for key in missing)
        problems.append(_("Required columns are missing: %(columns)s.") % {"columns": labels})
    return mapping, ignored, problems


def _lookup(choices) -> dict[str, str]:
    """normalised key or label (Arabic and English) → key: the register may be kept in either language."""
    table = {normalise(key): key for key, _label in choices}
    for language in ("en", "ar"):
        with translation.override(language):
            table.update({normalise(str(label)): key for key, label in choices})
    return table


@dataclass
class _Lookups:
    governorate: dict[str, str]
    status: dict[str, str]
    language: dict[str, str]

    @classmethod
    def build(cls) -> "_Lookups":
        return cls(
            governorate=_lookup(Governorate.choices),
            status=_lookup([(status.value, status.label) for status in IMPORT_STATUSES]),
            language=_lookup(Member.Language.choices),
        )


def _boolean(value: str) -> bool | None:
    lowered = normalise(value)
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    return None


def _date(raw) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = western_digits(_text(raw))
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _clean_row(line: int, cells: list, mapping: dict[int, str], lookups: _Lookups) -> RowResult:
    """One row's values as the record stores them, and every problem found in the row alone."""
    row = RowResult(line=line)
    problems = row.problems
    raw: dict[str, object] = {}
    for position, key in mapping.items():
        raw[key] = cells[position] if position < len(cells) else None
    refused: set[str] = set()  # columns already reported as unsafe: no second "missing" message for them
    for key, value in raw.items():
        label = Member._meta.get_field(key).verbose_name
        if isinstance(value, Formula):
            problems.append(
                _("%(column)s: formulas are not accepted; put the value itself in the cell.") % {"column": label}
            )
            raw[key] = None
            refused.add(key)
            continue
        text = _text(value)
        if has_bidi_controls(text):
            problems.append(
                _("%(column)s: contains invisible direction-control characters; type it again without them.")
                % {"column": label}
            )
            raw[key] = None
            refused.add(key)
        elif has_control_characters(text):
            problems.append(_("%(column)s: contains control characters.") % {"column": label})
            raw[key] = None
            refused.add(key)
        elif looks_like_formula(text):
            problems.append(
                _("%(column)s: starts like a spreadsheet formula (=, +, -, @) and cannot be imported.")
                % {"column": label}
            )
            raw[key] = None
            refused.add(key)
    values = row.values

    def text_of(key: str) -> str:
        return _text(raw.get(key))

    membership_no = text_of("membership_no").upper()
    if "membership_no" in refused:
        pass
    elif not membership_no:
        problems.append(_("The membership number is missing."))
    else:
        try:
            validate_membership_no(membership_no)
            values["membership_no"] = membership_no
        except ValidationError as error:
            problems.extend(error.messages)
    if "national_id" not in refused:
        try:
            values["national_id"] = normalise_member_national_id(text_of("national_id"))
        except ValidationError as error:
            problems.extend(error.messages)
    name = " ".join(text_of("full_name_ar").split())
    if "full_name_ar" in refused:
        pass
    elif not name:
        problems.append(_("The Arabic name is missing."))
    else:
        values["full_name_ar"] = name[:200]
    if "mobile" not in refused:
        try:
            values["mobile"] = normalise_saudi_mobile(text_of("mobile"))
        except ValidationError as error:
            problems.extend(error.messages)
    governorate = text_of("governorate")
    if "governorate" in raw and "governorate" not in refused:
        key = lookups.governorate.get(normalise(governorate)) if governorate else None
        if key is None:
            problems.append(
                _("The governorate “%(value)s” is not one of the governorates of Najran Region.")
                % {"value": governorate}
            )
        else:
            values["governorate"] = key
    for key in ("full_name_en", "village"):
        if key in raw:
            values[key] = " ".join(text_of(key).split())[: Member._meta.get_field(key).max_length]
    if "email" in raw:
        email = text_of("email").lower()
        if email:
            try:
                validate_email(email)
                values["email"] = email
            except ValidationError:
                problems.append(_("The e-mail address “%(value)s” is not valid.") % {"value": email})
        else:
            values["email"] = ""
    for key in ("coffee_trees", "shares"):
        if key not in raw:
            continue
        value = raw[key]
        number = western_digits(_text(value)) or "0"
        try:
            amount = Decimal(number)
        except InvalidOperation:
            amount = None
        label = Member._meta.get_field(key).verbose_name
        if amount is None or amount < 0:
            problems.append(_("%(column)s: “%(value)s” is not a whole number.") % {"column": label, "value": number})
        elif amount != amount.to_integral_value():
            if key == "shares":
                problems.append(_("Shares are whole: %(value)s cannot be split.") % {"value": number})
            else:
                problems.append(
                    _("%(column)s: “%(value)s” is not a whole number.") % {"column": label, "value": number}
                )
        else:
            values[key] = int(amount)
    if "farm_area_dunum" in raw:
        number = western_digits(_text(raw["farm_area_dunum"])) or "0"
        try:
            area = Decimal(number).quantize(Decimal("0.01"))
            if area < 0 or area >= Decimal("10000000"):
                raise InvalidOperation
            values["farm_area_dunum"] = area
        except InvalidOperation:
            problems.append(_("The farm area “%(value)s” is not a number of dunums.") % {"value": number})
    if "joined_on" in raw:
        if _text(raw["joined_on"]):
            joined = _date(raw["joined_on"])
            if joined is None or joined > timezone.localdate():
                problems.append(
                    _("The joining date “%(value)s” is not a date (use YYYY-MM-DD).")
                    % {"value": _text(raw["joined_on"])}
                )
            else:
                values["joined_on"] = joined
        else:
            values["joined_on"] = None
    if "status" in raw and text_of("status"):
        status = lookups.status.get(normalise(text_of("status")))
        if status is None:
            problems.append(
                _("The status “%(value)s” is not active, suspended or withdrawn.") % {"value": text_of("status")}
            )
        else:
            values["status"] = status
    if "language" in raw and text_of("language"):
        language = lookups.language.get(normalise(text_of("language")))
        if language is None:
            problems.append(_("The language “%(value)s” is not Arabic or English.") % {"value": text_of("language")})
        else:
            values["language"] = language
    for key in ("sms_consent", "email_consent"):
        if key in raw and text_of(key):
            consent = _boolean(text_of(key))
            if consent is None:
                problems.append(
                    _("%(column)s: write yes or no.") % {"column": Member._meta.get_field(key).verbose_name}
                )
            else:
                values[key] = consent
    return row


@dataclass
class _Register:
    """The register as the database has it now, for the checks that look beyond one row."""

    by_membership_no: dict[str, tuple]
    owner_of_id: dict[str, str]
    owner_of_mobile: dict[str, str]
    account_of_phone: dict[str, int]

    @classmethod
    def load(cls) -> "_Register":
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


def _check_against_register(report: ImportReport, register: _Register) -> None:
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


def _check_share_cap(report: ImportReport, register: _Register) -> None:
    """Every holding after the import within MAX_HOLDING_PERCENT of the total held by members whose membership has not
    ended (withdrawn or deceased)."""
    holdings: dict[str, tuple[int, str]] = {}
    for membership_no, row in register.by_membership_no.items():
        holdings[membership_no] = (row[5], row[6])
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
    lookups = _Lookups.build()
    for line, cells in numbered_rows:
        if not any(_text(cell) for cell in cells):
            continue
        if len(report.rows) >= MAX_ROWS:
            report.file_problems.append(_("The file has more than %(limit)s rows.") % {"limit": f"{MAX_ROWS:,}"})
            report.rows = []
            return report
        report.rows.append(_clean_row(line, cells, mapping, lookups))
    if not report.rows:
        report.file_problems.append(_("The file has no member rows under its header."))
        return report
    _check_against_register(report, _Register.load())
    return report


def check_file(data: bytes, filename: str) -> ImportReport:
    """Read and validate a whole file. File-level problems (unreadable, too big…) are in `file_problems`."""
    try:
        header, rows = read_table(data, filename)
        return check_rows(header, rows)
    except ImportFileError as error:
        return ImportReport(file_problems=error.messages)


# --- Committing --------------------------------------------------------------------------------------

NEW_DEFAULTS = {"full_name_en": "", "email": "", "village": "", "status": Member.Status.ACTIVE, "sms_consent": True}


@transaction.atomic
def commit(report: ImportReport, *, by: User | None) -> tuple[int, int]:
    """Write a problem-free report: new members created, existing ones updated (only the file's columns).

    All or nothing. Under the share-cap lock the report is re-checked against the database as it is now;
    if anything changed in between that breaks a rule, ValidationError is raised and nothing is written.
    Linked accounts follow their record's mobile and e-mail; each written record gets an access-log line.
    Returns (created, updated).
    """
    services._advisory_lock(services.SHARE_CAP_LOCK)
    fresh = ImportReport(
        columns=report.columns, rows=[RowResult(line=r.line, values=dict(r.values)) for r in report.rows]
    )
    _check_against_register(fresh, _Register.load())
    if not report.ok or not fresh.ok:
        raise ValidationError(_("The file has problems; nothing was imported. Check it again and correct them."))
    now = timezone.now()
    columns = set(report.columns)
    existing = {
        member.membership_no: member
        for member in Member.objects.filter(
            membership_no__in=[row.values["membership_no"] for row in fresh.rows]
        ).select_related("user")
    }
    new_members, changed_members = [], []
    for row in fresh.rows:
        values = row.values
        member = existing.get(values["membership_no"])
        if member is None:
            member = Member(**{**NEW_DEFAULTS, **values})
            if "sms_consent" in values or "email_consent" in values:
                member.consent_updated_at = now
            new_members.append(member)
        else:
            if ("sms_consent" in values and values["sms_consent"] != member.sms_consent) or (
                "email_consent" in values and values["email_consent"] != member.email_consent
            ):
                member.consent_updated_at = now
            for key, value in values.items():
                setattr(member, key, value)
            changed_members.append(member)
        member.name_search = services.name_search_for(member.full_name_ar, member.full_name_en)
        member.updated_at = now
    Member.objects.bulk_create(new_members, batch_size=BATCH)
    update_fields = sorted((columns - {"membership_no"}) | {"name_search", "updated_at", "consent_updated_at"})
    Member.objects.bulk_update(changed_members, update_fields, batch_size=BATCH)
    _sync_accounts(changed_members, columns)
    if by is not None:
        AccessLog.objects.bulk_create(
            [
                AccessLog(viewer=by, member=m, action=AccessLog.Action.IMPORTED)
                for m in [*new_members, *changed_members]
            ],
            batch_size=BATCH,
        )
    return len(new_members), len(changed_members)


def _sync_accounts(members: list[Member], columns: set[str]) -> None:
    """Accounts sign in with the record's mobile and e-mail: copy changed ones over (clashes were refused)."""
    if not {"mobile", "email"} & columns:
        return
    users = []
    for member in members:
        user = member.user
        if user is None:
            continue
        mobile = str(member.mobile)
        if str(user.phone) != mobile or ("email" in columns and user.email != member.email):
            user.phone = mobile
            user.phone_verified = True
            if "email" in columns and not User.objects.filter(email__iexact=member.email).exclude(pk=user.pk).exists():
                user.email = member.email
            users.append(user)
    User.objects.bulk_update(users, ["phone", "phone_verified", "email"], batch_size=BATCH)


def import_file(data: bytes, filename: str, *, by: User | None) -> tuple[ImportReport, int, int]:
    """Check and, when there is no problem, commit (the management command). Returns (report, created, updated)."""
    report = check_file(data, filename)
    if not report.ok:
        return report, 0, 0
    created, updated = commit(report, by=by)
    return report, created, updated


# --- The staff form ----------------------------------------------------------------------------------


@transaction.atomic
def check_upload(*, data: bytes, filename: str, by: User) -> MemberImport:
    """Keep an uploaded file privately with its preview (the check of every row). Imports nothing yet."""
    report = check_file(data, filename)
    member_import = MemberImport(
        uploaded_by=by,
        original_name=filename[:200],
        total_rows=len(report.rows),
        new_rows=report.new_count,
        updated_rows=report.update_count,
        problem_rows=len(report.problem_rows),
        report=report.as_json(),
    )
    member_import.file.save(_safe_name(filename), ContentFile(data), save=False)
    member_import.save()
    return member_import


def _safe_name(filename: str) -> str:
    extension = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"register-{timezone.now():%Y%m%d-%H%M%S}{extension}"


def commit_upload(*, member_import: MemberImport, by: User) -> MemberImport:
    """Import a checked upload: read its file again, re-check it, commit all or nothing, record the counts.

    Raises ValidationError (nothing imported) if it was already imported or now has problems; the preview
    is then updated with the problems found.
    """
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        if locked.status != MemberImport.Status.CHECKED:
            raise ValidationError(_("This file was already imported or discarded."))
        with locked.file.open("rb") as stored:
            data = stored.read()
        report = check_file(data, locked.original_name)
        if report.ok:
            created, updated = commit(report, by=by)
            locked.status = MemberImport.Status.COMMITTED
            locked.new_rows, locked.updated_rows = created, updated
            locked.committed_at = timezone.now()
            locked.save(update_fields=["status", "new_rows", "updated_rows", "committed_at"])
            logger.info("register import %s: %s new, %s updated, by user %s", locked.pk, created, updated, by.pk)
            return locked
        locked.total_rows = len(report.rows)
        locked.problem_rows = len(report.problem_rows)
        locked.report = report.as_json()
        locked.save(update_fields=["total_rows", "problem_rows", "report"])
    raise ValidationError(_("The file has problems; nothing was imported. Check it again and correct them."))


@transaction.atomic
def discard_upload(*, member_import: MemberImport, by: User) -> MemberImport:
    """Drop a checked upload that will not be imported; the file is deleted, the row kept as a trace."""
    locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
    if locked.status != MemberImport.Status.CHECKED:
        raise ValidationError(_("This file was already imported or discarded."))
    locked.file.delete(save=False)
    locked.status = MemberImport.Status.DISCARDED
    locked.save(update_fields=["status", "file"])
    return locked
