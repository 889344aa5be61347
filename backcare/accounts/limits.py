"""Rate limits on what an anonymous person can make the site do: create accounts, send account emails.

Counted by django-ratelimit in the shared cache (Redis at scale; each process's memory in the
embedded run), in fixed windows. The rates are settings (``ACCOUNT_RATE_LIMITS``, from the
environment), read at each call. A request over a limit is answered as if it had been
accepted wherever an answer could tell whether an address has an account.
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def _rate(name: str) -> str:
    return settings.ACCOUNT_RATE_LIMITS[name]


def signup_limited(request) -> bool:
    """Counts one more sign-up from this client address; True when past the rate."""
    return is_ratelimited(request, group="signup", key="ip", rate=_rate("signup"), increment=True)


def client_limited(request, *, group: str) -> bool:
    """Counts one more account email (``group``: "password-reset", "verification") asked for by this client."""
    return is_ratelimited(request, group=f"{group}:client", key="ip", rate=_rate("email_per_client"), increment=True)


def done_link_limited(request) -> bool:
    """Counts one more visit to a reminder's done link (tracker.done_links) from this client; True past the rate."""
    return is_ratelimited(request, group="done-link", key="ip", rate=_rate("done_link"), increment=True)


def address_limited(*, group: str, address: str) -> bool:
    """Counts one more account email of ``group`` to ``address``; True when past the rate (nothing should be sent).

    Counted per email, not per request: one reset request for an address that several
    accounts share sends no more than the rate allows.
    """
    normalized = address.strip().lower()
    return is_ratelimited(
        None,
        group=f"{group}:address",
        key=lambda _group, _request: normalized,
        rate=_rate("email_per_address"),
        increment=True,
    )
