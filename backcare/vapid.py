"""Reading the VAPID private key that signs web pushes, as the settings give it: the one parser,
used by the settings (to refuse a key that cannot be read, at start) and by the push channel."""

from django.core.exceptions import ImproperlyConfigured
from py_vapid import Vapid


def vapid_from_setting(value: str) -> Vapid:
    """A PEM, or the raw private key in base64url (as ``vapid --gen`` and web-push libraries print it)."""
    key = value.strip()
    return Vapid.from_pem(key.encode()) if "-----BEGIN" in key else Vapid.from_string(key)


def checked_vapid_key(value: str) -> str:
    """``value`` if empty or readable; ImproperlyConfigured otherwise, so a bad key stops the start
    instead of failing every push and the pages that show the public key."""
    if value:
        try:
            vapid_from_setting(value)
        except Exception as exc:
            raise ImproperlyConfigured(f"VAPID_PRIVATE_KEY cannot be read as a P-256 private key: {exc}") from exc
    return value
