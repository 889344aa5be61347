"""The embedded single-machine run: `make run` and the test suite."""

import secrets

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR, env

# The embedded run keeps its data beside the code; production creates its directories itself.
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def _local_secret_key():
    # A random key kept beside the data, never a constant that could leak into
    # a deployment; production.py requires SECRET_KEY from the environment.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=True)
# The embedded run's VAPID key pair, made on first use (tracker/reminders/push.py) unless
# VAPID_PRIVATE_KEY is set; never committed, never shared with another installation.
VAPID_KEY_FILE = VAR_DIR / "vapid-private-key.pem"
SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
# Serve static files straight from the apps: no collectstatic step for the local run.
WHITENOISE_USE_FINDERS = True
