"""A page cache of one test's own: Redis (as in production) when ``REDIS_URL`` is set, under a
key prefix nobody else uses and emptied afterwards; otherwise a new local-memory cache."""

from __future__ import annotations

import contextlib
import uuid

from django.core.cache import cache


@contextlib.contextmanager
def page_cache_of_this_test(settings):
    redis_url = getattr(settings, "REDIS_URL", "")
    if redis_url:
        prefix = (
            f"{settings.CACHES['default'].get('KEY_PREFIX', 'lokalnie')}-test-{uuid.uuid4().hex}"
        )
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": prefix,
            }
        }
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"page-cache-test-{uuid.uuid4().hex}",
            }
        }
        cache.clear()
    try:
        yield redis_url
    finally:
        if redis_url:
            client = cache._cache.get_client(write=True)
            keys = list(client.scan_iter(match=prefix + ":*", count=1000))
            for start in range(0, len(keys), 500):
                client.delete(*keys[start : start + 500])
