"""Write a meeting's published ballot record as JSON (issue 18 item 4): `manage.py export_ballot_record MEETING_ID`
prints it, `-o RECORD.json` writes it to a file. Check it with `scripts/verify_ballot_record.py RECORD.json`."""

import json

from django.core.management.base import BaseCommand, CommandError

from assembly.models import Meeting
from ballots import record


class Command(BaseCommand):
    help = "Write a meeting's secret-ballot record (questions, ballots by receipt code, tallies, the log) as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")

    def handle(self, *args, meeting_id: int, output: str | None = None, **options) -> None:
        meeting = Meeting.objects.filter(pk=meeting_id).first()
        if meeting is None:
            raise CommandError(f"No meeting {meeting_id}.")
        text = json.dumps(record.build(meeting), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
        else:
            self.stdout.write(text, ending="")
