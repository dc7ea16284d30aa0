"""The Celery app the fault tests start in a real worker process: the portal's own app, plus a slow SMS backend.

`SMS_BACKEND=slow_file` writes to the normal SMS file, but the first message (per SLOW_SMS_MARKER file) first
records the pool process id in the marker and sleeps SLOW_SMS_SECONDS: a message caught "mid-send", so a test
can kill the worker at exactly that moment.
"""

import os
import time
from pathlib import Path

from members import channels
from members_portal.celery import app


def _slow_file(to: str, text: str) -> None:
    marker = Path(os.environ["SLOW_SMS_MARKER"])
    if not marker.exists():
        marker.write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(float(os.environ.get("SLOW_SMS_SECONDS", "60")))
    channels.SMS_BACKENDS["file"](to, text)


channels.SMS_BACKENDS["slow_file"] = _slow_file

__all__ = ["app"]
