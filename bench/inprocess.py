"""Time inside Django per request, without the network or the server: each page's WSGI
application called directly in this process, as a cookieless visitor, after the load test
warmed the cache (medians of ``count`` calls). Prints one JSON object: {key: microseconds}.

    .venv/bin/python -m bench.inprocess PATHS_JSON [--count 300]

PATHS_JSON maps a page key to [path, cached]: with cached false, the registry's cache is
switched off for that page (the cost of a cache miss).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time

from bench.common import setup_django


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths")
    parser.add_argument("--count", type=int, default=300)
    options = parser.parse_args(argv)
    setup_django()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    application = WSGIHandler()
    paths = json.loads(options.paths)

    def call(path: str) -> int:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8100",
            "HTTP_HOST": "127.0.0.1:8100",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        status = []
        body = application(environ, lambda code, headers: status.append(code))
        size = sum(len(chunk) for chunk in body)
        body.close()
        assert status[0].startswith(("200", "301", "302")), (path, status[0])
        return size

    result = {"pages": {}, "parts": parts()}
    for key, (path, cached) in paths.items():
        settings.REGISTRY_PAGE_CACHE = None if cached else False
        for _ in range(5):
            call(path)
        times = []
        for _ in range(options.count):
            started = time.perf_counter()
            call(path)
            times.append((time.perf_counter() - started) * 1e6)
        result["pages"][key] = round(statistics.median(times))
    settings.REGISTRY_PAGE_CACHE = None
    result["client_kept"] = client_kept(call, paths)
    return result


def client_kept(call, paths: dict) -> dict:
    """What if Django's Redis backend kept its client instead of building one per call: the
    cached pages timed again with that one change (in this process only)."""
    from django.core.cache.backends.redis import RedisCacheClient

    build = RedisCacheClient.get_client
    clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in clients:
            clients[index] = build(self, key, write=write)
        return clients[index]

    RedisCacheClient.get_client = get_client
    try:
        return {
            key: _median_us(lambda path=path: call(path), 1000)
            for key, (path, cached) in paths.items()
            if cached
        }
    finally:
        RedisCacheClient.get_client = build


def _median_us(function, count: int = 2000) -> float:
    for _ in range(20):
        function()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1e6, 1)


def parts() -> dict:
    """What a page served from the cache adds to the floor, each part timed alone."""
    from django.core.cache import cache
    from django.middleware.csrf import get_token
    from django.test import RequestFactory
    from django.urls import resolve

    factory = RequestFactory()
    cache.set("bench:page", b"x" * 6000, 60)
    return {
        "cache_get_many_6kb_us": _median_us(lambda: cache.get_many(["bench:v", "bench:page"])),
        "redis_client_object_us": _median_us(lambda: cache._cache.get_client("bench:page")),
        "csrf_token_new_visitor_us": _median_us(lambda: get_token(factory.get("/"))),
        "resolve_floor_us": _median_us(lambda: resolve("/bench/floor/")),
        "resolve_verification_us": _median_us(
            lambda: resolve("/certyfikat/weryfikacja/CAL-2020-0001/")
        ),
    }


if __name__ == "__main__":
    print(json.dumps(main()))
