"""Settings for rls_iron: one file, safe by default, relaxed only by environment variables.

Production is the default: DEBUG is off and a real secret key is required. Set
``DJANGO_DEBUG=1`` for local development. Every variable is listed in the README.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from rls_iron.client_address import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, *, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-never-use-in-production"


def _secret_key() -> str:
    """The secret key: from DJANGO_SECRET_KEY, else the file `make serve` generates."""
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    key_file = Path(os.environ.get("DJANGO_SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
    if not key and key_file.is_file():
        key = key_file.read_text(encoding="utf-8").strip()
    if key and key != DEVELOPMENT_SECRET_KEY:
        return key
    if DEBUG:
        return DEVELOPMENT_SECRET_KEY
    raise ImproperlyConfigured(
        "No secret key. Set DJANGO_SECRET_KEY, or run `make serve` to generate .secret_key, "
        "or set DJANGO_DEBUG=1 for local development."
    )


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "axes",
    "rls_iron.apps.RlsIronConfig",
]

# The header middleware comes before WhiteNoise, which answers static files itself and skips
# everything after it: static files (an SVG could hold script) get the same headers as pages.
MIDDLEWARE = [
    # Outermost, so it sees each answer last: HEAD gets the headers of GET and no body.
    "rls_iron.middleware.head_without_body_middleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "rls_iron.middleware.PermissionsPolicyMiddleware",
    "rls_iron.middleware.resource_policy_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sessions, CSRF and auth are for editors; they set no cookie on patient pages, which
    # never touch the session or render a form.
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address alone (/es/…), never from a header or cookie, so
    # every address has one language and can be cached and shared.
    "rls_iron.middleware.language_from_path_middleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Gives the bare 405 answers of read-only views a friendly page, as 404 and 400 have;
    # inside CommonMiddleware, which then sets the Content-Length of the page.
    "rls_iron.middleware.FriendlyMethodNotAllowedMiddleware",
    # Last, so it sees the 404 of an old address first and answers it with a 301.
    "rls_iron.middleware.alias_redirect_middleware",
    # Answers a locked-out log-in with the lock-out page (see AXES_* below).
    "axes.middleware.AxesMiddleware",
]

if DEBUG:
    # `make dev`: reload the open browser tab when a template, static or content file changes.
    INSTALLED_APPS.append("django_browser_reload")
    MIDDLEWARE.append("django_browser_reload.middleware.BrowserReloadMiddleware")
    MIDDLEWARE.append("rls_iron.devreload.rejected_edit_middleware")

ROOT_URLCONF = "rls_iron.urls"
WSGI_APPLICATION = "rls_iron.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,  # the admin's login and pages come from the admin app
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rls_iron.context_processors.site",
                "rls_iron.context_processors.languages",
                "rls_iron.context_processors.feedback",
            ],
            "builtins": ["django_htmx.templatetags.django_htmx"],
        },
    }
]


# SQLite holds the editors' accounts and readers' feedback. WAL and a busy timeout let several
# gunicorn workers write at once; IMMEDIATE transactions avoid "database is locked" errors.
# Several servers share one PostgreSQL: DATABASE_URL=postgres://user:password@host:5432/name
# (README "Scaling out"); a Unix socket folder is an encoded host: postgres://me@%2Frun%2Fpostgresql/name
def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise ImproperlyConfigured("DATABASE_URL must start with postgres:// or postgresql://")
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": Path(os.environ.get("DJANGO_DATABASE_PATH", BASE_DIR / "db.sqlite3")),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "admin:login"

# Editors' passwords: long, not a common password, not like the user name, not only digits.
# https://docs.djangoproject.com/en/6.0/topics/auth/passwords/#password-validation
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Log-in guessing (django-axes, for the admin log-in that /editor/ uses too): after 5 wrong
# passwords for one account from one address, that account is locked for that address for
# 15 minutes. Keyed on the pair, so a stranger elsewhere cannot lock an editor out; a
# locked attempt is refused before the password is hashed, so guessing costs no CPU.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rls_iron.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "rls_iron.client_address.client_address"
# Proxies whose X-Forwarded-For names the client (rls_iron/client_address.py says how it is
# read). Empty: believe no one. `make serve` puts nginx in front and sets 127.0.0.1.
TRUSTED_PROXIES = parse_networks(
    env_list("DJANGO_TRUSTED_PROXIES"), setting="DJANGO_TRUSTED_PROXIES"
)

LANGUAGE_CODE = "en"
# English at /, Spanish at /es/ (rls_iron.urls); interface strings in locale/.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "DJANGO_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Where the patient content lives (Markdown with front matter); see content/README.md.
CONTENT_DIR = Path(os.environ.get("RLS_IRON_CONTENT_DIR", BASE_DIR / "content"))
# How often (seconds) a request may look for edited content files.
CONTENT_CHECK_INTERVAL = float(os.environ.get("RLS_IRON_CONTENT_CHECK_INTERVAL", "1.0"))
# A file changed more recently than this (seconds) may still be being saved: wait for it.
CONTENT_SETTLE_SECONDS = float(os.environ.get("RLS_IRON_CONTENT_SETTLE_SECONDS", "0.5"))

# How long browsers and shared caches (a CDN) may keep a patient page. Editor pages are never
# cached. https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Cache-Control
PAGE_CACHE_CONTROL = os.environ.get(
    "RLS_IRON_CACHE_CONTROL", "public, max-age=300, stale-while-revalidate=86400"
)

# The public address of the site (https://iron.example.org), for canonical links, the
# sitemap and link previews. Unset: taken from each request's host.
SITE_URL = os.environ.get("RLS_IRON_SITE_URL", "").strip().rstrip("/")

# "Was this helpful?" posts allowed per client per minute, counted in the database so every
# worker and server shares the count (rls_iron.feedback.RateLimit).
FEEDBACK_RATE_LIMIT = int(os.environ.get("RLS_IRON_FEEDBACK_RATE_LIMIT", "10"))

# `make bench` only: adds a hello-world view to compare the real pages with.
BENCHMARK_ENDPOINTS = env_flag("RLS_IRON_BENCHMARK")

# Strict CSP from Django itself: no inline script or style exists, so no nonces are needed
# and pages stay cacheable. https://docs.djangoproject.com/en/6.0/ref/csp/
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    # The offline reading worker (/sw.js) and the web app manifest (rls_iron/offline.py).
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Outbound links (PubMed, doi.org) must not learn which page a patient was reading.
# "same-origin" (not "no-referrer", which makes browsers send "Origin: null" on form posts
# and so fails Django's CSRF origin check).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features this site never uses, turned off for every page and anything in it.
# Only names Chromium knows: an unknown name makes the browser log an error on every page.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "clipboard-read",  # not clipboard-write: a "Copy link" button may use it
        "display-capture",
        "encrypted-media",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}

# HTTPS: only where the site is really reached over HTTPS (directly, or through a proxy on
# this machine that sets X-Forwarded-Proto, which gunicorn trusts from 127.0.0.1). Turning
# it on redirects http:// to https://, sends cookies only over HTTPS and, through HSTS, tells
# browsers to use nothing else for a year.
HTTPS = env_flag("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
try:
    HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 365 * 24 * 3600))
except ValueError:
    raise ImproperlyConfigured("DJANGO_HSTS_SECONDS must be a whole number of seconds.") from None
SECURE_HSTS_SECONDS = HSTS_SECONDS if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = HTTPS and env_flag("DJANGO_HSTS_PRELOAD")
if not SECURE_HSTS_PRELOAD:
    # Asking to be built into browsers' HSTS lists is the domain owner's decision and hard to
    # undo, so it is opt-in (DJANGO_HSTS_PRELOAD=1) and `check --deploy` need not ask for it.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]


ORIGIN_PATTERN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def _embed_origins() -> list[str]:
    """Origins allowed to frame /embed/ pages, e.g. "https://mychart.example.org"."""
    origins = env_list("RLS_IRON_EMBED_ORIGINS")
    for origin in origins:
        # Only plain origins: anything else could widen or break the CSP header.
        if not ORIGIN_PATTERN.fullmatch(origin):
            raise ImproperlyConfigured(
                f"RLS_IRON_EMBED_ORIGINS: {origin!r} is not an origin. "
                "Write scheme and host only, e.g. https://portal.example.org"
            )
    return origins


def _site_url() -> str:
    url = os.environ.get("RLS_IRON_SITE_URL", "").strip().rstrip("/")
    if url and not ORIGIN_PATTERN.fullmatch(url):
        raise ImproperlyConfigured(
            f"RLS_IRON_SITE_URL: {url!r} is not a site address. "
            "Write scheme and host only, e.g. https://rls-iron.example.org"
        )
    return url


# Patient portals that may show the guide in a frame (/embed/...). Every other page, and
# every origin not listed, refuses framing.
EMBED_ORIGINS = _embed_origins()
# The public address of the site (e.g. https://rls-iron.example.org), used in QR codes and
# Infobutton answers; empty means the address the request came to.
SITE_URL = _site_url()

# Log lines stay short and never hold a query string (rls_iron.logs says why).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "query_free": {"()": "rls_iron.logs.QueryFreeFilter"},
        "refused_host": {"()": "rls_iron.logs.RefusedHostFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["query_free"]},
    },
    "loggers": {
        "rls_iron": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Server errors reach the log in production too (Django's default only logs them
        # in debug mode). Tracebacks never reach the page.
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # A foreign Host header: one short line, a few a minute, no traceback.
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "level": "ERROR",
            "filters": ["refused_host"],
            "propagate": False,
        },
    },
}
