"""What a person sets: when their reminders come, in which time zone, or none at all.

The one place a schedule changes (the reminders page, the API, the admin) and the one
place a user's time zone changes (``timezone_change``: the profile, the reminders page
and the admin all come here), so that ``next_due_at`` always follows. Also the signed
tokens of the one-click unsubscribe link.
"""

import datetime
import functools

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone as django_timezone

from backcare.accounts.timezones import validate_timezone

from ..models import Channel, Delivery, DeliveryStatus, ReminderSchedule
from . import push
from .dispatcher import channels_of, enqueue
from .slots import ONE_SECOND, next_slot, zone_named

TURNED_OFF = "Reminders were turned off before this one was sent."
WEEKLY_TURNED_OFF = "The weekly report was turned off before this one was sent."


def next_due_at(schedule: ReminderSchedule, *, after: datetime.datetime) -> datetime.datetime | None:
    """When the next slot (a reminder, the weekly report or both) is due, in UTC; None while both are off."""
    if not schedule.slot_days:
        return None
    zone = zone_named(schedule.user.timezone)
    return next_slot(after=after, at=schedule.time, weekdays=schedule.slot_days, zone=zone)


def validate_channels(channels, *, current=()) -> list[str]:
    """The channels in their stable order; at least one, each known, push added only when this server can push
    (kept when it was already there: the sender then skips its deliveries, saying why)."""
    if not isinstance(channels, list | tuple) or any(not isinstance(channel, str) for channel in channels):
        raise ValidationError({"channels": ["A list of channels: email, push."]})
    if len(set(channels)) != len(channels):
        raise ValidationError({"channels": ["Each channel at most once."]})
    unknown = sorted(set(channels) - set(Channel.values))
    if unknown:
        raise ValidationError({"channels": [f"Unknown channel: {', '.join(unknown)}. Choose email, push or both."]})
    if not channels:
        # Reminders with nowhere to go would be "on" and never arrive: turning them off says that.
        raise ValidationError({"channels": ["Choose at least one channel, or turn reminders off."]})
    if Channel.PUSH in channels and Channel.PUSH not in current and not push.enabled():
        raise ValidationError({"channels": [push.OFF_REASON]})
    return [channel for channel in Channel.values if channel in channels]


def schedule_for(user) -> ReminderSchedule:
    """The user's schedule, created (off) on first access."""
    schedule, _ = ReminderSchedule.objects.select_related("user").get_or_create(user=user)
    return schedule


def _record_owed_slot(schedule: ReminderSchedule, slot: datetime.datetime) -> None:
    """Record a slot that fell due under settings that are now gone, as the dispatcher would have."""
    channels = channels_of(schedule)
    if not schedule.enabled:
        Delivery.objects.bulk_create(
            [
                Delivery(
                    user_id=schedule.user_id,
                    slot_at=slot,
                    channel=channel,
                    status=DeliveryStatus.SKIPPED,
                    skip_reason=TURNED_OFF,
                )
                for channel in channels
            ],
            ignore_conflicts=True,
        )
        return
    Delivery.objects.bulk_create(
        [Delivery(user_id=schedule.user_id, slot_at=slot, channel=channel) for channel in channels],
        ignore_conflicts=True,
    )
    ids = list(
        Delivery.objects.filter(user_id=schedule.user_id, slot_at=slot, status=DeliveryStatus.QUEUED).values_list(
            "pk", flat=True
        )
    )
    transaction.on_commit(functools.partial(enqueue, ids), robust=True)


def _next_due_keeping_owed(schedule: ReminderSchedule, *, was_due_at, now: datetime.datetime):
    """The next slot under the schedule's new settings, without losing one that is due and not yet dispatched.

    The dispatcher runs at the start of every minute (later when beat was down), so a slot can
    be due and still unrecorded when the settings change; it was due under the old settings,
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
    # Locked so that a dispatcher cannot record and advance the due slot under our feet.
    return ReminderSchedule.objects.select_for_update().filter(user=user).first()


def _was_due_at(schedule: ReminderSchedule) -> datetime.datetime | None:
    return schedule.next_due_at if schedule.slot_days else None


def _moved(schedule: ReminderSchedule, user, now: datetime.datetime, *, was_due_at) -> ReminderSchedule:
    """The schedule's next slot recomputed for its (possibly new) settings and the user's zone."""
    schedule.user = user
    schedule.next_due_at = _next_due_keeping_owed(schedule, was_due_at=was_due_at, now=now)
    return schedule


@transaction.atomic
def timezone_change(*, user, timezone: str, now: datetime.datetime | None = None) -> None:
    """The one place a user's time zone changes (profile, reminders page, API, admin).

    07:30 stays 07:30 in the new zone: the next reminder slot moves with it.
    """
    if timezone != user.timezone:  # a legacy zone a person already has may be kept
        validate_timezone(timezone)
    schedule = _locked_schedule(user)
    user.timezone = timezone
    user.save(update_fields=["timezone"])
    if schedule is not None:
        moved = _moved(schedule, user, now or django_timezone.now(), was_due_at=_was_due_at(schedule))
        moved.save(update_fields=["next_due_at", "updated_at"])


@transaction.atomic
def schedule_update(
    *,
    user,
    enabled: bool,
    time: datetime.time,
    timezone: str,
    weekdays,
    skip_if_done: bool,
    weekly_report: bool | None = None,
    weekly_report_day: int | None = None,
    channels=None,
    now: datetime.datetime | None = None,
) -> ReminderSchedule:
    """Change the user's reminders (and their one time zone); the next slot is recomputed.

    ``weekly_report`` and ``weekly_report_day`` (0 = Monday … 6 = Sunday): None keeps them as they are.
    ``channels``: where they go (email, push); None keeps the current ones.
    """
    if weekly_report_day is not None and weekly_report_day not in range(7):
        raise ValidationError({"weekly_report_day": ["Choose a day from 0 (Monday) to 6 (Sunday)."]})
    if timezone != user.timezone:  # a legacy zone a person already has may be kept
        validate_timezone(timezone)
    if channels is not None:
        channels = validate_channels(channels, current=schedule_for(user).channels)
    now = now or django_timezone.now()
    schedule_for(user)
    if user.timezone != timezone:
        timezone_change(user=user, timezone=timezone, now=now)
    schedule = _locked_schedule(user)
    was_due_at = _was_due_at(schedule)
    schedule.enabled = enabled
    schedule.time = time
    schedule.weekdays = ReminderSchedule.mask_for(weekdays)
    schedule.skip_if_done = skip_if_done
    if weekly_report is not None:
        schedule.weekly_report = weekly_report
    if weekly_report_day is not None:
        schedule.weekly_report_day = weekly_report_day
    if channels is not None:
        schedule.channels = channels
    _moved(schedule, user, now, was_due_at=was_due_at).save()
    return schedule


@transaction.atomic
def schedule_refresh(user, *, now: datetime.datetime | None = None) -> ReminderSchedule | None:
    """Recompute the next slot, as after a change of the user's time zone."""
    schedule = _locked_schedule(user)
    if schedule is None:
        return None
    _moved(schedule, user, now or django_timezone.now(), was_due_at=_was_due_at(schedule)).save(
        update_fields=["next_due_at", "updated_at"]
    )
    return schedule


@transaction.atomic
def unsubscribe(*, user, now: datetime.datetime | None = None) -> bool:
    """Turn the user's reminders and weekly report off; True when either was on.

    A slot already due and not yet dispatched is recorded as skipped, not sent: the person
    asked for no more, and the slot is still accounted for.
    """
    schedule = _locked_schedule(user)
    if schedule is None or not schedule.slot_days:
        return False
    schedule.enabled = False
    schedule.weekly_report = False
    # Its old due slot is owed, and recorded as skipped now that reminders are off.
    schedule.next_due_at = _next_due_keeping_owed(
        schedule, was_due_at=schedule.next_due_at, now=now or django_timezone.now()
    )
    schedule.save(update_fields=["enabled", "weekly_report", "next_due_at", "updated_at"])
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
