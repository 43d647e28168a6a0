"""Time inside Django per request, without the network or the server: each page's WSGI
application called directly in this process, as a cookieless visitor (or with the page's
cookie, for a signed-in page), after the load test warmed the cache (medians of ``count``
calls). Prints one JSON object: {key: microseconds}.

    .venv/bin/python -m bench.inprocess PATHS_JSON [--count 300]

PATHS_JSON maps a page key to [path, cached] or [path, cached, cookie]: with cached false,
the registry's cache is switched off for that page (the cost of a cache miss); a cookie is
sent as the Cookie header.
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

    def call(path: str, cookie: str = "") -> int:
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
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        status = []
        body = application(environ, lambda code, headers: status.append(code))
        size = sum(len(chunk) for chunk in body)
        body.close()
        # A signed-in page must be the page itself, not a redirect to the login.
        expected = ("200",) if cookie else ("200", "301", "302")
        assert status[0].startswith(expected), (path, status[0])
        return size

    result = {"pages": {}, "parts": parts()}
    for key, (path, cached, *cookie) in paths.items():
        settings.REGISTRY_PAGE_CACHE = None if cached else False
        for _ in range(5):
            call(path, *cookie)
        times = []
        for _ in range(options.count):
            started = time.perf_counter()
            call(path, *cookie)
            times.append((time.perf_counter() - started) * 1e6)
        result["pages"][key] = round(statistics.median(times))
    settings.REGISTRY_PAGE_CACHE = None
    result["resolve"] = resolve_times(paths)
    return result


def resolve_times(paths: dict) -> dict:
    """URL resolution of each page's path: with the URLconf as it is, and with the registry's
    URLs before the certification module's (both under ``certyfikat/``), which
    ``lokalnie/urls.py`` now lists first. Only resolved here, never served that way."""
    import types

    from django.conf import settings
    from django.urls import URLResolver, get_resolver

    patterns = list(get_resolver(settings.ROOT_URLCONF).url_patterns)
    registry = [
        pattern
        for pattern in patterns
        if isinstance(pattern, URLResolver)
        and getattr(pattern.urlconf_module, "__name__", "") == "lokalnie.registry.urls"
    ]
    rest = [pattern for pattern in patterns if pattern not in registry]
    certification = next(
        index
        for index, pattern in enumerate(rest)
        if isinstance(pattern, URLResolver)
        and getattr(pattern.urlconf_module, "__name__", "") == "lokalnie.certification.urls"
    )
    reordered = types.ModuleType("bench_registry_first_urls")
    reordered.urlpatterns = rest[:certification] + registry + rest[certification:]
    sys.modules[reordered.__name__] = reordered
    now, registry_first = get_resolver(settings.ROOT_URLCONF), get_resolver(reordered.__name__)
    times = {}
    for key, (path, *_rest) in paths.items():
        route = path.partition("?")[0]
        times[key] = {
            "now_us": _median_us(lambda route=route: now.resolve(route)),
            "registry_first_us": _median_us(lambda route=route: registry_first.resolve(route)),
        }
    return times


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
    from django.urls import resolve

    from lokalnie.core import pagecache

    version, _ = pagecache.lookup("bench:version", "bench:page")
    pagecache.store("bench:page", version, b"x" * 6000, 60)
    pagecache.lookup("bench:version", "bench:page")  # kept in the process from now on
    client = pagecache._redis()
    keys = (cache.make_key("version:bench:version"), cache.make_key("bench:page"))
    return {
        "page_lookup_kept_us": _median_us(lambda: pagecache.lookup("bench:version", "bench:page")),
        "page_lookup_round_trip_us": _median_us(lambda: client.mget(keys)),
        "resolve_floor_us": _median_us(lambda: resolve("/bench/floor/")),
        "resolve_verification_us": _median_us(
            lambda: resolve("/certyfikat/weryfikacja/CAL-2020-0001/")
        ),
    }


if __name__ == "__main__":
    print(json.dumps(main()))
