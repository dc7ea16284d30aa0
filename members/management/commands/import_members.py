"""Import the register from a CSV or XLSX file, like the staff form: check every row, then all or nothing."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from members import importing
from members.models import User


class Command(BaseCommand):
    help = (
        "Check a register file (CSV or XLSX) and import it when every row is correct. Existing members are "
        "updated by membership number. Nothing is written if any row has a problem."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="the .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check and report only; import nothing")
        parser.add_argument(
            "--by", default="", help="username or e-mail of the staff account the access log names (recommended)"
        )

    def handle(self, *args, path: Path, dry_run: bool, by: str, **options) -> None:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = None
        if by:
            actor = User.objects.filter(Q(username=by) | Q(email__iexact=by)).first()
            if actor is None:
                raise CommandError(f"No account {by!r}")
        report = importing.check_file(path.read_bytes(), path.name)
        for problem in report.file_problems:
            self.stderr.write(problem)
        for row in report.problem_rows:
            self.stderr.write(f"{row.line}: {row.values.get('membership_no', '')} " + " | ".join(row.problems))
        if not report.ok:
            raise CommandError(
                f"{len(report.problem_rows)} of {len(report.rows)} rows have problems; nothing was imported."
            )
        if dry_run:
            self.stdout.write(
                f"{len(report.rows)} rows correct: {report.new_count} new, {report.update_count} updates."
            )
            return
        try:
            created, updated = importing.commit(report, by=actor)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Imported {len(report.rows)} rows: {created} new, {updated} updated."))
