"""Koers settings: everything that varies per deployment is read from the environment here.

Every variable is documented in docs/configuration.md and .env.example.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]
SRC_DIR = BASE_DIR / "src" / "koers"
VAR_DIR = Path(os.environ.get("KOERS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Demo mode: a local, throw-away installation with demo data (make run). Never in production.
DEMO_MODE = env_bool("KOERS_DEMO", False)
TESTING = env_bool("KOERS_TESTING", False)
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if DEMO_MODE or DEBUG or TESTING:
        # The demo keeps a generated key under var/ so sessions survive a restart.
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file = VAR_DIR / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(64))
            key_file.chmod(0o600)
        return key_file.read_text().strip()
    raise ImproperlyConfigured("SECRET_KEY must be set (there is no production default).")


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if (DEBUG or DEMO_MODE) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "koers.core",
    "koers.organisations",
    "koers.accounts",
    "koers.clients",
    "koers.network",
    "koers.timeline",
    "koers.profiles",
    "koers.documents",
    "koers.caseload",
    "koers.instruments",
    "koers.plans",
    "koers.pip",
    "koers.inburgering",
    "koers.work",
    "koers.checklist",
    "koers.audit",
    "koers.demo",
    "django.forms",
]

MIDDLEWARE = [
    "koers.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "koers.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "koers.accounts.middleware.IdleTimeoutMiddleware",
    "koers.accounts.middleware.MembershipMiddleware",
    "koers.accounts.middleware.RequireVerifiedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "koers.core.middleware.NoStoreMiddleware",
    "koers.audit.middleware.AuditMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "koers.urls"
WSGI_APPLICATION = "koers.wsgi.application"
FORM_RENDERER = "koers.core.forms.KoersFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "koers.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'koers.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside one writer; immediate transactions take the write lock up
    # front so concurrent writers wait (busy timeout) instead of failing with "database locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("KOERS_SQLITE_TEST_NAME") or None}
# Server-side parameters let psycopg prepare a statement the second time a connection runs it:
# PostgreSQL then plans the caseload's and the radar's queries once per connection instead of
# on every request (docs/performance.md). Behind PgBouncer in transaction mode, use PgBouncer
# 1.21+ with max_prepared_statements, or set DATABASE_SERVER_SIDE_BINDING=false.
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_SERVER_SIDE_BINDING", True
):
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": env_int("DATABASE_PREPARE_THRESHOLD", 1),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when configured (required for several processes), otherwise local memory ----
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two-factor authentication (TOTP). Off only in the demo, which says so on its sign-in page.
KOERS_REQUIRE_2FA = env_bool("KOERS_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = os.environ.get("KOERS_OTP_ISSUER", "Koers")

# Sessions end after this many minutes without a request; the timestamp is written at most once
# a minute, so an active session does not cost a database write per request.
KOERS_SESSION_IDLE_MINUTES = env_int("KOERS_SESSION_IDLE_MINUTES", 30)
# The stored session outlives the idle limit by the touch interval, so IdleTimeoutMiddleware
# (which says why the user was signed out) is what ends it, not the session store.
SESSION_COOKIE_AGE = KOERS_SESSION_IDLE_MINUTES * 60 + 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_ENGINE = os.environ.get(
    "KOERS_SESSION_ENGINE",
    "django.contrib.sessions.backends." + ("cached_db" if REDIS_URL else "db"),
)

# Lockout (django-axes) on the combination of username and client address.
AXES_FAILURE_LIMIT = env_int("KOERS_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("KOERS_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy the client address comes from X-Forwarded-For, trusted only for the
# number of proxies configured here (0 = use the socket address). django-axes 8 reads the
# AXES_IPWARE_* settings only when django-ipware is installed (it is not); without it axes uses
# REMOTE_ADDR, i.e. the proxy. So axes asks Koers for the address.
KOERS_TRUSTED_PROXY_COUNT = env_int("KOERS_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "koers.core.middleware.client_ip_address"
if KOERS_TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False

# --- Security headers ---------------------------------------------------------------------------
# Koers is served over HTTPS (behind the proxy); only the demo and the tests run on plain HTTP.
KOERS_HTTPS = env_bool("KOERS_HTTPS", not (DEBUG or DEMO_MODE))
SECURE_SSL_REDIRECT = KOERS_HTTPS
# Health probes of the orchestrator talk to the container over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = KOERS_HTTPS
CSRF_COOKIE_SECURE = KOERS_HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("KOERS_HSTS_SECONDS", 31536000) if KOERS_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env_list("KOERS_SILENCED_CHECKS", "")
if not SECURE_HSTS_PRELOAD:
    # Preloading is a decision for the domain owner, not for the application.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = KOERS_HTTPS

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("KOERS_STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production serves collected, hashed files; the demo and debug read the source tree.
        "BACKEND": os.environ.get(
            "KOERS_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or DEMO_MODE)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE or TESTING
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
WHITENOISE_AUTOREFRESH = DEBUG

# --- Koers --------------------------------------------------------------------------------------
# How long the audit log is kept (purge_audit_log removes older rows, and logs that it did).
KOERS_AUDIT_RETENTION_DAYS = env_int("KOERS_AUDIT_RETENTION_DAYS", 3653)
# How long a break-the-glass grant lasts.
KOERS_BREAK_GLASS_HOURS = env_int("KOERS_BREAK_GLASS_HOURS", 8)
# A volunteer's access ends this many days after the assignment started, unless renewed.
KOERS_VOLUNTEER_ACCESS_DAYS = env_int("KOERS_VOLUNTEER_ACCESS_DAYS", 365)

# --- Logging: JSON lines without personal data --------------------------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "koers.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "koers.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # django.request logs the full path, which can carry identifiers: keep our own line.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
