"""Lokalnie settings: one file, read from environment variables.

Safe development defaults (SQLite, console e-mail, in-process cache) so the app runs
with no configuration; ``LOKALNIE_ENV=production`` turns on everything
``manage.py check --deploy`` asks for and requires the secrets. Every variable is
listed in ``.env.example`` and in the README's configuration table.
"""

from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from lokalnie.env import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env.str("DATA_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env.choice("LOKALNIE_ENV", "development", ["development", "production"])
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
else:
    SECRET_KEY = env.str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set in production (comma-separated host names)."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "lokalnie.core",
    "lokalnie.accounts",
    "lokalnie.institutions",
    "lokalnie.certification",
    "lokalnie.registry",
    "lokalnie.training",
    "lokalnie.revitalization",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "lokalnie.accounts.middleware.MFARequiredMiddleware",
]

ROOT_URLCONF = "lokalnie.urls"
WSGI_APPLICATION = "lokalnie.wsgi.application"
ASGI_APPLICATION = "lokalnie.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lokalnie" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lokalnie.core.context_processors.platform",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.database_url("DATABASE_URL", f"sqlite:///{DATA_DIR / 'lokalnie.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", "lokalnie"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", 60 * 60 * 8, minimum=300)

# --- Background tasks (django.tasks + django-tasks-db) --------------------------------
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[env.choice("TASKS_BACKEND", "database", sorted(_TASK_BACKENDS))],
    }
}

# --- Accounts (django-allauth) --------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.choice(
    "ACCOUNT_EMAIL_VERIFICATION", "mandatory", ["mandatory", "optional", "none"]
)
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Lokalnie] "
ACCOUNT_ADAPTER = "lokalnie.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "lokalnie.accounts.forms.SignupForm"}
# Throttling: failed logins per IP and per account, password resets, sign-ups.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Behind a reverse proxy the client address comes from X-Forwarded-For; say how many
# proxies to trust so that per-address login throttling counts people, not the proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0, minimum=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Lokalnie"
# Roles whose accounts must have a second factor before they can do anything else.
MFA_REQUIRED_ROLES = ["staff", "board", "committee", "assessor"]

# --- E-mail ---------------------------------------------------------------------------
_EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env.str("EMAIL_HOST", "localhost"),
        "port": env.int("EMAIL_PORT", 25, minimum=1),
        "username": env.str("EMAIL_HOST_USER", ""),
        "password": env.str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        "timeout": env.int("EMAIL_TIMEOUT", 30, minimum=1),
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Lokalnie <no-reply@lokalnie.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Uploads live outside the web root and are only served through views
        # that check permission.
        "OPTIONS": {"location": str(DATA_DIR / "uploads"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# --- TERYT register -------------------------------------------------------------------
TERYT_FILE = Path(
    env.str("TERYT_FILE", str(BASE_DIR / "lokalnie/institutions/data/terc-2024-01-01.csv"))
)

# --- Security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint and fontTools report every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Certificates and credentials ------------------------------------------------------
# (lokalnie.registry; see docs/registry.md)
# PEM private key that signs certificate credentials and status lists. When unset in
# development a key is generated once into DATA_DIR/keys/ (mode 0600); in production it
# must be set, or issuing a certificate stops with an error naming this variable.
CREDENTIAL_SIGNING_KEY_FILE = env.str("CREDENTIAL_SIGNING_KEY_FILE", "") or None
CREDENTIAL_DEV_KEY_DIR = DATA_DIR / "keys"
# Optional directory of older public (or private) PEM keys, *.pem: still published in
# /.well-known/jwks.json so that credentials signed with them keep verifying.
CREDENTIAL_PUBLISHED_KEYS_DIR = env.str("CREDENTIAL_PUBLISHED_KEYS_DIR", "") or None
# The issuer of credentials: its id is the site's address (https in production).
CREDENTIAL_ISSUER_ID = SITE_URL + "/"
CREDENTIAL_ISSUER_NAME = "Stowarzyszenie Centrum Wspierania Aktywności Lokalnej CAL"
# Map tiles of the public registry's map ({z}/{x}/{y} template) and their attribution.
MAP_TILE_URL = env.str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)


def _tile_origin(url: str) -> str:
    """The CSP source of a tile URL template: its scheme and host ({s} → *)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.netloc or "{z}" not in url:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"MAP_TILE_URL={url!r} is not an http(s) tile template such as "
            "https://tile.example.org/{z}/{x}/{y}.png."
        )
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


# The map's tiles are the only images loaded from another host.
SECURE_CSP["img-src"] = [*SECURE_CSP["img-src"], _tile_origin(MAP_TILE_URL)]
# --- end of Certificates and credentials ------------------------------------------------
