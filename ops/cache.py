"""A Redis cache that degrades to "no cache" instead of failing the request.

The portal must answer from the database when Redis is down or hangs: every page, form
and admin save treats the cache as an accelerator, never as a dependency. Django's
RedisCache raises on a refused or timed-out connection; this subclass logs the failure
and answers as an empty cache would (get → default, add/set → False, incr → CacheUnavailable).

A small circuit breaker keeps a hanging Redis from costing every cache call its socket
timeout: after a failure, calls skip the network for RETRY_AFTER seconds, then one call
probes again (PING). When a probe succeeds, the callbacks registered with `on_recovery` run once
in this process (the page cache uses it to drop pages that may have missed an invalidation).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Not only refused or timed-out connections: a Redis that answers with an error (full at
# maxmemory with noeviction, still loading its append-only file after a restart, protected
# mode, a read-only replica after a failover) must not fail a page or roll back a save
# either. Seen in the compose rehearsal: one such answer stopped `migrate` (a data migration's
# save invalidates the page cache).
FAILURES = (RedisError, OSError)
RETRY_AFTER = 2.0


class CacheUnavailable(ValueError):
    """incr/decr could not reach the cache. A ValueError, as for a missing key, so that
    callers written for Django's API (django-ratelimit) treat it as "no count"."""


class _Breaker:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.down_since: float | None = None
        self.callbacks: list[Callable[[], None]] = []

    def allows(self) -> bool:
        return time.monotonic() >= self.open_until

    def failed(self, exc: BaseException, operation: str) -> None:
        with self.lock:
            first = self.down_since is None
            if first:
                self.down_since = time.monotonic()
            self.open_until = time.monotonic() + RETRY_AFTER
        if first:
            logger.error("Cache unreachable (%s on %s); serving without it", type(exc).__name__, operation)

    def succeeded(self) -> None:
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is None:
                return
            outage = time.monotonic() - self.down_since
            self.down_since = None
            self.open_until = 0.0
        logger.warning("Cache reachable again after %.1f s", outage)
        for callback in list(self.callbacks):
            try:
                callback()
            except Exception:  # a recovery step must not fail the request that noticed
                logger.exception("Cache recovery step failed")


breaker = _Breaker()


def on_recovery(callback: Callable[[], None]) -> None:
    """Run `callback` in this process whenever the cache answers again after an outage."""
    if callback not in breaker.callbacks:
        breaker.callbacks.append(callback)


def cache_is_up() -> bool:
    """False while this process believes the cache (and the broker on the same Redis) is down."""
    return breaker.down_since is None or breaker.allows()


_MISSING = object()


def _guarded(name: str, fallback):
    method = getattr(RedisCache, name)

    def wrapper(self, *args, **kwargs):
        if not breaker.allows():
            return fallback(*args, **kwargs)
        try:
            if breaker.down_since is not None:
                # Probe first, so that the recovery steps run before this call reads or
                # writes anything (a page read now could predate an invalidation).
                self._cache.get_client(write=True).ping()
                breaker.succeeded()
            return method(self, *args, **kwargs)
        except FAILURES as exc:
            breaker.failed(exc, name)
            return fallback(*args, **kwargs)

    wrapper.__name__ = name
    return wrapper


def _unavailable(*args, **kwargs):
    raise CacheUnavailable("cache unreachable")


def _get_default(key, default=None, version=None):
    return default


class ResilientRedisCache(RedisCache):
    get = _guarded("get", _get_default)
    get_many = _guarded("get_many", lambda *a, **k: {})
    has_key = _guarded("has_key", lambda *a, **k: False)
    add = _guarded("add", lambda *a, **k: False)
    set = _guarded("set", lambda *a, **k: None)
    set_many = _guarded("set_many", lambda data, *a, **k: list(data))
    touch = _guarded("touch", lambda *a, **k: False)
    delete = _guarded("delete", lambda *a, **k: False)
    delete_many = _guarded("delete_many", lambda *a, **k: None)
    incr = _guarded("incr", _unavailable)
    decr = _guarded("decr", _unavailable)
    clear = _guarded("clear", lambda *a, **k: False)
