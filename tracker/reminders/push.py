"""The push channel, a leaf: the VAPID key pair, which subscriptions we accept, one push sent, its answer read.

It knows nothing of deliveries or schedules (the sender does). The key pair comes from
``VAPID_PRIVATE_KEY`` at scale; the embedded run makes one on first use into
``VAPID_KEY_FILE`` under ``var/`` and keeps it, so that browsers' subscriptions outlive a
restart. With neither, push is off: ``signer()`` is None and the API and pages say so.

The server POSTs to whatever endpoint a browser gave, so an endpoint is accepted only on
the push services of ``PUSH_ALLOWED_ORIGINS``, checked again before each send, and a push
service's redirect is never followed.
"""

import base64
import binascii
import json
import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from backcare.vapid import vapid_from_setting

logger = logging.getLogger(__name__)

TRANSIENT, PERMANENT, GONE = "transient", "permanent", "gone"
# A reminder is worth showing the same day: a push service keeps it this long for a phone that is off.
TTL_SECONDS = 6 * 60 * 60
# A later reminder replaces an earlier one still waiting at the push service (RFC 8030 §5.4).
TOPIC = "reminder"
P256DH_BYTES, AUTH_BYTES = 65, 16

_signers: dict[tuple, Vapid] = {}


class PushError(Exception):
    """A push the push service did not accept: ``kind`` is TRANSIENT, PERMANENT or GONE (404/410)."""

    def __init__(self, kind: str, message: str, *, status: int | None = None):
        super().__init__(message)
        self.kind, self.status = kind, status


# --- The VAPID key pair --------------------------------------------------------------------


def _key_from_file(path: Path) -> Vapid:
    """The key pair in ``path``, made there first if there is none (atomically: the web process and a
    worker may both get here first)."""
    if not path.exists():
        made = Vapid()
        made.generate_keys()
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".vapid-", delete=False) as draft:
            draft.write(made.private_pem())
        os.chmod(draft.name, 0o600)
        try:
            os.link(draft.name, path)  # fails if another process made it meanwhile: theirs wins
            logger.info("made a VAPID key pair for web push in %s", path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft.name)
    return Vapid.from_pem(path.read_bytes())


def signer() -> Vapid | None:
    """The VAPID key pair that signs our pushes, or None when push is off (no key configured)."""
    source = (settings.VAPID_PRIVATE_KEY, str(settings.VAPID_KEY_FILE or ""))
    if source not in _signers:
        if settings.VAPID_PRIVATE_KEY:
            _signers[source] = vapid_from_setting(settings.VAPID_PRIVATE_KEY)
        elif settings.VAPID_KEY_FILE:
            _signers[source] = _key_from_file(Path(settings.VAPID_KEY_FILE))
        else:
            return None
    return _signers[source]


def enabled() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY or settings.VAPID_KEY_FILE)


OFF_REASON = "Push notifications are off on this server (no VAPID key is configured)."


def application_server_key() -> str | None:
    """The public key as a browser's ``pushManager.subscribe`` takes it: the uncompressed point, base64url."""
    vapid = signer()
    if vapid is None:
        return None
    raw = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# --- Which subscriptions we accept ----------------------------------------------------------


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    return parts.scheme, parts.hostname.lower(), port or (443 if parts.scheme == "https" else 80)


def endpoint_allowed(endpoint: str) -> bool:
    """True when ``endpoint`` is on one of PUSH_ALLOWED_ORIGINS ("https://*.example.com" allows its subdomains)."""
    found = _origin(endpoint)
    if found is None:
        return False
    scheme, host, port = found
    for allowed in settings.PUSH_ALLOWED_ORIGINS:
        wildcard = "://*." in allowed
        origin = _origin(allowed.replace("://*.", "://", 1))
        if origin is None or origin[0] != scheme or origin[2] != port:
            continue
        if host == origin[1] or (wildcard and host.endswith("." + origin[1])):
            return True
    return False


def _base64url(value: str) -> bytes | None:
    if (
        not isinstance(value, str)
        or not value
        or set(value) - set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
    ):
        return None
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return None


def key_errors(*, p256dh: str, auth: str) -> dict[str, str]:
    """{field: message} for a subscription's keys: a P-256 point (65 bytes) and a 16-byte secret, base64url."""
    errors = {}
    point = _base64url(p256dh)
    try:
        if point is None or len(point) != P256DH_BYTES:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        errors["p256dh"] = "Not a P-256 public key: 65 bytes, base64url, as the browser gives it."
    secret = _base64url(auth)
    if secret is None or len(secret) != AUTH_BYTES:
        errors["auth"] = "Not an authentication secret: 16 bytes, base64url, as the browser gives it."
    return errors


# --- Sending ---------------------------------------------------------------------------------


def _session() -> requests.Session:
    session = requests.Session()
    session.max_redirects = 0  # a redirect would send our POST where no one checked
    session.trust_env = False  # no proxy from the environment between us and the push service
    return session


def send(*, endpoint: str, p256dh: str, auth: str, payload: dict) -> None:
    """Encrypt ``payload`` (JSON) for one subscription and POST it, signed; raises PushError when not accepted."""
    try:
        vapid = signer()
    except Exception as exc:  # an unreadable key file: this push fails alone, recorded
        raise PushError(PERMANENT, f"The VAPID key cannot be read: {exc!r}") from exc
    if vapid is None:
        raise PushError(PERMANENT, OFF_REASON)
    if not endpoint_allowed(endpoint):
        raise PushError(PERMANENT, "The endpoint is not on an allowed push service (PUSH_ALLOWED_ORIGINS).")
    with _session() as session:
        try:
            webpush(
                {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
                data=json.dumps(payload),
                vapid_private_key=vapid,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                timeout=settings.PUSH_TIMEOUT,
                ttl=TTL_SECONDS,
                headers={"Topic": TOPIC, "Urgency": "normal"},
                requests_session=session,
            )
        except WebPushException as exc:
            raise _classified(exc) from exc
        except requests.TooManyRedirects as exc:
            raise PushError(PERMANENT, "The push service answered with a redirect, not followed.") from exc
        except requests.RequestException as exc:
            # Timeouts and refused or dropped connections: the push service may answer next time.
            raise PushError(TRANSIENT, f"No answer from the push service: {exc.__class__.__name__}.") from exc
        except Exception as exc:
            # Anything else (a subscription key the encryption refuses, say) fails this push alone:
            # the delivery is already claimed, and must be recorded, never left sending.
            raise PushError(PERMANENT, f"Could not push: {exc!r}") from exc


def _classified(exc: WebPushException) -> PushError:
    status = exc.status_code
    reason = getattr(exc.response, "reason", "") or ""
    message = f"The push service answered {status} {reason}".strip() + "."
    if status in (404, 410):
        return PushError(GONE, message, status=status)  # RFC 8030 §7.3: the subscription has expired
    if status is None or status == 429 or status >= 500:
        return PushError(TRANSIENT, message, status=status)
    return PushError(PERMANENT, message, status=status)
