"""What checking a register file finds: each row's values as the record stores them and its problems, the file's
own problems, and the counts and sample the preview page shows."""

from dataclasses import dataclass, field

PREVIEW_PROBLEM_ROWS = 1000  # rows with problems kept for the preview page (the counts are always complete)
PREVIEW_SAMPLE_ROWS = 10  # rows without problems shown as a sample


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
