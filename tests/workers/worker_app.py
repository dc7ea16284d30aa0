"""The Celery app the fault tests start in a real worker process: the portal's own app, plus a slow SMS backend
and a slow receipt rendering.

`SMS_BACKEND=slow_file` writes to the normal SMS file; the first message (per SLOW_SMS_MARKER file) records the
pool process id in the marker and sleeps SLOW_SMS_SECONDS, so a test can kill the worker at exactly that moment.
SLOW_SMS_AFTER=1 sleeps after the message was written (the gateway took it, the outcome is not recorded yet);
otherwise before (a slow gateway that has not taken it yet). `SMS_BACKEND=paced_file` takes SLOW_SMS_SECONDS per
message (a gateway's round trip), so tasks running at once really overlap. CLAIM_PAUSE_S holds each claim between
reading the claimable rows and taking them (a loaded database), so claims running at once overlap too.
With SLOW_RENDER_MARKER set, the first receipt rendered waits like the first SMS (a worker caught "mid-render").
"""

import os
import time
from pathlib import Path

from celery.signals import worker_process_init

from members import channels
from members_portal.celery import app


def _slow_file(to: str, text: str, reference: str) -> None:
    marker = Path(os.environ["SLOW_SMS_MARKER"])
    after = os.environ.get("SLOW_SMS_AFTER") == "1"
    first = not marker.exists()
    if after or not first:
        channels.SMS_BACKENDS["file"](to, text, reference)
    if first:
        marker.write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(float(os.environ.get("SLOW_SMS_SECONDS", "60")))
        if not after:
            channels.SMS_BACKENDS["file"](to, text, reference)


def _paced_file(to: str, text: str, reference: str) -> None:
    time.sleep(float(os.environ.get("SLOW_SMS_SECONDS", "0.05")))
    channels.SMS_BACKENDS["file"](to, text, reference)


def _paused_claims() -> None:
    from django.db.models.query import QuerySet

    pause, real_update = float(os.environ["CLAIM_PAUSE_S"]), QuerySet.update

    def update(self, **values):
        if self.model.__name__ == "Notification" and values.get("status") == "sending":
            time.sleep(pause)
        return real_update(self, **values)

    QuerySet.update = update


if os.environ.get("CLAIM_PAUSE_S"):
    _paused_claims()
channels.SMS_BACKENDS["slow_file"] = _slow_file
channels.SMS_BACKENDS["paced_file"] = _paced_file


@worker_process_init.connect
def _slow_first_render(**kwargs) -> None:
    """In each pool process (Django is set up by then): the first receipt rendered waits (SLOW_RENDER_MARKER)."""
    if not os.environ.get("SLOW_RENDER_MARKER"):
        return
    from requests_app import receipts

    render_pdf = receipts.render_pdf

    def slow_render_pdf(*args, **kwargs) -> bytes:
        marker = Path(os.environ["SLOW_RENDER_MARKER"])
        if not marker.exists():
            marker.write_text(str(os.getpid()), encoding="utf-8")
            time.sleep(60)
        return render_pdf(*args, **kwargs)

    receipts.render_pdf = slow_render_pdf


__all__ = ["app"]
