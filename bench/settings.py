"""Production-like settings for the benchmarks: ``lokalnie.settings`` with
``LOKALNIE_ENV=production`` and DEBUG off, the bench database, Redis for the cache and
sessions, and one extra URL, the framework floor (``bench/urls.py``).

Everything the production settings require is given here unless the environment already
has it, so ``DJANGO_SETTINGS_MODULE=bench.settings`` works on a fresh clone:

- ``SECRET_KEY``: random (``make bench`` passes one key to every process it starts);
- ``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/lokalnie_bench``);
- ``BENCH_REDIS_URL`` (default ``redis://127.0.0.1:6379/14``) and ``CACHE_KEY_PREFIX``;
- ``BENCH_STATIC_ROOT``: where ``collectstatic`` puts the files WhiteNoise serves;
- the credential key: the development key in ``var/keys/`` (created by ``bench.generate``).
"""

import os
import secrets
import tempfile
from pathlib import Path

_BASE = Path(__file__).resolve().parent.parent
DEV_KEY_FILE = _BASE / "var" / "keys" / "credential-signing-key.pem"
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lokalnie_bench"
)
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
BENCH_HOST = "127.0.0.1"
BENCH_PORT = int(os.environ.get("BENCH_PORT", "8100"))

# lokalnie.settings reads these at import; the production branch refuses to start without
# them. The bench never targets anything but 127.0.0.1.
os.environ["LOKALNIE_ENV"] = "production"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ["ALLOWED_HOSTS"] = BENCH_HOST
os.environ["SITE_URL"] = f"http://{BENCH_HOST}:{BENCH_PORT}"
os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
os.environ["REDIS_URL"] = BENCH_REDIS_URL
os.environ.setdefault("CACHE_KEY_PREFIX", "lokalnie-bench")
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["CREDENTIAL_SIGNING_KEY_FILE"] = str(DEV_KEY_FILE)
os.environ.setdefault("DATA_DIR", str(_BASE / "var" / "bench"))
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["STATIC_ROOT"] = os.environ.get("BENCH_STATIC_ROOT") or str(
    Path(tempfile.gettempdir()) / "lokalnie-bench-static"
)

from lokalnie.settings import *  # noqa: E402, F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
# Spelled out (lokalnie.settings derives the same from REDIS_URL) so the bench settings
# say what they measure: Redis cache, cached_db sessions.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": BENCH_REDIS_URL,
        "KEY_PREFIX": os.environ["CACHE_KEY_PREFIX"],
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SECURE_SSL_REDIRECT = False
