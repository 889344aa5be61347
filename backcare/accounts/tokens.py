"""A person's API token: the one they have, or a new one in place of it."""

from django.db import transaction
from rest_framework.authtoken.models import Token


def api_token_for(user) -> Token:
    return Token.objects.get_or_create(user=user)[0]


def api_token_regenerate(*, user) -> Token:
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)
