"""Settings shared by every environment, read from the environment.

The defaults serve the embedded single-machine run (SQLite, the SQLite broker,
emails written as files under ``var/``); ``production.py`` refuses the ones
that are unsafe on a public server.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from backcare.vapid import checked_vapid_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file beside manage.py fills in what the real environment does not set. The test
# settings never read it, so a developer's .env cannot steer the suite to another database.
if env.bool("BACKCARE_READ_DOTENV", default=not os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".test")):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("BACKCARE_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "backcare",
    "backcare.accounts",
    "routines",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backcare.accounts.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "backcare.accounts.middleware.UserTimezoneMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backcare.urls"
WSGI_APPLICATION = "backcare.wsgi.application"
ASGI_APPLICATION = "backcare.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "backcare" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'backcare.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL lets readers and one writer work at
    # once, IMMEDIATE takes the write lock at BEGIN (so a transaction never fails
    # half-way on an upgrade), and the timeout makes a writer wait, not fail.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # A file, not memory, so that worker processes started by the tests share it; one per
    # test run, so that two runs on one machine never destroy each other's database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-backcare-{os.getpid()}.sqlite3")}
# Connections are kept between requests and tasks, and checked before their first use in each.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tracker:dashboard"
LOGOUT_REDIRECT_URL = "home"

# Five failed logins for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many proxies in front append to X-Forwarded-For: 0 for the embedded run, 1 behind
# nginx or Caddy. Login lockouts and API throttles key on the address this yields.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "backcare.accounts.client_ip.client_ip"
# Sign-ups per client address, and account emails (password resets; verification links) per
# address and per client address, counted by django-ratelimit in the cache (backcare/accounts/limits.py).
ACCOUNT_RATE_LIMITS = {
    "signup": env.str("RATE_LIMIT_SIGNUP", default="5/h"),
    "email_per_address": env.str("RATE_LIMIT_EMAIL_PER_ADDRESS", default="3/h"),
    "email_per_client": env.str("RATE_LIMIT_EMAIL_PER_CLIENT", default="10/h"),
    # The done links of reminder emails, opened without logging in.
    "done_link": env.str("RATE_LIMIT_DONE_LINK", default="60/h"),
}
RATELIMIT_IP_META_KEY = AXES_CLIENT_IP_CALLABLE

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Email --------------------------------------------------------------------
MAIL_DIR = VAR_DIR / "mail"
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
    if EMAIL_URL.startswith("filemail:"):
        # django-environ drops the leading slash of filemail:///absolute/path.
        EMAIL_FILE_PATH = urlsplit(EMAIL_URL).path
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(MAIL_DIR)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Backcare <reminders@backcare.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Web push, the second reminder channel (tracker/reminders/push.py) -----------
# The VAPID key pair that signs every push: from the environment at scale (the raw private
# key, base64url, as ``vapid --gen`` or web-push libraries print it, or a PEM). Without it the
# embedded run makes one on first use and keeps it in VAPID_KEY_FILE; production has no such
# file, so there the push channel is off until VAPID_PRIVATE_KEY is set.
VAPID_PRIVATE_KEY = checked_vapid_key(env.str("VAPID_PRIVATE_KEY", default=""))
VAPID_KEY_FILE = None
# Who the push services may contact about our pushes: a mailto: (Apple refuses pushes without one).
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="mailto:reminders@backcare.localhost")
# The server POSTs to a subscription's endpoint, so only endpoints on these push services are
# accepted (no request to an address a client chose). "https://*.host" allows its subdomains.
PUSH_ALLOWED_ORIGINS = env.list(
    "PUSH_ALLOWED_ORIGINS",
    default=[
        "https://fcm.googleapis.com",  # Chrome, Edge on Android, Opera
        "https://updates.push.services.mozilla.com",  # Firefox
        "https://web.push.apple.com",  # Safari
        "https://*.notify.windows.com",  # Edge on Windows
    ],
)
PUSH_TIMEOUT = env.float("PUSH_TIMEOUT", default=10.0)

# --- Celery -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = (
    env.str("CELERY_BROKER_URL", default="") or REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_TASK_IGNORE_RESULT = True
# Celery closes Django's database connections around every task unless this is set; it is set
# out of reach, and backcare/celery.py closes them as Django does around a request instead.
CELERY_DB_REUSE_MAX = sys.maxsize
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Each pool process has its next few tasks at hand: the tasks are short (a reminder takes
# milliseconds), and the SQLite broker, polled, would otherwise leave processes idle. With
# late acks a task held by a worker that dies goes back to the queue (Redis) or is queued
# again by the dispatcher's recovery (reminders).
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    # Longer than any task runs, so Redis does not hand an unacknowledged task to a
    # second worker while the first is still working on it. Tests shorten it, and give
    # each run its own key prefix so that runs sharing one Redis never take each other's tasks.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        "global_keyprefix": env.str("CELERY_KEY_PREFIX", default=""),
    }
# The reminder dispatcher runs at second 0 of every minute (a crontab, not an interval counted
# from beat's start), so a slot due at 07:30 is claimed at 07:30. Tests and drills set a
# short interval in seconds instead.
REMINDER_DISPATCH_INTERVAL = env.float("REMINDER_DISPATCH_INTERVAL", default=0.0)
CELERY_BEAT_SCHEDULE = {
    "dispatch-reminders": {
        "task": "tracker.tasks.dispatch_reminders",
        "schedule": REMINDER_DISPATCH_INTERVAL or crontab(minute="*"),
    },
    "worker-heartbeat": {"task": "backcare.tasks.heartbeat", "schedule": 60.0},
    # The fortnightly outcomes reminder is sent from each person's reminder time on, so a
    # quarter-hour check sends it at most 15 minutes late.
    "dispatch-outcome-reminders": {
        "task": "tracker.tasks.dispatch_outcome_reminders",
        "schedule": env.float("OUTCOME_REMINDER_DISPATCH_INTERVAL", default=900.0),
    },
}
if CELERY_BROKER_URL.startswith("sqla+"):
    # kombu's SQLAlchemy transport keeps every message it has handed out (backcare/tasks.py).
    CELERY_BEAT_SCHEDULE["prune-broker"] = {"task": "backcare.tasks.prune_broker", "schedule": 3600.0}

# --- Reminders (tracker/reminders/, tracker/tasks.py) ----------------------------
# Due schedules the dispatcher claims per transaction, and deliveries per send task (one
# SMTP connection each).
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=500)
REMINDER_SEND_BATCH_SIZE = env.int("REMINDER_SEND_BATCH_SIZE", default=100)
# A transient SMTP error is retried within 30 s, 60 s, 120 s, 240 s (full jitter,
# capped at 10 minutes); the fifth failure is recorded as failed.
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
REMINDER_RETRY_BACKOFF = env.int("REMINDER_RETRY_BACKOFF", default=30)
REMINDER_RETRY_BACKOFF_MAX = env.int("REMINDER_RETRY_BACKOFF_MAX", default=600)
# A worker killed mid-batch leaves one delivery claimed; the hard time limit bounds how
# long a live batch can hold a claim, so a claim older than REMINDER_RECOVER_AFTER
# belongs to a dead worker. A delivery still waiting that long has lost its message
# (a broker without redelivery) and is queued again.
REMINDER_SEND_TIME_LIMIT = env.int("REMINDER_SEND_TIME_LIMIT", default=120)
REMINDER_RECOVER_AFTER = env.int("REMINDER_RECOVER_AFTER", default=900)
if REMINDER_RECOVER_AFTER <= REMINDER_SEND_TIME_LIMIT:
    raise ImproperlyConfigured("REMINDER_RECOVER_AFTER must be longer than REMINDER_SEND_TIME_LIMIT.")

# --- REST framework -----------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: DRF answers a request without credentials with the first class's
    # WWW-Authenticate header, and only a class that has one makes that a 401 (not a 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "backcare.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "backcare.schema.AutoSchema",
    # JSON bodies only: the schema then offers one request body per operation, which is what
    # generated clients expect (with form and multipart beside it they send all three at once).
    # backcare/parsers.py answers JSON nested too deeply with a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": ["backcare.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
        "token": "10/min",
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "NUM_PROXIES": NUM_PROXIES or None,
}
# Where a signed-in person's own doses come from, for the routine detail of the API (routines
# names no other app; this setting does). Empty: the catalog's doses for everyone.
PERSONAL_DOSES = "tracker.dose.api_doses"

SPECTACULAR_SETTINGS = {
    "TITLE": "Backcare API",
    "DESCRIPTION": "Routines for lower-back pain, session and pain logs, progress and reminders.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for each choice set used by several fields: drf-spectacular would otherwise name a
    # set after each field holding it.
    "ENUM_NAME_OVERRIDES": {
        "PelvisEnum": "routines.selfcheck.PELVIS_CHOICES",
        "PainSideEnum": "tracker.models.PainSide",
        "PainAreaEnum": "tracker.models.PainArea",
        # Pain entries' factors and the insights' rows share one choice set.
        "PainFactorEnum": "tracker.models.PainFactor",
    },
}

# --- Cache (throttling and login lockouts need one shared by all processes) ----
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Content Security Policy: nothing inline, nothing from elsewhere -----------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "backcare.views.csrf_failure"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}
