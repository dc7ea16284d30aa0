"""The shared cache (Redis), made to degrade instead of fail or hang when Redis is away or frozen.

Sessions live in the database alone, and the cache holds only things that can
be recomputed, so a Redis restart must not turn members' page views into errors: reads miss, writes are dropped,
and a warning is logged. A call waits at most REDIS_SOCKET_TIMEOUT_S (settings/redis_timeouts.py); after a failure
this process skips Redis for REDIS_RETRY_AFTER_S, so a frozen Redis costs one request half a second, not every
request of every page several times. Everything else is Django's own RedisCache.
"""

import logging
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_down_until = 0.0  # monotonic time before which this process does not try Redis


def is_skipping_redis() -> bool:
    """True while this process skips the cache after a failure (reported by the health and ops checks)."""
    return time.monotonic() < _down_until


def _tolerant(method_name: str, fallback):
    def method(self, *args, **kwargs):
        global _down_until
        if is_skipping_redis():
            if fallback is RAISE:
                raise RedisConnectionError("the cache was unavailable a moment ago; not trying yet")
            return fallback(*args, **kwargs) if callable(fallback) else fallback
        try:
            return getattr(super(TolerantRedisCache, self), method_name)(*args, **kwargs)
        except _UNAVAILABLE as error:
            _down_until = time.monotonic() + settings.REDIS_RETRY_AFTER_S
            logger.warning("cache unavailable during %s: %s", method_name, error)
            if fallback is RAISE:
                raise
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = method_name
    return method


def _default(key, default=None, version=None):
    return default


RAISE = object()  # the caller handles the failure itself (a counter cannot be faked)


class TolerantRedisCache(RedisCache):
    """RedisCache whose reads miss and writes no-op while Redis does not answer. `incr` still raises."""

    get = _tolerant("get", _default)
    get_many = _tolerant("get_many", {})
    has_key = _tolerant("has_key", False)
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", [])
    add = _tolerant("add", False)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    incr = _tolerant("incr", RAISE)
