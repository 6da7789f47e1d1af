# SPDX-License-Identifier: EUPL-1.2
"""Django's Redis cache, made to fail open: when Redis is gone, the cache is empty, not an error.

Omzien keeps nothing in the cache that is not also in PostgreSQL (search choices, postcode points,
sessions read through ``cached_db``), so a Redis that stopped, restarts or is unreachable costs speed,
never a page: every read is a miss and every write is skipped, with one warning in the log per
minute. Django's own ``RedisCache`` raises instead, which would turn a cache outage into 500 pages.
Short socket timeouts keep an unreachable Redis (a host that drops packets) from stalling requests.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
T = TypeVar("T")
_last_warning = [0.0]


def _fail_open(fallback: Callable[..., Any]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    def decorate(method: Callable[..., T]) -> Callable[..., T]:
        @wraps(method)
        def guarded(self: FailOpenRedisCache, *args: Any, **kwargs: Any) -> T:
            try:
                return method(self, *args, **kwargs)
            except (
                self._lib.exceptions.RedisError
            ) as error:  # ConnectionError, TimeoutError, BusyLoadingError, …
                if time.monotonic() - _last_warning[0] > 60:
                    _last_warning[0] = time.monotonic()
                    logger.warning(
                        "Redis cache unavailable (%s); serving without the cache", type(error).__name__
                    )
                return fallback(*args, **kwargs)  # type: ignore[no-any-return]

        return guarded

    return decorate


def _miss(*args: Any, default: Any = None, **kwargs: Any) -> Any:
    # get(key, default=None, version=None): the default may come positionally.
    return args[1] if len(args) > 1 else default


class FailOpenRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` whose every operation survives a Redis outage."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)

    @property
    def _lib(self) -> Any:
        return self._cache._lib  # type: ignore[attr-defined]  # the redis module, imported by Django

    get = _fail_open(_miss)(RedisCache.get)
    add = _fail_open(lambda *a, **k: False)(RedisCache.add)
    set = _fail_open(lambda *a, **k: None)(RedisCache.set)
    touch = _fail_open(lambda *a, **k: False)(RedisCache.touch)
    delete = _fail_open(lambda *a, **k: False)(RedisCache.delete)
    get_many = _fail_open(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _fail_open(lambda *a, **k: False)(RedisCache.has_key)
    set_many = _fail_open(lambda *a, **k: [])(RedisCache.set_many)
    delete_many = _fail_open(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _fail_open(lambda *a, **k: False)(RedisCache.clear)
