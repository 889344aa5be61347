"""The content rotation: which tip, testimonial or resource each reminder carries.

The active item a person has been sent the fewest times comes next, ties in the admin's
order; so nothing repeats until every item was shown, and a new item comes before the old
ones repeat. Each person has a rotation of their own.
"""

from django.db.models import Count

from ..models import ContentItem, Delivery, DeliveryStatus


def next_items(user_ids) -> dict[int, ContentItem | None]:
    """{user id: the item their next reminder carries} for a batch of users, in two queries."""
    user_ids = list(user_ids)
    items = list(ContentItem.objects.active().order_by("order", "pk"))
    if not items or not user_ids:
        return dict.fromkeys(user_ids)
    counts = {
        (row["user_id"], row["content_item_id"]): row["sent"]
        for row in Delivery.objects.filter(
            user_id__in=user_ids, status=DeliveryStatus.SENT, content_item_id__in=[item.pk for item in items]
        )
        .values("user_id", "content_item_id")
        .annotate(sent=Count("pk"))
        .order_by()
    }
    # ``items`` is in the admin's order, and min() keeps the first of equal counts.
    return {user_id: min(items, key=lambda item: counts.get((user_id, item.pk), 0)) for user_id in user_ids}
