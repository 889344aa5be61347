"""The dispatcher: run by beat at the start of every minute, it claims the due schedules, records one
delivery per slot and queues the deliveries for sending, in batches.

Never two deliveries for one slot and channel: due schedules are claimed under a row lock
(skipping rows another dispatcher holds), and a unique constraint allows one delivery per
(user, slot, kind, channel). A slot has a delivery on each of the schedule's channels (email,
push), each sent, retried and recovered on its own. None lost: a delivery whose task message vanished is queued again by
``requeue_abandoned``; the sender's per-delivery claim makes a duplicate harmless.
"""

import datetime
import functools
import logging

from celery import current_app
from django.conf import settings
from django.db import transaction

from ..models import Channel, Delivery, DeliveryKind, DeliveryStatus, ReminderSchedule
from .slots import slots_to_record, zone_named

logger = logging.getLogger(__name__)

# Named, not imported: tracker.tasks is the Celery adapter of this module and the sender, and
# imports them; a signature by name reaches the registered task (eager in tests) all the same.
SEND_TASK = "tracker.tasks.send_reminders"


def enqueue(delivery_ids) -> int:
    """Queue the deliveries for sending, REMINDER_SEND_BATCH_SIZE to a task; returns how many tasks."""
    ids, size = list(delivery_ids), settings.REMINDER_SEND_BATCH_SIZE
    for start in range(0, len(ids), size):
        current_app.signature(SEND_TASK, args=[ids[start : start + size]]).delay()
    return -(-len(ids) // size)


def _kinds(schedule: ReminderSchedule, slot: datetime.datetime, zone) -> list[str]:
    """What the slot carries on its local weekday; a due slot set under other settings stays a reminder."""
    return schedule.kinds_on(slot.astimezone(zone).weekday()) or [DeliveryKind.REMINDER]


def channels_of(schedule: ReminderSchedule) -> list[str]:
    """The channels a schedule's reminders go to, in a stable order; email when none is known."""
    return [channel for channel in Channel.values if channel in (schedule.channels or [])] or [Channel.EMAIL]


def kinds_and_channels(schedule: ReminderSchedule, slot: datetime.datetime, zone):
    """(kind, channel) of each delivery a slot records: reminders on every chosen channel, the weekly
    report by email only."""
    for kind in _kinds(schedule, slot, zone):
        for channel in channels_of(schedule) if kind == DeliveryKind.REMINDER else [Channel.EMAIL]:
            yield kind, channel


def dispatch_due(*, now: datetime.datetime, batch_size: int = 500) -> int:
    """Claim every schedule due at ``now``, record one delivery per slot, queue it for sending.

    Returns how many deliveries were queued. Each batch of ``batch_size`` schedules is one
    transaction: the claimed schedules move to their next slot in it, and their deliveries
    are queued after it commits, so the worker starts on the first batch while the next is
    being claimed. On PostgreSQL a second dispatcher skips the rows this one holds; on
    SQLite the IMMEDIATE transaction makes it wait, then find them no longer due.
    """
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(
                ReminderSchedule.objects.due(now)
                .select_related("user")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("next_due_at", "pk")[:batch_size]
            )
            if not batch:
                return queued
            slots, deliveries = {}, []
            for schedule in batch:
                zone = zone_named(schedule.user.timezone)
                slot, missed, schedule.next_due_at = slots_to_record(
                    due=schedule.next_due_at, at=schedule.time, weekdays=schedule.slot_days, zone=zone, now=now
                )
                slots[schedule.user_id] = slot
                # A slot carries a reminder on a reminder day (on each chosen channel), the weekly
                # report on its day, or both.
                deliveries.extend(
                    Delivery(user_id=schedule.user_id, slot_at=slot, kind=kind, channel=channel)
                    for kind, channel in kinds_and_channels(schedule, slot, zone)
                )
                deliveries.extend(
                    Delivery(
                        user_id=schedule.user_id,
                        slot_at=missed_slot,
                        kind=kind,
                        channel=channel,
                        status=DeliveryStatus.SKIPPED,
                        skip_reason=reason,
                    )
                    for missed_slot, reason in missed
                    for kind, channel in kinds_and_channels(schedule, missed_slot, zone)
                )
            ReminderSchedule.objects.bulk_update(batch, ["next_due_at"])
            # The unique (user, slot, kind, channel) constraint is the last line of defence.
            Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
            ids = [
                pk
                for pk, user_id, slot_at in Delivery.objects.filter(
                    user_id__in=slots, slot_at__in=set(slots.values()), status=DeliveryStatus.QUEUED
                ).values_list("pk", "user_id", "slot_at")
                if slots[user_id] == slot_at
            ]
            transaction.on_commit(functools.partial(enqueue, ids), robust=True)
            queued += len(ids)


def requeue_abandoned(*, now: datetime.datetime, older_than: datetime.timedelta, limit: int = 1000) -> int:
    """Queue again the deliveries whose task message or worker was lost; returns how many.

    A broker without redelivery (kombu's SQLAlchemy transport) forgets a message its
    worker took when that worker is killed. The sender's claim makes a duplicate harmless,
    and settles a claim left by a dead worker as uncertain.
    """
    with transaction.atomic():
        ids = list(
            Delivery.objects.abandoned(now - older_than)
            .select_for_update(skip_locked=True)
            .order_by("slot_at")
            .values_list("pk", flat=True)[:limit]
        )
        # Touched so that each one is queued again at most once per ``older_than``.
        Delivery.objects.filter(pk__in=ids).update(updated_at=now)
        transaction.on_commit(functools.partial(enqueue, ids), robust=True)
    if ids:
        logger.warning("queued %d abandoned reminder deliveries again", len(ids))
    return len(ids)
