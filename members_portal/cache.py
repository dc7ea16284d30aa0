"""The shared cache (Redis), made to degrade instead of fail when Redis is briefly away.

Sessions live in the database alone, and the cache holds only things that can
be recomputed, so a Redis restart must not turn members' page views into errors: reads miss, writes are dropped,
and a warning is logged. Everything else is Django's own RedisCache.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(method_name: str, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(TolerantRedisCache, self), method_name)(*args, **kwargs)
        except _UNAVAILABLE as error:
            logger.warning("cache unavailable during %s: %s", method_name, error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = method_name
    return method


def _default(key, default=None, version=None):
    return default


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
