"""Deleting an account: the user and everything they ever logged, in one transaction."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction


def account_delete(*, user) -> None:
    """Remove ``user`` with their sessions, pain entries, self-checks, reminder schedule,
    deliveries and API token (all cascade from the user), and the login records kept
    under their username."""
    with transaction.atomic():
        username = user.username
        user.delete()
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=username).delete()
