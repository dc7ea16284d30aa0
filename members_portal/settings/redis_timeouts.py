"""How long anything waits for Redis (broker and cache): half a second, then it is taken as down.

A Redis that stops answering (frozen, overloaded, a network partition) would otherwise hold a web request until it
answers again. With these timeouts a publish or a cache call fails fast, and members_portal.enqueue and
members_portal.cache then skip Redis for REDIS_RETRY_AFTER_S, so one request pays the half second, not every one.
Imported by base.py (one line).
"""

import os

REDIS_SOCKET_TIMEOUT_S = float(os.environ.get("REDIS_SOCKET_TIMEOUT_S", "0.5"))
REDIS_SOCKET_TIMEOUTS = {"socket_connect_timeout": REDIS_SOCKET_TIMEOUT_S, "socket_timeout": REDIS_SOCKET_TIMEOUT_S}
REDIS_RETRY_AFTER_S = 15.0


def redis_broker_options(redelivery: dict) -> dict:
    """Celery's transport options for a Redis broker: redelivery (settings/redelivery.py), the socket timeouts, and a
    publish that tries its connection once (kombu would otherwise wait 2 s and try again, inside a member's request;
    the worker's consumer reconnects on its own terms, broker_connection_retry)."""
    return {**redelivery, **REDIS_SOCKET_TIMEOUTS, "max_retries": 0}
