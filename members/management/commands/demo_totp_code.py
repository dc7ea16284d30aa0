"""Print the current authenticator-app code of the demo's staff, board and administrators (demo data only)."""

from django.core.management.base import BaseCommand

from members.demo import DEMO_TOTP_SECRET
from members.two_factor import current_totp_code


class Command(BaseCommand):
    help = "Print the demo's current second-factor code (the secret load_demo printed)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(current_totp_code(DEMO_TOTP_SECRET))
