from django.core.cache.backends.redis import RedisCache

from members_portal.cache import TolerantRedisCache


def redis_cache(location: str) -> TolerantRedisCache:
    return TolerantRedisCache(
        location, {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}, "KEY_PREFIX": "hg-test"}
    )


def test_the_shared_cache_round_trips_through_redis():
    cache = redis_cache("redis://127.0.0.1:6379/6")

    cache.set("probe", {"ok": 1}, 10)

    assert cache.get("probe") == {"ok": 1}
    cache.delete("probe")


def test_with_redis_away_reads_miss_and_writes_are_dropped(caplog):
    cache = redis_cache("redis://127.0.0.1:1/0")  # nothing listens there

    cache.set("probe", 1)

    assert cache.get("probe") is None
    assert cache.get("probe", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("probe", 1) is False
    assert "cache unavailable during set" in caplog.text


def test_plain_django_redis_cache_would_raise_there():
    """The reason for the subclass: without it, a Redis restart is a 500 on every page with a session."""
    import pytest
    from redis.exceptions import ConnectionError

    cache = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})

    with pytest.raises(ConnectionError):
        cache.get("probe")
