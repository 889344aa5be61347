"""Which email a delivery carries, by its kind: the daily reminder (``content``) or the weekly report (``weekly``).

The sender asks here for a whole batch's contexts and for each delivery's message, so it
never needs to know the kinds apart.
"""

from ..models import Delivery, DeliveryKind
from .content import reminder_contexts, reminder_email
from .weekly import weekly_contexts, weekly_email


def delivery_contexts(deliveries: list[Delivery]) -> dict[int, dict]:
    """{delivery id: its template context}, each kind built in one go for the batch."""
    weekly = [delivery for delivery in deliveries if delivery.kind == DeliveryKind.WEEKLY_REPORT]
    reminders = [delivery for delivery in deliveries if delivery.kind != DeliveryKind.WEEKLY_REPORT]
    contexts = reminder_contexts(reminders) if reminders else {}
    if weekly:
        contexts.update(weekly_contexts(weekly))
    return contexts


def delivery_email(delivery: Delivery, context: dict):
    if delivery.kind == DeliveryKind.WEEKLY_REPORT:
        return weekly_email(delivery, context)
    return reminder_email(delivery, context)
