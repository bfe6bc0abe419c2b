"""askdesk settings: one file, every deployment choice read from the environment.

`.env.example` lists each variable. The defaults run askdesk on an embedded SQLite
database for development; production sets ASKDESK_ENV=production and a DATABASE_URL.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


ASKDESK_ENV = env("ASKDESK_ENV", "development")
PRODUCTION = ASKDESK_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
DATA_DIR = Path(env("ASKDESK_DATA_DIR", str(BASE_DIR / "var")))


def _local_key(name: str, make: Callable[[], str]) -> str:
    """Outside production, a random key kept in the data folder, made on first use."""
    key_file = DATA_DIR / name
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(make())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
    # Sessions and the form's resubmission check depend on it, so it must survive restarts.
    SECRET_KEY = _local_key("secret-key", lambda: secrets.token_urlsafe(50))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "askdesk.ops",
    "askdesk.search",
    "askdesk.web",
    "askdesk.audit",
    "askdesk.newsrooms",
    "askdesk.accounts",
    "askdesk.stories",
    "askdesk.callouts",
    "askdesk.questions",
    "askdesk.answers",
    "askdesk.analysis",
    "askdesk.privacy",
    "askdesk.public",
    "askdesk.readers",
    # JSON API (django-ninja serves its reference page's static files).
    "ninja",
    "askdesk.api",
    "askdesk.webhooks",
    "askdesk.exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "askdesk.ops.middleware.content_security_policy",
    # Before anything reads a request body (CSRF) and after every view: see askdesk/ops/middleware.py.
    "askdesk.ops.middleware.request_hygiene",
    "askdesk.ops.middleware.private_pages_no_store",
    # Polls of the live answers list that nothing changed for: 304 before the rest (askdesk/public).
    "askdesk.public.middleware.live_answers_not_modified",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "askdesk.accounts.middleware.second_factor",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "askdesk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "askdesk.accounts.context_processors.roles",
                "askdesk.readers.context_processors.alerts",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'askdesk.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work during a burst of writes; synchronous=FULL makes a question durable
    # before the reader is thanked; IMMEDIATE avoids failing lock upgrades under concurrent writes;
    # secure_delete overwrites deleted rows in the file, so a reader's deleted words are not left in it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that stops answering must not hold a web process for minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"connect_timeout": int(env("DATABASE_CONNECT_TIMEOUT", "5")), "application_name": "askdesk"}
    )
    if env_bool("DATABASE_POOL", True):
        # A per-process pool (psycopg_pool) shared by the web server's threads saves a connection
        # setup per request; keep max_size at least WEB_THREADS (config/gunicorn.py).
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": int(env("DATABASE_POOL_MIN_SIZE", "2")),
            "max_size": int(env("DATABASE_POOL_MAX_SIZE", "10")),
            "timeout": float(env("DATABASE_POOL_TIMEOUT", "10")),
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("ASKDESK_TIME_ZONE", "Europe/London")
USE_I18N = True
# Readers' pages are translated (askdesk/locale, compiled by scripts/compile-messages); a
# newsroom sets its default and the reader's Accept-Language is honoured. Staff pages are English.
LANGUAGES = [("en", "English"), ("fa", "فارسی"), ("ar", "العربية"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "askdesk" / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security: strict in production, overridable per deployment.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("DJANGO_BEHIND_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Pages load scripts, styles and images from askdesk itself only: no inline script or style.
ASKDESK_CSP = env(
    "ASKDESK_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# Background tasks (django-tasks): a database queue that `manage.py worker` processes.
TASKS = {
    "default": {
        "BACKEND": env("ASKDESK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # Empty: tasks may name any queue; `manage.py worker` processes every queue by default.
        "QUEUES": [],
    }
}
ASKDESK_WORKER_HEARTBEAT_SECONDS = float(env("ASKDESK_WORKER_HEARTBEAT_SECONDS", "5"))
ASKDESK_WORKER_STALE_SECONDS = float(env("ASKDESK_WORKER_STALE_SECONDS", "60"))
# /readyz says ok or fail to anyone; which check failed (database engine, worker ids) only to
# staff, or to a probe sending "Authorization: Bearer <this token>".
ASKDESK_READYZ_TOKEN = env("ASKDESK_READYZ_TOKEN")
ASKDESK_READY_REQUIRES_WORKER = env_bool(
    "ASKDESK_READY_REQUIRES_WORKER", TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
)
# Stuck work: /readyz says "degraded" when a task has waited this long; questions still
# without analysis this long after they were sent are queued again by a periodic sweep.
ASKDESK_STUCK_WORK_SECONDS = float(env("ASKDESK_STUCK_WORK_SECONDS", "600"))
ASKDESK_ANALYSIS_SWEEP_AFTER_SECONDS = float(env("ASKDESK_ANALYSIS_SWEEP_AFTER_SECONDS", "300"))

# askdesk
ASKDESK_NEWSROOM_NAME = env("ASKDESK_NEWSROOM_NAME", "The Newsroom")
ASKDESK_PUBLIC_BASE_URL = env("ASKDESK_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
ASKDESK_QUESTION_MAX_LENGTH = int(env("ASKDESK_QUESTION_MAX_LENGTH", "1000"))
ASKDESK_TRIAGE_PAGE_SIZE = int(env("ASKDESK_TRIAGE_PAGE_SIZE", "50"))
# Live triage: seconds between two polls of an open triage page for changes (a conditional
# request answered 304 from a few counter rows while nothing changed). 0 turns polling off.
ASKDESK_DESK_POLL_SECONDS = float(env("ASKDESK_DESK_POLL_SECONDS", "5"))
# Search by meaning in triage: the lowest cosine between the editor's words and a question that
# counts as found (askdesk/analysis/meaning.py; tuned for all-MiniLM-L6-v2).
ASKDESK_MEANING_MIN_SCORE = float(env("ASKDESK_MEANING_MIN_SCORE", "0.35"))
# Question intelligence: the sentence embedder ("minilm", or "hashing" for tests) and when a
# call-out is regrouped as a whole (after this many new questions, or this share of them).
ASKDESK_EMBEDDER = env("ASKDESK_EMBEDDER", "minilm")
ASKDESK_REGROUP_EVERY = int(env("ASKDESK_REGROUP_EVERY", "25"))
ASKDESK_REGROUP_SHARE = float(env("ASKDESK_REGROUP_SHARE", "0.1"))
# Suggestions while the reader types run the ONNX model in the web process: threads per process.
ASKDESK_SUGGEST_THREADS = int(env("ASKDESK_SUGGEST_THREADS", "1"))
# Threads of the numeric libraries (numpy's and scipy's OpenBLAS) in every askdesk process. By
# default they start one per core in each process; with web threads, a worker and PostgreSQL on the
# same few cores they wait on each other (bench/worker.py: a 301x384 eigen-decomposition took
# 1,000 ms instead of 20 on a busy 2-core machine). Raise it on a machine whose worker runs alone.
ASKDESK_NUMERIC_THREADS = int(env("ASKDESK_NUMERIC_THREADS", "1"))

# Readers' contact details are encrypted with these Fernet keys (comma-separated, newest
# first: `manage.py rotate_contact_keys` re-encrypts with the first). A separate key makes
# the lookup digest that finds a reader's data by email address without decrypting it.
ASKDESK_CONTACT_KEYS = env_list("ASKDESK_CONTACT_KEYS")
ASKDESK_CONTACT_LOOKUP_KEY = env("ASKDESK_CONTACT_LOOKUP_KEY")
if not ASKDESK_CONTACT_KEYS or not ASKDESK_CONTACT_LOOKUP_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("ASKDESK_CONTACT_KEYS and ASKDESK_CONTACT_LOOKUP_KEY must be set in production.")
    ASKDESK_CONTACT_KEYS = ASKDESK_CONTACT_KEYS or [
        _local_key("contact-key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    ]
    ASKDESK_CONTACT_LOOKUP_KEY = ASKDESK_CONTACT_LOOKUP_KEY or _local_key(
        "contact-lookup-key", lambda: secrets.token_urlsafe(32)
    )
# Retention, counted from the day a call-out closes (call-outs close by themselves: each newsroom
# sets how many days after opening, 30 by default), and for contact details also from the day
# the question was answered, covered, rejected or marked spam, whichever comes first.
ASKDESK_RETAIN_CONTACT_DAYS = int(env("ASKDESK_RETAIN_CONTACT_DAYS", "30"))
ASKDESK_RETAIN_CONTACT_AFTER_DECISION_DAYS = int(env("ASKDESK_RETAIN_CONTACT_AFTER_DECISION_DAYS", "30"))
ASKDESK_RETAIN_UNPUBLISHED_DAYS = int(env("ASKDESK_RETAIN_UNPUBLISHED_DAYS", "180"))
# Tasks the workers enqueue on their own, with their interval in seconds.
ASKDESK_PERIODIC_TASKS = {
    "askdesk.privacy.tasks.apply_retention": int(env("ASKDESK_RETENTION_INTERVAL_SECONDS", "86400")),
    # Closing the loop with readers (askdesk.readers): due voting rounds, editor alerts, outbox.
    "askdesk.readers.tasks.close_due_rounds": 60,
    "askdesk.readers.tasks.check_group_alerts": 60,
    "askdesk.readers.tasks.sweep_outbox": 600,
    "askdesk.readers.tasks.apply_readers_retention": int(env("ASKDESK_RETENTION_INTERVAL_SECONDS", "86400")),
    "askdesk.analysis.tasks.analyse_missed_questions": int(env("ASKDESK_ANALYSIS_SWEEP_INTERVAL_SECONDS", "60")),
}

# Public pages (story, answers, embeds, feeds) are rendered once per version of their call-out
# and kept in this cache: local memory by default, Redis shared by every web process when
# ASKDESK_CACHE_URL is set (redis://host:port/db).
ASKDESK_CACHE_URL = env("ASKDESK_CACHE_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": ASKDESK_CACHE_URL}
    if ASKDESK_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}
}
# How long a rendered page stays in the cache (and browsers and CDNs may keep it), and how long
# a CDN may serve it stale while it fetches the next one.
ASKDESK_PUBLIC_CACHE_SECONDS = int(env("ASKDESK_PUBLIC_CACHE_SECONDS", "60"))
ASKDESK_PUBLIC_STALE_SECONDS = int(env("ASKDESK_PUBLIC_STALE_SECONDS", "300"))
# A process may trust a call-out's version number this long before asking again (the process
# that changes a call-out forgets it at once; with Redis, so do all others).
ASKDESK_PUBLIC_STATE_SECONDS = float(env("ASKDESK_PUBLIC_STATE_SECONDS", "1"))
# How often open answers pages and embeds ask for new answers (seconds). Behind a CDN 5 is
# cheap; served directly, each idle reader costs one conditional request per interval.
ASKDESK_LIVE_POLL_SECONDS = int(env("ASKDESK_LIVE_POLL_SECONDS", "5"))
# --- Email (askdesk.readers): readers told when answered, editors alerted --------------------
# Production sends through SMTP; elsewhere messages are written as files under
# ASKDESK_DATA_DIR/mail, so the demo's emails can be read.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env("DJANGO_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "askdesk <askdesk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Voting rounds: votes counted per round from one address and browser (a daily salted hash).
ASKDESK_VOTES_PER_ADDRESS = int(env("ASKDESK_VOTES_PER_ADDRESS", "3"))
# Editors are told when a group takes this many new questions within this many minutes.
ASKDESK_ALERT_FAST_QUESTIONS = int(env("ASKDESK_ALERT_FAST_QUESTIONS", "5"))
ASKDESK_ALERT_FAST_MINUTES = int(env("ASKDESK_ALERT_FAST_MINUTES", "60"))

# --- Abuse limits (askdesk.ops.limits) -------------------------------------------------------
# Counters of the rate limits live in the "limits" cache, shared by every web process: by
# default a table in the database (made by a migration), with an atomic increment.
CACHES["limits"] = {
    "BACKEND": env("ASKDESK_LIMITS_CACHE_BACKEND", "askdesk.ops.cache.AtomicDatabaseCache"),
    "LOCATION": env("ASKDESK_LIMITS_CACHE_LOCATION", "askdesk_limits_cache"),
    "OPTIONS": {"MAX_ENTRIES": 200_000},
}
RATELIMIT_USE_CACHE = "limits"
# django-ratelimit's system check knows only memcached and Redis as atomic; AtomicDatabaseCache is.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
ASKDESK_LIMITS_ENABLED = env_bool("ASKDESK_LIMITS_ENABLED", True)
# Named limits, each one or more rates ("5/m,30/h"): per client unless a view counts per target.
ASKDESK_RATE_LIMITS = {
    # One reader sending questions to any call-out.
    "ask_client": env("ASKDESK_LIMIT_ASK_CLIENT", "5/m,30/h"),
    # All readers together on one call-out: far above a breaking-news burst, a ceiling for floods.
    "ask_callout": env("ASKDESK_LIMIT_ASK_CALLOUT", "1200/m"),
    # One reader's "help while typing" calls: a pause in typing makes one.
    "suggest_client": env("ASKDESK_LIMIT_SUGGEST_CLIENT", "30/m,300/h"),
    # Codes tried for one staff account at the second sign-in step (django-otp also slows each device).
    "second_factor_user": env("ASKDESK_LIMIT_SECOND_FACTOR", "10/m,50/d"),
    # One client voting in rounds, and joining questions ("I want to know too").
    "vote_client": env("ASKDESK_LIMIT_VOTE_CLIENT", "10/m,30/h"),
    "also_asked_client": env("ASKDESK_LIMIT_JOIN_CLIENT", "5/m,30/h"),
    # JSON API: requests per API key, and per client on the public endpoints (no key).
    "api_key": env("ASKDESK_API_RATE_PER_KEY", "600/m"),
    "api_public": env("ASKDESK_API_RATE_PUBLIC", "120/m"),
}
# The same text from the same client within this window is stored as spam.
ASKDESK_REPEAT_WINDOW_SECONDS = int(env("ASKDESK_REPEAT_WINDOW_SECONDS", "86400"))
# The reader form: a hidden field bots fill in, and the least time a person takes to fill it in.
ASKDESK_FORM_MIN_SECONDS = float(env("ASKDESK_FORM_MIN_SECONDS", "3"))
# Behind proxies, how many of them append to X-Forwarded-For (the client is that many from the right).
ASKDESK_PROXY_COUNT = int(env("ASKDESK_PROXY_COUNT", "1" if env_bool("DJANGO_BEHIND_PROXY", PRODUCTION) else "0"))

# --- Sign-in protection (docs/security.md) -----------------------------------------------------
# django-axes counts failed sign-ins (desk and admin) per account and per address, in the shared
# "limits" cache, and locks each out after ASKDESK_LOGIN_FAILURE_LIMIT failures for
# ASKDESK_LOGIN_LOCKOUT_MINUTES. Addresses are keyed hashes (askdesk.ops.limits.client_key).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("ASKDESK_LOGIN_THROTTLING", True)
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "limits"
AXES_FAILURE_LIMIT = int(env("ASKDESK_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("ASKDESK_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "askdesk.ops.limits.client_key"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A second factor (TOTP from django-otp, plus recovery codes) for staff who may see readers'
# contact details: required in production, offered in development and the demo.
ASKDESK_SECOND_FACTOR_REQUIRED = env_bool("ASKDESK_SECOND_FACTOR_REQUIRED", PRODUCTION)
ASKDESK_SECOND_FACTOR_PERMISSIONS = ["questions.reveal_readercontact"]
OTP_TOTP_ISSUER = env("ASKDESK_NEWSROOM_NAME", "The Newsroom") + " askdesk"

# Webhooks (askdesk/webhooks). Targets on private, loopback and link-local addresses are always
# refused; loopback only is allowed outside production, so the demo can be tried on one machine.
ASKDESK_WEBHOOK_ALLOW_LOOPBACK = env_bool("ASKDESK_WEBHOOK_ALLOW_LOOPBACK", not PRODUCTION)
ASKDESK_WEBHOOK_TIMEOUT_SECONDS = float(env("ASKDESK_WEBHOOK_TIMEOUT_SECONDS", "15"))
# Attempts per delivery, 30 s apart and doubling up to 2 h: 20 attempts last about a day.
ASKDESK_WEBHOOK_ATTEMPTS = int(env("ASKDESK_WEBHOOK_ATTEMPTS", "20"))
ASKDESK_WEBHOOK_RETRY_HOURS = int(env("ASKDESK_WEBHOOK_RETRY_HOURS", "26"))
# How long the previous secret keeps signing after a rotation.
ASKDESK_WEBHOOK_ROTATION_HOURS = int(env("ASKDESK_WEBHOOK_ROTATION_HOURS", "24"))
# group.grew: the group size a newsroom starts with (editors change it in the desk).
ASKDESK_WEBHOOK_GROUP_SIZE = int(env("ASKDESK_WEBHOOK_GROUP_SIZE", "25"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("ASKDESK_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
