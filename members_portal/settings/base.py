"""Settings, read from the environment (see .env.example).

With nothing set, the portal runs for a first look: SQLite, kombu's filesystem broker, e-mail and SMS
written to files under var/. That needs DEBUG on; with DEBUG off every secret and host must be given,
and `manage.py check --deploy` is clean.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .embedded import filesystem_broker, recorded_site_url, sqlite_for_concurrent_use
from .redis_timeouts import REDIS_RETRY_AFTER_S, REDIS_SOCKET_TIMEOUTS  # noqa: F401

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def load_env_file(path: Path) -> None:
    """KEY=value lines of a local .env (git-ignored); the real environment wins."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip().strip("'\""))


load_env_file(BASE_DIR / ".env")
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def required_in_production(name: str, first_run_default: str) -> str:
    """An environment value production must set; a first run with DEBUG on gets the embedded default."""
    value = os.environ.get(name, "")
    if value:
        return value
    if DEBUG:
        return first_run_default
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off (see .env.example).")


DEBUG = env_bool("DEBUG")

# --- Core -------------------------------------------------------------------------------------------
SECRET_KEY = required_in_production("SECRET_KEY", "insecure-first-run-key-only-for-debug")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or (["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (see .env.example).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The proxies whose X-Real-IP names the client (members/client_address.py): nginx on this machine by default.
TRUSTED_PROXY_ADDRESSES = env_list("TRUSTED_PROXY_ADDRESSES") or ["127.0.0.1", "::1"]
SITE_URL = (os.environ.get("SITE_URL") or recorded_site_url(VAR_DIR) or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "members_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "members_portal.apps.MembersPortalConfig",
    "members",
    "requests_app",
    "surveys",
    "messaging",
    "assembly",
    "ballots",
]

MIDDLEWARE = [
    "members_portal.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "members_portal.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "members_portal.member_input.NulRefusalMiddleware",  # after CSRF: the form body has been read
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "members.session_guard.SessionGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.two_factor.RequireSecondFactorMiddleware",
]

ROOT_URLCONF = "members_portal.urls"
WSGI_APPLICATION = "members_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.roles",
                "members.context_processors.inbox",
            ],
        },
    }
]

# --- Data -------------------------------------------------------------------------------------------
DATABASES = {
    "default": sqlite_for_concurrent_use(
        dj_database_url.parse(
            required_in_production("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
            conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    )
}
# The staff queue's covering indexes carry columns only PostgreSQL keeps (INCLUDE): SQLite, the first look's
# database, builds them without, which is all it needs; without this every start printed a dozen warnings about it.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every web process and worker on every machine (sessions, rate limits, the worker heartbeat).
# Production must give one: a process's own memory is not shared with the next machine.
CACHE_URL = required_in_production("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "members_portal.cache.TolerantRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
            "OPTIONS": {**REDIS_SOCKET_TIMEOUTS},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Reference data (members_portal.reference) is kept only in a cache every process shares: with a cache of each
# process's own, the worker would not see the holiday the web process just saved.
REFERENCE_DATA_CACHED = bool(CACHE_URL)

# Uploads and generated PDFs: never under a public URL; served by views that check access.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    "staticfiles": {"BACKEND": "members_portal.storage.PortalStaticFilesStorage"},  # hashed names, no source maps
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# STORAGE_BACKEND=s3: private files in an S3-compatible object store (django-storages), shared by all machines.
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND == "s3":
    _s3_names = ("AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
    _missing = [name for name in _s3_names if not os.environ.get(name)]
    if _missing:
        raise ImproperlyConfigured(f"{', '.join(_missing)} must be set when STORAGE_BACKEND=s3 (see docs/deploy.md).")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "access_key": os.environ["AWS_ACCESS_KEY_ID"],
            "secret_key": os.environ["AWS_SECRET_ACCESS_KEY"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_LOCATION", "private"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
elif STORAGE_BACKEND != "filesystem":
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be 'filesystem' or 's3', not {STORAGE_BACKEND!r}.")
# Private files behind nginx: the view checks access, nginx sends the bytes (members_portal/private_files.py).
PRIVATE_FILES_X_ACCEL = env_bool("PRIVATE_FILES_X_ACCEL")
PRIVATE_FILES_X_ACCEL_PREFIX = "/_private/"
PRIVATE_FILES_URL_EXPIRY = 300  # seconds a presigned object-store link stays valid
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# --- Accounts: sign-in, limits, sessions (members_portal/settings/accounts.py) -----------------------------
from .accounts import *  # noqa: E402, F403

ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Security keys (WebAuthn) need https, except on this machine in development and tests (http://localhost).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# --- Language, time ---------------------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["members_portal.formats"]
TIME_ZONE = "Asia/Riyadh"
USE_I18N = True
USE_TZ = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PHONENUMBER_DEFAULT_REGION = "SA"
PHONENUMBER_DEFAULT_FORMAT = "E164"


# --- E-mail and SMS ---------------------------------------------------------------------------------
def mailer_from_url(url: str) -> dict:
    """EMAIL_URL: smtp://user:password@host:587?tls=1, smtps://…, console:, or file:/path (a folder)."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "file":
        return {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {"file_path": parts.path}}
    if parts.scheme in {"smtp", "smtps"}:
        query = parse_qs(parts.query)
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname,
                "port": parts.port or (465 if parts.scheme == "smtps" else 587),
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_ssl": parts.scheme == "smtps",
                "use_tls": query.get("tls", ["0"])[0] == "1",
                "timeout": 10,
            },
        }
    raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {parts.scheme!r}")


MAILERS = {"default": mailer_from_url(required_in_production("EMAIL_URL", f"file:{VAR_DIR / 'mail'}"))}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "بوابة الأعضاء <portal@najran-coffee.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS: "file" (development: appended to SMS_FILE_PATH), "console", "gateway" (a generic HTTP gateway), or a
# provider's own API: "unifonic", "taqnyat", "msegat" (settings/sms_providers.py, the clients in messaging/).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "file")
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", VAR_DIR / "sms.log"))
WHATSAPP_FILE_PATH = Path(os.environ.get("WHATSAPP_FILE_PATH", VAR_DIR / "whatsapp.log"))
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_SENDER_NAME = os.environ.get("SMS_SENDER_NAME", "NajranCoffee")
# Set when the gateway drops a message whose reference (the outbox key) it has already taken: a message a stopped
# worker may have handed over is then sent again automatically instead of waiting for staff to check it.
SMS_GATEWAY_DROPS_REPEATS = env_bool("SMS_GATEWAY_DROPS_REPEATS")
# The fewest shares a member may hold (the cooperative's bylaws, DOMAIN a.4): a transfer that would leave fewer, but
# some, is refused; one that leaves none ends the membership.
MEMBERSHIP_MIN_SHARES = int(os.environ.get("MEMBERSHIP_MIN_SHARES", "1"))
# --- Celery -----------------------------------------------------------------------------------------
from .assembly import *  # noqa: E402, F403 (the General Assembly: remote attendance, notice days, headquarters)
from .beat import *  # noqa: E402, F403 (the beat schedule: sweeps, reminders, reports; CELERY_IMPORTS)
from .limits import *  # noqa: E402, F403 (per-member limits: submissions, the data export)
from .redelivery import *  # noqa: E402, F403 (time limits, redelivery of a dead worker's task, the receipt sweep)
from .redis_timeouts import redis_broker_options  # noqa: E402
from .sms_providers import *  # noqa: E402, F403 (SMS_BACKEND=unifonic, taqnyat, msegat: credentials, report secrets)
from .whatsapp import *  # noqa: E402, F403 (WhatsApp Business: the Cloud API's number, token and webhook secrets)

REDIS_BROKER_OPTIONS = redis_broker_options(REDIS_REDELIVERY_OPTIONS)  # noqa: F405

CELERY_BROKER_URL = required_in_production("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # No broker server: producer and worker exchange messages through a folder (first run, demo).
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker(VAR_DIR)
else:
    # Redis: a dead worker's task is delivered again (settings/redelivery.py); nothing waits long for Redis.
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_OPTIONS
# Deployments (or test runs) sharing one Redis keep apart by queue name.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must never hang on a broker that is down: publish once, quickly, and let the
# periodic sweeps pick up whatever was not sent.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
WORKER_HEARTBEAT_MAX_AGE = int(os.environ.get("WORKER_HEARTBEAT_MAX_AGE", "120"))  # seconds, for /healthz/ready
# The notification outbox (members/outbox_sending.py). A sending worker refreshes its claim every sixth of
# OUTBOX_SENDING_TIMEOUT_S; a claim not refreshed that long belongs to a dead worker (keep it above the channels'
# 10 s timeouts). Its rows not yet handed over are sent again; a handed-over one is marked for checking.
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "5"))
OUTBOX_RETRY_BACKOFF_S = float(os.environ.get("OUTBOX_RETRY_BACKOFF_S", "30"))  # doubled after each failure
OUTBOX_PENDING_GRACE_S = float(os.environ.get("OUTBOX_PENDING_GRACE_S", "30"))  # before the sweep re-enqueues
OUTBOX_SENDING_TIMEOUT_S = float(os.environ.get("OUTBOX_SENDING_TIMEOUT_S", "30"))
# Messages of one batch a worker sends side by side (threads, each with its own database connection): 1 sends them
# one by one; with an SMS provider that takes tens of milliseconds to answer, 16 waits on sixteen answers at once.
OUTBOX_SEND_PARALLEL = int(os.environ.get("OUTBOX_SEND_PARALLEL", "1"))
# An e-mail a stopped worker may have handed over goes again with the same Message-ID (mail services that keep one
# copy per Message-ID show it once); off, it waits on the outbox page for staff to check, like an SMS.
OUTBOX_RESEND_UNCERTAIN_EMAIL = env_bool("OUTBOX_RESEND_UNCERTAIN_EMAIL", default=True)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_EAGER_PROPAGATES = True

# --- Security ---------------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "members_portal.views.csrf_failure"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/ready)?$"]  # the load balancer asks over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host-: the browser keeps these only over HTTPS, for this host alone and the whole path (no Domain).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True

# Structured logs: one JSON object a line (LOG_FORMAT=json, the default in production) carrying the request id
# (members_portal/request_id.py) or, in a worker, the Celery task id; plain text while developing.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "members_portal.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "members_portal.request_id.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each rendering step at INFO: a receipt would fill the worker log.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
# The worker logs through LOGGING above (JSON with task_id) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
