"""Periodic tasks of the project itself (not of an app)."""

import logging
import time

from celery import shared_task
from django.core.cache import cache

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "portal:worker-heartbeat"


@shared_task(ignore_result=True)
def worker_heartbeat() -> float:
    """Beat sends this every 30 s; a worker running it proves beat, broker and a worker all work.

    The readiness check (/healthz/ready) reads the time it wrote from the shared cache.
    """
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=3600)
    logger.debug("worker heartbeat written")
    return now
