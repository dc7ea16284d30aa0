"""Benchmark: critical notices under provider faults, through the fallbacks (the drill in messaging/fault_drill.py).

Standalone: `.venv/bin/python bench/critical_delivery.py`. Uses DATABASE_URL (PostgreSQL; default
postgres://postgres@127.0.0.1:5432/bench_critical_delivery), creates and migrates that database if it does not exist
(and drops it afterwards), and removes everything it created. Each SMS provider is first once, with another one as
the fallback provider, beside WhatsApp's fake; the fakes answer a mix of faults (5xx, answers that never come,
refusals inside a 200 answer, refusals by HTTP status) and their reports come twice and once forged. Time is
simulated through the outbox's retry schedule (the drill's docstring says how); the providers' answers take real time.

Prints one JSON line per figure and run: critical_delivered_15min_pct (goal >= 98), refused_marked_delivered
(goal 0: rows marked sent or delivered that no fake took), sent_twice (goal 0: the same message taken twice by the
fakes on one channel, both SMS providers counted together), with the machine's load average beside each (the
machine may be shared with other work). BENCH_CRITICAL_NOTICES sets how many notices per run (default 300).
"""

import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[:] = [str(BASE_DIR), *(p for p in sys.path if Path(p or ".").resolve() != BASE_DIR / "bench")]

import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402

from bench._common import drop_database, ensure_database  # noqa: E402

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_critical_delivery")
os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "members_portal.settings.base")

NOTICES = int(os.environ.get("BENCH_CRITICAL_NOTICES", "300"))


def one_run(first: str) -> dict:
    from django.conf import settings

    from messaging import fake_whatsapp, fault_drill
    from messaging.fake_providers import FakeProvider

    second = fault_drill.SECOND_PROVIDER[first]
    with (
        FakeProvider(first, slow_s=0.8) as one,
        FakeProvider(second, slow_s=0.8) as two,
        fake_whatsapp.FakeWhatsApp(slow_s=0.8) as whatsapp,
    ):
        fault_drill.configure_fakes(settings, one, two, whatsapp)
        fault_drill.clean_up()
        try:
            return fault_drill.run(
                count=NOTICES, sms_fakes=[one, two], whatsapp=whatsapp, whatsapp_secret=fake_whatsapp.APP_SECRET
            )
        finally:
            fault_drill.clean_up()


def main() -> None:
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("bench/critical_delivery.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    created = ensure_database(url)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        from messaging.fault_drill import SECOND_PROVIDER

        call_command("migrate", verbosity=0)
        logging.disable(logging.ERROR)  # every injected fault and refused report logs a line: the figures say it
        setup_test_environment()  # e-mails kept in memory (counted), the test client's host allowed
        failed = []
        for first in SECOND_PROVIDER:
            figures = one_run(first)
            load = round(os.getloadavg()[0], 2)
            common = {"sms": f"{first} then {SECOND_PROVIDER[first]}", "notices": NOTICES, "load_average_1m": load}
            lines = [
                {"metric": "critical_delivered_15min_pct", "value": figures["critical_delivered_15min_pct"]}
                | {"unit": "%", "target": ">= 98"},
                {"metric": "refused_marked_delivered", "value": figures["marked_sent_or_delivered_but_refused"]}
                | {"unit": "messages", "target": "0"},
                {
                    "metric": "sent_twice",
                    "value": figures["sent_twice_sms"] + figures["sent_twice_whatsapp"] + figures["sent_twice_email"],
                    "unit": "messages",
                    "target": "0",
                    "reached_by_sms_and_email": figures["reached_by_sms_and_email"],
                },
            ]
            for line in lines:
                print(json.dumps(line | common))
            if figures["critical_delivered_15min_pct"] < 98 or lines[1]["value"] or lines[2]["value"]:
                failed.append(first)
        if failed:
            sys.exit(f"goals missed with {', '.join(failed)} first")
    finally:
        if created:
            from django.db import connections

            connections.close_all()
            drop_database(url)


if __name__ == "__main__":
    main()
