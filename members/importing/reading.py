"""Reading a register file: CSV (UTF-8 or Windows Arabic, comma, semicolon or tab) or the first sheet of an XLSX,
as a header row and numbered rows of cells. Refuses what cannot be read safely before any row is checked: files
over MAX_BYTES, unreadable or password-protected files, XLSX that would inflate past MAX_UNPACKED_BYTES."""

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 20_000


class ImportFileError(Exception):
    """The file as a whole cannot be read; `messages` says why (translated)."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)


class Formula(str):
    """A spreadsheet cell holding a formula: always refused, whatever it computes."""


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
        if any(cell_text(cell) for cell in header):
            return [cell_text(cell) for cell in header], numbered
    raise ImportFileError(_("The file is empty."))


def cell_text(value) -> str:
    """A cell as text: whole numbers without ".0" (Excel stores 20001 as 20001.0), dates in ISO 8601, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
