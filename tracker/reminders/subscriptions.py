"""The browsers a person has subscribed to push reminders: the one place a subscription is added or removed.

A browser's endpoint is unique: the same browser subscribing again (new keys, or another person
signed in on it) updates its one row, so that it never gets a push twice, nor the previous
person's reminders.
"""

from django.core.exceptions import ValidationError

from ..models import PushSubscription
from . import push

MAX_ENDPOINT_LENGTH = PushSubscription._meta.get_field("endpoint").max_length


def push_subscribe(*, user, endpoint: str, p256dh: str, auth: str) -> tuple[PushSubscription, bool]:
    """(the subscription, created) for a browser's ``{"endpoint", "keys": {"p256dh", "auth"}}``;
    ValidationError, and nothing stored, when the endpoint is not on an allowed push service or a key is malformed."""
    errors = push.key_errors(p256dh=p256dh, auth=auth)
    if not isinstance(endpoint, str) or len(endpoint) > MAX_ENDPOINT_LENGTH or not push.endpoint_allowed(endpoint):
        errors["endpoint"] = "Not the endpoint of a push service this server sends to."
    if not push.enabled():
        errors["endpoint"] = push.OFF_REASON
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})
    held = PushSubscription.objects.filter(endpoint=endpoint).exclude(user=user).first()
    if held is not None and held.auth != auth:
        # The same browser signing in as someone else sends its same secret; an endpoint alone
        # (which a push service's logs or a proxy may show) must not move a person's reminders.
        raise ValidationError({"endpoint": ["This browser's subscription belongs to another account."]})
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription, created


def push_unsubscribe(*, subscription: PushSubscription) -> None:
    subscription.delete()
