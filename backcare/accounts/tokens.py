"""The API token: one per person, made on request, dead with the password that was current when it was made."""

from django.db import transaction
from rest_framework.authtoken.models import Token


def api_token_regenerate(*, user) -> Token:
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def api_tokens_revoke(*, user) -> None:
    """End API access with the current token, as Django ends the other sessions, when the password changes."""
    Token.objects.filter(user=user).delete()
