"""Reminders: when each one is due, who claims it, and the one place a schedule changes.

Times: a schedule holds a local time of day and weekdays; ``next_due_at`` is the UTC
instant of the next slot, computed with zoneinfo from the user's time zone, so 07:30
stays 07:30 local across daylight-saving changes. A local time that does not exist
(02:30 on a spring-forward night) moves to the first instant after the gap; one that
happens twice (01:30 on a fall-back night) is taken the first time.

Never two emails for one slot: the dispatcher claims due schedules under a row lock
(skipping rows another dispatcher holds), a unique constraint allows one delivery per
(user, slot), and the send claims its delivery with a conditional UPDATE before it
talks to the SMTP server. None lost: a delivery whose task message vanished is queued
again by the dispatcher, and one whose worker died mid-send ends ``uncertain``.
"""

import datetime
import functools
import logging
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone as django_timezone

from backcare.accounts.timezones import validate_timezone
from backcare.accounts.verification import address_skip_reason

from . import emails
from .models import Delivery, DeliveryStatus, ReminderSchedule, Session

logger = logging.getLogger(__name__)

UTC = datetime.UTC
ONE_DAY = datetime.timedelta(days=1)
ONE_SECOND = datetime.timedelta(seconds=1)
# Slots missed while nothing dispatched (the machine was off) are recorded as skipped and
# the latest one is sent. A year's worth are recorded one by one; older ones are counted
# in the oldest recorded row, so the work per due schedule stays bounded.
MAX_MISSED_RECORDED = 366
MISSED_REASON = "Missed: reminders were not being dispatched at that time."
CLAIMABLE = [DeliveryStatus.QUEUED, DeliveryStatus.RETRYING]
WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


class TransientSendError(Exception):
    """The SMTP server could not take the email now (4xx, refused, disconnected): try again later."""


# --- When a slot falls -------------------------------------------------------------


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # A zone removed from the system's database must not stop everyone's reminders.
        logger.warning("unknown time zone %r, using UTC", name)
        return zoneinfo.ZoneInfo("UTC")


def _wall(instant: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def local_instant(day: datetime.date, at: datetime.time, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The UTC instant of wall-clock time ``at`` on ``day`` in ``zone``."""
    wall = datetime.datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if _wall(first, zone) == wall:
        return first
    # ``wall`` falls in a spring-forward gap: the two folds bracket the transition, and
    # the first instant whose wall time is past ``wall`` is the transition itself.
    before, after = sorted([first, wall.replace(tzinfo=zone, fold=1).astimezone(UTC)])
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(datetime.datetime.fromtimestamp(middle, UTC), zone) > wall:
            high = middle
        else:
            low = middle
    return datetime.datetime.fromtimestamp(high, UTC)


def _slot_days(weekdays: int, first: datetime.date, step: datetime.timedelta):
    day = first
    # Nine days cover a whole week on either side of a date, whatever the weekdays.
    for _ in range(9):
        if not weekdays or weekdays & (1 << day.weekday()):
            yield day
        day += step


def next_slot(*, after: datetime.datetime, at: datetime.time, weekdays: int, zone) -> datetime.datetime:
    """The first slot strictly after ``after`` (UTC)."""
    start = after.astimezone(zone).date() - ONE_DAY
    for day in _slot_days(weekdays, start, ONE_DAY):
        slot = local_instant(day, at, zone)
        if slot > after:
            return slot
    raise AssertionError("a week always holds a slot")


def last_slot(*, at_or_before: datetime.datetime, at: datetime.time, weekdays: int, zone) -> datetime.datetime:
    """The latest slot at or before ``at_or_before`` (UTC)."""
    start = at_or_before.astimezone(zone).date() + ONE_DAY
    for day in _slot_days(weekdays, start, -ONE_DAY):
        slot = local_instant(day, at, zone)
        if slot <= at_or_before:
            return slot
    raise AssertionError("a week always holds a slot")


def next_due_at(schedule: ReminderSchedule, *, after: datetime.datetime) -> datetime.datetime | None:
    """When this schedule's next reminder is due, in UTC; None while reminders are off."""
    if not schedule.enabled:
        return None
    zone = zone_named(schedule.user.timezone)
    return next_slot(after=after, at=schedule.time, weekdays=schedule.weekdays, zone=zone)


# --- Changing a schedule -------------------------------------------------------------


def schedule_for(user) -> ReminderSchedule:
    """The user's schedule, created (off) on first access."""
    schedule, _ = ReminderSchedule.objects.select_related("user").get_or_create(user=user)
    return schedule


def timezone_change(*, user, timezone: str) -> None:
    """The one place a user's time zone is stored (reminders page, API, profile); the caller moves the reminder."""
    if timezone != user.timezone:  # a legacy zone a person already has may be kept
        validate_timezone(timezone)
    user.timezone = timezone
    user.save(update_fields=["timezone"])


def _record_owed_slot(schedule: ReminderSchedule, slot: datetime.datetime) -> None:
    """Record a slot that fell due under settings that are now gone, as the dispatcher would have."""
    if not schedule.enabled:
        Delivery.objects.bulk_create(
            [
                Delivery(
                    user_id=schedule.user_id,
                    slot_at=slot,
                    status=DeliveryStatus.SKIPPED,
                    skip_reason="Reminders were turned off before this one was sent.",
                )
            ],
            ignore_conflicts=True,
        )
        return
    Delivery.objects.bulk_create([Delivery(user_id=schedule.user_id, slot_at=slot)], ignore_conflicts=True)
    ids = list(
        Delivery.objects.filter(user_id=schedule.user_id, slot_at=slot, status=DeliveryStatus.QUEUED).values_list(
            "pk", flat=True
        )
    )
    transaction.on_commit(functools.partial(_enqueue, ids), robust=True)


def _next_due_keeping_owed(schedule: ReminderSchedule, *, was_due_at, now: datetime.datetime):
    """The next slot under the schedule's new settings, without losing one that is due and not yet dispatched.

    The dispatcher runs once a minute (later when beat was down), so a slot can be due
    and still unrecorded when the settings change; it was due under the old settings,
    so it is still owed one reminder.
    """
    following = next_due_at(schedule, after=now)
    if was_due_at is None or was_due_at > now:
        return following
    if following is not None and next_due_at(schedule, after=was_due_at - ONE_SECOND) == was_due_at:
        # Still a slot under the new settings: the dispatcher records it, then advances.
        return was_due_at
    _record_owed_slot(schedule, was_due_at)
    return following


def _locked_schedule(user) -> ReminderSchedule | None:
    return ReminderSchedule.objects.select_for_update().filter(user=user).first()


@transaction.atomic
def schedule_update(
    *,
    user,
    enabled: bool,
    time: datetime.time,
    timezone: str,
    weekdays,
    skip_if_done: bool,
    now: datetime.datetime | None = None,
) -> ReminderSchedule:
    """Change the user's reminders (and their one time zone); the next slot is recomputed."""
    if timezone != user.timezone:  # a legacy zone a person already has may be kept
        validate_timezone(timezone)
    now = now or django_timezone.now()
    schedule_for(user)
    # Locked so that a dispatcher cannot record and advance the due slot under our feet.
    schedule = _locked_schedule(user)
    was_due_at = schedule.next_due_at if schedule.enabled else None
    if user.timezone != timezone:
        timezone_change(user=user, timezone=timezone)
    schedule.user = user
    schedule.enabled = enabled
    schedule.time = time
    schedule.weekdays = ReminderSchedule.mask_for(weekdays)
    schedule.skip_if_done = skip_if_done
    schedule.next_due_at = _next_due_keeping_owed(schedule, was_due_at=was_due_at, now=now)
    schedule.save()
    return schedule


@transaction.atomic
def schedule_refresh(user, *, now: datetime.datetime | None = None) -> ReminderSchedule | None:
    """Recompute the next slot after the user's time zone changed elsewhere (the profile)."""
    schedule = _locked_schedule(user)
    if schedule is None:
        return None
    schedule.user = user
    was_due_at = schedule.next_due_at if schedule.enabled else None
    schedule.next_due_at = _next_due_keeping_owed(schedule, was_due_at=was_due_at, now=now or django_timezone.now())
    schedule.save(update_fields=["next_due_at", "updated_at"])
    return schedule


@transaction.atomic
def unsubscribe(*, user, now: datetime.datetime | None = None) -> bool:
    """Turn the user's reminders off; True when they were on.

    A slot already due and not yet dispatched is recorded as skipped, not sent: the person
    asked for no more, and the slot is still accounted for.
    """
    schedule = _locked_schedule(user)
    if schedule is None or not schedule.enabled:
        return False
    was_due_at, schedule.enabled = schedule.next_due_at, False
    schedule.next_due_at = _next_due_keeping_owed(schedule, was_due_at=was_due_at, now=now or django_timezone.now())
    schedule.save(update_fields=["enabled", "next_due_at", "updated_at"])
    return True


# --- One-click unsubscribe tokens ------------------------------------------------------

# No expiry: RFC 8058 links sit in mailboxes for years and must still work.
_unsubscribe_signer = signing.Signer(salt="tracker.reminders.unsubscribe")


def unsubscribe_token(user) -> str:
    return _unsubscribe_signer.sign(str(user.pk))


def user_for_unsubscribe_token(token: str):
    """The user a token was made for, or None when it was tampered with or the account is gone."""
    try:
        pk = _unsubscribe_signer.unsign(token)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first()


# --- Dispatching due slots -------------------------------------------------------------


def _slots_between(first: datetime.date, last: datetime.date, weekdays: int) -> int:
    """How many local days from ``first`` to ``last`` (both included) hold a slot."""
    if last < first:
        return 0
    days = (last - first).days + 1
    if not weekdays:
        return days
    weeks, rest = divmod(days, 7)
    count = weeks * weekdays.bit_count()
    for offset in range(rest):
        count += bool(weekdays & (1 << (first + datetime.timedelta(days=offset)).weekday()))
    return count


def _slots_to_record(schedule: ReminderSchedule, now: datetime.datetime):
    """(slot to send, missed slots as (slot, skip reason), next due) for a due schedule."""
    zone = zone_named(schedule.user.timezone)
    rule = {"at": schedule.time, "weekdays": schedule.weekdays, "zone": zone}
    slot = schedule.next_due_at
    following = next_slot(after=slot, **rule)
    if following > now:
        return slot, [], following
    # Several slots went by with nobody dispatching: send only the latest, no backlog; the
    # schedule's own due slot and every slot since are recorded as missed.
    latest = last_slot(at_or_before=now, **rule)
    missed, earlier = [], latest
    while len(missed) < MAX_MISSED_RECORDED:
        earlier = last_slot(at_or_before=earlier - ONE_SECOND, **rule)
        if earlier <= slot:
            break
        missed.append(earlier)
    reasons = [MISSED_REASON] * len(missed)
    if len(missed) < MAX_MISSED_RECORDED:
        missed.append(slot)
        reasons.append(MISSED_REASON)
    else:
        oldest_day = missed[-1].astimezone(zone).date()
        first_day = slot.astimezone(zone).date()
        # The due slot itself, then the slots on the days between it and the oldest recorded.
        older = 1 + _slots_between(first_day + ONE_DAY, oldest_day - ONE_DAY, schedule.weekdays)
        if first_day < oldest_day and local_instant(first_day, schedule.time, zone) > slot:
            older += _slots_between(first_day, first_day, schedule.weekdays)
        reasons[-1] = f"{MISSED_REASON} {older} earlier missed reminders, from {first_day:%Y-%m-%d}, are not listed."
    return latest, list(zip(missed, reasons, strict=True)), next_slot(after=latest, **rule)


def _enqueue(delivery_ids):
    from .tasks import send_reminder

    for delivery_id in delivery_ids:
        send_reminder.delay(delivery_id)


def dispatch_due(*, now: datetime.datetime, batch_size: int = 500) -> int:
    """Claim every schedule due at ``now``, record one delivery per slot, queue its email.

    Returns how many deliveries were queued. Each batch is one transaction: the claimed
    schedules move to their next slot in it, and the send tasks are queued after it
    commits. On PostgreSQL a second dispatcher skips the rows this one holds; on SQLite
    the IMMEDIATE transaction makes it wait, then find them no longer due.
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
                slot, missed, schedule.next_due_at = _slots_to_record(schedule, now)
                slots[schedule.user_id] = slot
                deliveries.append(Delivery(user_id=schedule.user_id, slot_at=slot))
                deliveries.extend(
                    Delivery(
                        user_id=schedule.user_id, slot_at=missed_slot, status=DeliveryStatus.SKIPPED, skip_reason=reason
                    )
                    for missed_slot, reason in missed
                )
            ReminderSchedule.objects.bulk_update(batch, ["next_due_at"])
            # The unique (user, slot) constraint is the last line of defence.
            Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
            ids = [
                pk
                for pk, user_id, slot_at in Delivery.objects.filter(
                    user_id__in=slots, slot_at__in=set(slots.values()), status=DeliveryStatus.QUEUED
                ).values_list("pk", "user_id", "slot_at")
                if slots[user_id] == slot_at
            ]
            transaction.on_commit(functools.partial(_enqueue, ids), robust=True)
            queued += len(ids)


def requeue_abandoned(*, now: datetime.datetime, older_than: datetime.timedelta, limit: int = 1000) -> int:
    """Queue again the deliveries whose task message or worker was lost; returns how many.

    A broker without redelivery (kombu's SQLAlchemy transport) forgets a message its
    worker took when that worker is killed. The send's claim makes a duplicate harmless.
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
        transaction.on_commit(functools.partial(_enqueue, ids), robust=True)
    if ids:
        logger.warning("queued %d abandoned reminder deliveries again", len(ids))
    return len(ids)


# --- Sending one ------------------------------------------------------------------------


def _finish(delivery_id: int, **fields) -> None:
    Delivery.objects.filter(pk=delivery_id).update(updated_at=django_timezone.now(), **fields)


def _not_claimed(delivery_id: int, now: datetime.datetime) -> str:
    delivery = Delivery.objects.filter(pk=delivery_id).only("status", "claimed_at").first()
    if delivery is None:
        return "missing"
    if delivery.status != DeliveryStatus.SENDING:
        return f"already {delivery.status}"
    stale_before = now - datetime.timedelta(seconds=settings.REMINDER_RECOVER_AFTER)
    if delivery.claimed_at and delivery.claimed_at < stale_before:
        # The send time limit is shorter than this, so the claimant is dead; whether its
        # email went out is unknown, and sending again could make it two.
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING, claimed_at=delivery.claimed_at).update(
            status=DeliveryStatus.UNCERTAIN,
            error="The worker sending this email stopped before the SMTP server answered; not sent again.",
            updated_at=now,
        )
        return "uncertain"
    return "in progress"


def skip_reason(delivery: Delivery) -> str:
    """Why this reminder should not be sent now, or '' to send it."""
    user = delivery.user
    if not user.is_active:
        return "The account is inactive."
    if address_reason := address_skip_reason(user):
        return address_reason
    try:
        schedule = user.reminder_schedule
    except ReminderSchedule.DoesNotExist:
        schedule = None
    if schedule is None or not schedule.enabled:
        return "Reminders were turned off before this one was sent."
    local_day = delivery.slot_at.astimezone(zone_named(user.timezone)).date()
    if schedule.skip_if_done and Session.objects.for_user(user).filter(date=local_day).exists():
        return f"A session was already logged on {local_day:%Y-%m-%d}."
    return ""


def reminder_send(*, delivery_id: int) -> str:
    """Send one reminder at most once; returns what happened.

    'sent', 'skipped', 'failed', 'uncertain' (a dead worker's claim found), 'in progress'
    (another live attempt holds the claim), 'already <status>' or 'missing'. Raises
    TransientSendError after recording a retryable failure.
    """
    now = django_timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status__in=CLAIMABLE).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now, updated_at=now
    )
    if not claimed:
        return _not_claimed(delivery_id, now)
    try:
        # Everything the skip check and the email read about the user comes in this one query.
        delivery = Delivery.objects.select_related("user__reminder_schedule", "user__program", "content_item").get(
            pk=delivery_id
        )
        reason = skip_reason(delivery)
    except Exception as exc:
        # The SMTP server was never contacted, so this is not uncertain: give the claim back
        # for the task's retry (or, failing that, the dispatcher's recovery) to take again,
        # until the attempts run out; then it is a failure, visible in the admin.
        out_of_attempts = When(attempts__gte=settings.REMINDER_MAX_ATTEMPTS, then=Value(DeliveryStatus.FAILED))
        _finish(
            delivery_id,
            status=Case(out_of_attempts, default=Value(DeliveryStatus.RETRYING)),
            error=f"Could not prepare the email: {exc!r}",
        )
        raise
    if reason:
        _finish(delivery_id, status=DeliveryStatus.SKIPPED, skip_reason=reason)
        return "skipped"

    try:
        message = emails.reminder_message(delivery)
    except Exception as exc:
        # Nothing reached the SMTP server: a plain failure, visible in the admin.
        _finish(delivery_id, status=DeliveryStatus.FAILED, error=f"Could not render the email: {exc!r}")
        raise

    try:
        emails.send(message)
    except Exception as exc:
        kind, error = emails.send_error(exc)
        if kind == emails.TRANSIENT and delivery.attempts < settings.REMINDER_MAX_ATTEMPTS:
            _finish(delivery_id, status=DeliveryStatus.RETRYING, error=error, content_item=delivery.content_item)
            raise TransientSendError(error) from exc
        if kind == emails.TRANSIENT:
            error = f"Gave up after {delivery.attempts} attempts: {error}"
        _finish(delivery_id, status=DeliveryStatus.FAILED, error=error, content_item=delivery.content_item)
        logger.warning("reminder %s failed: %s", delivery_id, error)
        return "failed"

    _finish(
        delivery_id,
        status=DeliveryStatus.SENT,
        sent_at=django_timezone.now(),
        error="",
        content_item=delivery.content_item,
    )
    return "sent"
