"""Settings for a public deployment: every secret from the environment, HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, SITE_URL, VAPID_PRIVATE_KEY, VAPID_SUBJECT, env

SECRET_KEY = env.str("SECRET_KEY")  # no default: ImproperlyConfigured when missing
# Emails carry links built on it, secret ones included (done links, the calendar feed): never the
# local default, never plain http.
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be the https:// address people open Backcare at.")
# Production runs behind a TLS-terminating proxy (see SECURE_PROXY_SSL_HEADER below).
NUM_PROXIES = env.int("NUM_PROXIES", default=1)
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": NUM_PROXIES or None}
DEBUG = env.bool("DEBUG", default=False)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# No VAPID key of our making in production: without VAPID_PRIVATE_KEY the push channel is off
# (the API and the reminders page say so). With it, a real mailto: subject is required.
VAPID_KEY_FILE = None
if VAPID_PRIVATE_KEY and (not VAPID_SUBJECT.startswith("mailto:") or VAPID_SUBJECT.endswith(".localhost")):
    raise ImproperlyConfigured("VAPID_SUBJECT must be a mailto: address people can write to.")
