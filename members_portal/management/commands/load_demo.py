"""Fill an empty database with the demo: accounts for every role, members, services, requests, answers.

Each app keeps its own part in `<app>/demo.py` as `seed(stdout) -> list[tuple[str, str, str]]`, returning the
demo logins it made (who, login, password). Running it twice changes nothing the second time.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_MODULES = [
    "members.demo",
    "members.outbox_demo",
    "requests_app.demo",
    "requests_app.demo_queue",
    "surveys.demo",
    "surveys.demo_reports",
    "assembly.demo",
    "assembly.demo_minutes",
    "ballots.demo",
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options) -> None:
        logins: list[tuple[str, str, str]] = []
        for name in DEMO_MODULES:
            with transaction.atomic():
                logins += import_module(name).seed(self.stdout) or []
        from members.demo import give_second_factors

        give_second_factors()
        self.stdout.write(self.style.SUCCESS("Demo logins:"))
        for who, login, password in logins:
            self.stdout.write(f"  {who:<28} {login:<28} {password}")
