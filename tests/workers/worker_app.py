"""The Celery app the fault tests start in a real worker process: the portal's own app, plus a slow SMS backend
and a slow receipt rendering.

`SMS_BACKEND=slow_file` writes to the normal SMS file, but the first message (per SLOW_SMS_MARKER file) first
records the pool process id in the marker and sleeps SLOW_SMS_SECONDS: a message caught "mid-send", so a test
can kill the worker at exactly that moment. With SLOW_RENDER_MARKER set, the first receipt rendered does the same
(a worker caught "mid-render").
"""

import os
import time
from pathlib import Path

from celery.signals import worker_process_init

from members import channels
from members_portal.celery import app


def _slow_file(to: str, text: str) -> None:
    marker = Path(os.environ["SLOW_SMS_MARKER"])
    if not marker.exists():
        marker.write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(float(os.environ.get("SLOW_SMS_SECONDS", "60")))
    channels.SMS_BACKENDS["file"](to, text)


channels.SMS_BACKENDS["slow_file"] = _slow_file


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
