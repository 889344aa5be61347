"""Proving that an address belongs to its person before Backcare writes to it.

A signed link (the user and the address it was sent to, valid ``LINK_MAX_AGE``) goes out
by the Celery email task after the transaction commits, at sign-up and whenever the address
changes. Opening it shows a page whose button verifies: a mail scanner that follows links
verifies nothing. An administrator can also mark addresses verified (admin action,
``manage.py verify_email``). Until then the person uses everything, but no email other
than this link and password resets goes to the address (``address_skip_reason``).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from ..tasks import send_email
from .limits import address_limited

SALT = "backcare.accounts.verification"
LINK_MAX_AGE = datetime.timedelta(days=3)


def verification_token(user) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=SALT)


def verification_user(token: str):
    """The person whose current address ``token`` was made for, or None (bad, expired, or the address has changed)."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=payload.get("user"), is_active=True).first()
    if user is None or not user.email or user.email != payload.get("email"):
        return None
    return user


def verification_send(*, user) -> bool:
    """Queue the link to ``user``'s address once the transaction commits; False when nothing is sent.

    Nothing goes out to an address already verified, or one that had its share of links this hour.
    """
    if not user.email or user.email_verified or address_limited(group="verification", address=user.email):
        return False
    context = {
        "user": user,
        "link": settings.SITE_URL + reverse("email-verify", args=[verification_token(user)]),
        "days": LINK_MAX_AGE.days,
    }
    subject = render_to_string("accounts/emails/verify_subject.txt", context).strip()
    body = render_to_string("accounts/emails/verify_body.txt", context)
    to = [user.email]
    transaction.on_commit(lambda: send_email.delay(subject=subject, body=body, to=to))
    return True


def email_verify(*, user) -> None:
    user.email_verified = True
    user.save(update_fields=["email_verified"])


def emails_mark_verified(*, users) -> int:
    """An administrator vouches for these people's addresses; returns how many were not verified before."""
    return users.filter(email_verified=False).exclude(email="").update(email_verified=True)


def email_changed(*, user) -> None:
    """A new address is not verified: mark it so, and send it a link."""
    user.email_verified = False
    user.save(update_fields=["email_verified"])
    verification_send(user=user)


def address_skip_reason(user) -> str:
    """Why no reminder, report or other notice may be emailed to ``user`` now, or '' when one may."""
    if not user.email:
        return "The account has no email address."
    if not user.email_verified:
        return "The email address is not verified."
    return ""
