"""Public pages for anonymous visitors, rendered once and then served from a shared cache
until what they show changes (docs/decisions/0015-page-cache.md).

Each entry is stored with the *version* it was rendered under, kept under a version key of
its own (a certificate's, the registry's, ...). Whoever changes what a version covers calls
``forget(version_key)``: the version is deleted at once and again after commit, so the next
request renders afresh. A reader fixes the version before it reads the database, so a page
rendered from data that changed meanwhile is stored under a version that no longer exists.

The key of a page holds the language, the scheme, the host, the full path and the day (a
certificate past its last day shows as expired from midnight). Signed-in visitors, requests
with messages to show and anything but GET/HEAD are never served from the cache.

With Django's Redis backend as the default cache, the lookups go through one redis-py client
kept for the process and fetch the version and the entry in one ``MGET``; the values are
written as Django's backend writes them (pickled), under the same keys (``cache.make_key``:
the configured ``KEY_PREFIX``), so Django's cache API and this module see the same entries.
With any other backend (the local-memory cache in development and tests) everything goes
through Django's cache API.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import secrets
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_SECONDS = 24 * 60 * 60
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


def cache_on() -> bool:
    """On by default in production with a shared cache (Redis), where every process sees the
    deletions of ``forget``; ``REGISTRY_PAGE_CACHE = True`` or ``False`` in the settings
    decides otherwise (the setting's name is older than this module)."""
    configured = getattr(settings, "REGISTRY_PAGE_CACHE", None)
    if configured is not None:
        return bool(configured)
    backend = settings.CACHES["default"]["BACKEND"]
    return settings.PRODUCTION and not backend.endswith(("LocMemCache", "DummyCache"))


# --- The Redis client kept for the process -----------------------------------------------
#
# Django's Redis backend builds a new ``redis.Redis`` object on every call (tens of µs). This
# one is built on first use, in the process that uses it (a gunicorn worker, after the fork);
# redis-py's connection pool also checks the process id and starts afresh after a fork.

_NOT_REDIS = object()
_client = None


def _redis():
    """The kept redis-py client when the default cache is Django's Redis backend, else None."""
    global _client
    client = _client
    if client is None:
        config = settings.CACHES["default"]
        if config["BACKEND"] != REDIS_BACKEND:
            client = _NOT_REDIS
        else:
            import redis

            # Writes go to the first server in Django's backend; so do reads here, which
            # also makes a deletion visible to the next read at once.
            client = redis.Redis.from_url(_first_server(config["LOCATION"]))
        _client = client
    return None if client is _NOT_REDIS else client


def _first_server(location) -> str:
    servers = location.split(",") if isinstance(location, str) else list(location)
    return servers[0].strip()


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    global _client
    if setting == "CACHES":
        client, _client = _client, None
        if client is not None and client is not _NOT_REDIS:
            client.close()
        with _local.lock:
            _local.reset()


def _dumps(value) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)  # as Django's RedisSerializer


# --- Versions and entries kept in the process, told of every change by Redis -------------
#
# A round trip to Redis costs a cached page more than everything else it does. So each
# process keeps the versions it has read and the entries stored under them, and Redis tells
# it whenever a version changes: one connection per process is subscribed to Redis's
# invalidation messages for every key under the versions' prefix (``CLIENT TRACKING ...
# BCAST PREFIX``, Redis 6 or newer). Before it answers from what it keeps, the process reads
# the messages waiting on that connection (a non-blocking read) and drops the versions
# named. Redis queues them before it writes its answer to the deleting process (both go out
# in the same pass of its event loop), so a change shows at once in every process. The
# connection is also pinged every ``_PING_SECONDS``: the process answers from what it keeps
# only while the last answered ping was sent at most ``_TRUST_SECONDS`` ago (everything
# Redis sent before that answer has been read), so a connection that dies silently delays a
# change by at most that long. Otherwise, and after any error, it asks Redis as above.

_PING_SECONDS = 0.25
_TRUST_SECONDS = 1.0
_LOCAL_BYTES = 16 * 1024 * 1024  # per process, least recently used first out
_RETRY_SECONDS = (1, 2, 4, 8, 15, 30, 60)  # after a failure to subscribe, then more rarely


class _Local:
    def __init__(self):
        self.lock = threading.Lock()
        self.failures = 0
        self.reset()

    def reset(self, *, retry_at: float = 0.0) -> None:
        client = getattr(self, "client", None)
        self.client = self.connection = None  # the client owns the connection: keep both
        self.client_id = None
        self.pid = None
        self.versions: dict[str, str] = {}
        self.entries: OrderedDict[str, tuple[str, object, int]] = OrderedDict()
        self.size = 0
        self.ping_sent_at = None  # when the ping now awaiting its answer was sent
        self.fresh_as_of = float("-inf")  # when the last answered ping was sent
        # Counts the resets and the messages that dropped versions; never goes back.
        self.generation = getattr(self, "generation", 0) + 1
        self.retry_at = retry_at
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()  # after a fork, closes without shutting the parent's down

    def _connect(self, now: float) -> bool:
        import redis

        config = settings.CACHES["default"]
        prefix = cache.make_key(_VERSION_PREFIX)
        if cache.make_key(_VERSION_PREFIX + "x") != prefix + "x":
            self.retry_at = float("inf")  # a key function whose keys share no prefix
            return False
        try:
            # RESP2: the invalidation messages come as Pub/Sub messages on this connection.
            client = redis.Redis.from_url(
                _first_server(config["LOCATION"]), protocol=2, single_connection_client=True
            )
            connection = client.connection
            own_id = client.client_id()
            client.execute_command(
                "CLIENT", "TRACKING", "ON", "REDIRECT", own_id, "BCAST", "PREFIX", prefix
            )
            connection.send_command("SUBSCRIBE", _INVALIDATE_CHANNEL)
            reply = connection.read_response()
            if not (isinstance(reply, list) and reply[0] == b"subscribe"):
                raise redis.RedisError(f"unexpected reply to SUBSCRIBE: {reply!r}")
        except Exception:
            logger.warning("Page cache: no invalidation messages from Redis", exc_info=True)
            self._failed(now)
            return False
        self.client, self.connection, self.pid = client, connection, os.getpid()
        self.client_id = own_id
        self.failures = 0
        self.ping_sent_at = None
        self.fresh_as_of = now  # subscribed now: every later change will be told
        return True

    def fresh(self, now: float) -> bool:
        """Whether what this process keeps may be served now; reads the waiting messages."""
        if self.pid != os.getpid():
            if self.pid is not None:
                self.reset()  # a forked child: the parent's connection is not its own
            if now < self.retry_at or not self._connect(now):
                return False
        connection = self.connection
        try:
            while connection._sock is not None and connection.can_read(timeout=0):
                self._message(connection.read_response(), now)
            if connection._sock is None:
                raise ConnectionError("the invalidation connection is closed")
            if self.ping_sent_at is None and now - self.fresh_as_of >= _PING_SECONDS:
                connection.send_command("PING")
                self.ping_sent_at = now
        except Exception:
            logger.warning("Page cache: lost the invalidation messages from Redis", exc_info=True)
            self._failed(now)
            return False
        return now - self.fresh_as_of <= _TRUST_SECONDS

    def _failed(self, now: float) -> None:
        wait = _RETRY_SECONDS[min(self.failures, len(_RETRY_SECONDS) - 1)]
        self.failures += 1
        self.reset(retry_at=now + wait)

    def _message(self, message, now: float) -> None:
        kind = message[0] if isinstance(message, list) and message else None
        if kind == b"message":
            keys = message[2]
            if keys is None:  # the whole database was flushed
                self.versions.clear()
            else:
                for key in keys:
                    self.versions.pop(key.decode(), None)
            self.generation += 1
        elif kind == b"pong":
            if self.ping_sent_at is not None:
                self.fresh_as_of = self.ping_sent_at
            self.ping_sent_at = None
        else:
            raise ValueError(f"unexpected message: {message!r}")

    def get(self, version_key: str, key: str):
        version = self.versions.get(version_key)
        entry = self.entries.get(key)
        if version is None or entry is None or entry[0] != version:
            return None
        self.entries.move_to_end(key)
        return version, entry[1]

    def keep(self, version_key: str, version: str, key: str | None = None, value=None) -> None:
        if self.connection is None:
            return
        self.versions[version_key] = version
        if key is None:
            return
        size = len(value) if isinstance(value, bytes | str) else len(_dumps(value))
        if size > _LOCAL_BYTES // 8:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= old[2]
        self.entries[key] = (version, value, size)
        self.size += size
        while self.size > _LOCAL_BYTES:
            _key, (_version, _value, dropped) = self.entries.popitem(last=False)
            self.size -= dropped

    def forget(self, version_keys) -> None:
        for version_key in version_keys:
            self.versions.pop(version_key, None)


_VERSION_PREFIX = "version:"
_now = time.monotonic
_INVALIDATE_CHANNEL = "__redis__:invalidate"
_local = _Local()


# --- Versions and entries ------------------------------------------------------------------


def lookup(version_key: str, key: str) -> tuple[str, object | None]:
    """(the current version, the value cached under it or None); a missing version is
    created before the caller reads the database. With Redis: from what this process keeps
    when nothing has changed, otherwise in one round trip."""
    client = _redis()
    if client is None:
        found = cache.get_many([_VERSION_PREFIX + version_key, key])
        version, entry = found.get(_VERSION_PREFIX + version_key), found.get(key)
        if version is not None and entry is not None and entry[0] == version:
            return version, entry[1]
        if version is None:
            version = secrets.token_hex(8)
            if not cache.add(_VERSION_PREFIX + version_key, version, VERSION_SECONDS):
                version = cache.get(_VERSION_PREFIX + version_key, version)
        return version, None

    made_version_key, made_key = cache.make_key(_VERSION_PREFIX + version_key), cache.make_key(key)
    generation = None  # kept only if no message dropped a version meanwhile (other threads)
    with _local.lock:
        if _local.fresh(_now()):
            found = _local.get(made_version_key, made_key)
            if found is not None:
                return found
            generation = (_local.pid, _local.generation)
    raw_version, raw_entry = client.mget((made_version_key, made_key))
    version = None if raw_version is None else pickle.loads(raw_version)  # noqa: S301
    entry = None if raw_entry is None else pickle.loads(raw_entry)  # noqa: S301
    if version is not None and entry is not None and entry[0] == version:
        if generation is not None:
            with _local.lock:
                if generation == (_local.pid, _local.generation):
                    _local.keep(made_version_key, version, made_key, entry[1])
        return version, entry[1]
    if version is None:
        version = secrets.token_hex(8)
        if not client.set(made_version_key, _dumps(version), ex=VERSION_SECONDS, nx=True):
            raw_version = client.get(made_version_key)
            if raw_version is not None:
                version = pickle.loads(raw_version)  # noqa: S301
    return version, None


def store(key: str, version: str, value, seconds: int) -> None:
    """Keep ``value`` under ``key`` for the version ``lookup`` gave."""
    client = _redis()
    if client is None:
        cache.set(key, (version, value), seconds)
    else:
        client.set(cache.make_key(key), _dumps((version, value)), ex=seconds)


def forget(*version_keys: str) -> None:
    """What these versions cover has changed. Delete them now, so this transaction's own
    later reads are fresh, and again after commit, because a request may have cached what it
    read before the commit in the meantime. Every process that keeps them is told by Redis;
    this one drops them at once."""
    keys = [_VERSION_PREFIX + key for key in version_keys]

    def delete():
        if _redis() is not None:
            with _local.lock:
                _local.forget([cache.make_key(key) for key in keys])
        cache.delete_many(keys)

    delete()
    transaction.on_commit(delete, robust=True)


# --- Whole pages -------------------------------------------------------------------------
#
# No cached page should need a CSRF token (the layout's language switch needs none). If one
# does, it is rendered with a placeholder that each response replaces with the visitor's
# own token.


def _csrf_placeholder() -> str:
    # The same in every process of a deployment, and not guessable (it must never appear in
    # data shown on a page). It changes with SECRET_KEY, and so does the key of every page.
    return _placeholder_for(settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _placeholder_for(secret: str) -> str:
    digest = salted_hmac("lokalnie.registry.page-cache", "csrf", secret=secret, algorithm="sha256")
    return "csrf-" + digest.hexdigest()


def _anonymous_without_messages(request) -> bool:
    if not request.COOKIES:
        # No session cookie, so nobody is signed in and no message waits (messages are kept
        # in a cookie or in the session): no need to open the session to know.
        return True
    from django.contrib import messages

    return not request.user.is_authenticated and not len(messages.get_messages(request))


def cached_page(request, *, version_key: str, seconds: int, render_page):
    """The page ``render_page(extra_context)`` renders, from the cache when it may be: for
    anonymous visitors without messages, on GET and HEAD, when the cache is on. Only 200
    responses are stored."""
    if not (
        cache_on() and request.method in ("GET", "HEAD") and _anonymous_without_messages(request)
    ):
        return render_page({})
    placeholder = _csrf_placeholder()
    place = [get_language() or "", request.scheme, request.get_host(), request.get_full_path()]
    place += [timezone.localdate().isoformat(), placeholder]
    page_key = "page:" + hashlib.sha256("\n".join(place).encode()).hexdigest()
    version, html = lookup(version_key, page_key)
    if html is not None:
        response = HttpResponse(html)
    else:
        response = render_page({"csrf_token": placeholder})
        if response.status_code == 200:
            store(page_key, version, response.content, seconds)
    # The same address shows signed-in visitors another page.
    patch_vary_headers(response, ("Cookie",))
    if placeholder.encode() in response.content:
        token = get_token(request).encode()
        response.content = response.content.replace(placeholder.encode(), token)
    return response
