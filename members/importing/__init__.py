"""Import of the cooperative's register from a CSV or XLSX file: check every row, then commit all or nothing.

`check_file(data, filename)` reads and validates a file against the database and returns an ImportReport
(each row's problems, in the active language: Arabic by default). `commit(report, by=…)` writes a report
that has no problems, in one transaction, re-checking it first against the database as it is then.
Re-importing updates existing members, matched by membership number; only the columns present in the
file are changed. `check_upload` / `commit_upload` do the same for the staff form, keeping the upload and
its preview in a MemberImport row.

The steps live in this package's modules: `reading` (the file as rows of cells, and the limits), `checking`
(each cell through its column's cleaner, then the rows against each other and the register), `report` (what the
check found, and the preview), `applying` (the write) and `uploads` (the staff form). What a column is called,
how it is cleaned and who may change it: `members/register_columns.py`. Import them from here.

Refused, with a message: files over MAX_BYTES or MAX_ROWS, unreadable or password-protected files, XLSX
that would inflate past MAX_UNPACKED_BYTES, missing required columns, formulas (cells of type formula in
XLSX, or text starting like one, e.g. `=cmd|…`), invisible bidi controls and other control characters,
malformed IDs, mobiles, e-mails, numbers and dates, duplicates inside the file, clashes with other
members or accounts, and any holding above the share cap.
"""

from members.importing.applying import commit, import_file
from members.importing.checking import HEADERS, check_file, check_rows, map_columns
from members.importing.reading import MAX_BYTES, MAX_ROWS, MAX_UNPACKED_BYTES, ImportFileError, read_table
from members.importing.report import ImportReport, RowResult
from members.importing.uploads import check_upload, commit_upload, discard_upload

__all__ = [
    "HEADERS",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "ImportFileError",
    "ImportReport",
    "RowResult",
    "check_file",
    "check_rows",
    "check_upload",
    "commit",
    "commit_upload",
    "discard_upload",
    "import_file",
    "map_columns",
    "read_table",
]
