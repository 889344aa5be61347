"""What a person sets: when their reminders come, in which time zone, or none at all.

The one place a schedule changes (the reminders page, the API, the admin) and the one
place a user's time zone changes (``timezone_change``: the profile, the reminders page
and the admin all come here), so that ``next_due_at`` always follows. Also the signed
tokens of the one-click unsubscribe link.
"""

import dataclasses
import datetime
import functools

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone as django_timezone

from backcare.accounts.timezones import validate_timezone

from ..models import Channel, Delivery, DeliveryKind, DeliveryStatus, ReminderSchedule
from . import push
from .dispatcher import enqueue, kinds_and_channels
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


@dataclasses.dataclass(frozen=True)
class Owed:
    """A slot due and perhaps not yet dispatched, with the deliveries it carried under the settings
    it fell due under: (kind, channel) pairs, as the dispatcher would have recorded them."""

    at: datetime.datetime
    carries: tuple[tuple[str, str], ...]


def _owed(schedule: ReminderSchedule | None) -> Owed | None:
    """The schedule's due slot and what it carries, read before its settings or zone change."""
    if schedule is None or not schedule.slot_days or schedule.next_due_at is None:
        return None
    zone = zone_named(schedule.user.timezone)
    return Owed(schedule.next_due_at, tuple(kinds_and_channels(schedule, schedule.next_due_at, zone)))


def _turned_off(schedule: ReminderSchedule, kind: str) -> str:
    """Why a delivery of this kind is no longer wanted under the schedule's new settings, or ''."""
    if kind == DeliveryKind.WEEKLY_REPORT:
        return "" if schedule.weekly_report else WEEKLY_TURNED_OFF
    return "" if schedule.enabled else TURNED_OFF


def _record_owed_slot(schedule: ReminderSchedule, owed: Owed) -> None:
    """Record a slot that fell due under settings that are now gone, as the dispatcher would have:
    each delivery it carried then, skipped when its kind is now turned off, queued otherwise (the
    sender's skip rules then judge it under the new settings)."""
    rows = []
    for kind, channel in owed.carries:
        reason = _turned_off(schedule, kind)
        status = DeliveryStatus.SKIPPED if reason else DeliveryStatus.QUEUED
        rows.append(
            Delivery(
                user_id=schedule.user_id,
                slot_at=owed.at,
                kind=kind,
                channel=channel,
                status=status,
                skip_reason=reason,
            )
        )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Delivery.objects.filter(user_id=schedule.user_id, slot_at=owed.at, status=DeliveryStatus.QUEUED).values_list(
            "pk", flat=True
        )
    )
    transaction.on_commit(functools.partial(enqueue, ids), robust=True)


def _next_due_keeping_owed(schedule: ReminderSchedule, *, owed: Owed | None, now: datetime.datetime):
    """The next slot under the schedule's new settings, without losing one that is due and not yet dispatched.

    The dispatcher runs at the start of every minute (later when beat was down), so a slot can
    be due and still unrecorded when the settings change; it was due under the old settings,
    so it is still owed one reminder.
    """
    following = next_due_at(schedule, after=now)
    if owed is None or owed.at > now:
        return following
    if following is not None and next_due_at(schedule, after=owed.at - ONE_SECOND) == owed.at:
        # Still a slot under the new settings: the dispatcher records it, then advances.
        return owed.at
    _record_owed_slot(schedule, owed)
    return following


def _locked_schedule(user) -> ReminderSchedule | None:
    # Locked so that a dispatcher cannot record and advance the due slot under our feet.
    return ReminderSchedule.objects.select_for_update().filter(user=user).first()


def _moved(schedule: ReminderSchedule, user, now: datetime.datetime, *, owed: Owed | None) -> ReminderSchedule:
    """The schedule's next slot recomputed for its (possibly new) settings and the user's zone."""
    schedule.user = user
    schedule.next_due_at = _next_due_keeping_owed(schedule, owed=owed, now=now)
    return schedule


@transaction.atomic
def timezone_change(*, user, timezone: str, now: datetime.datetime | None = None) -> None:
    """The one place a user's time zone changes (profile, reminders page, API, admin).

    07:30 stays 07:30 in the new zone: the next reminder slot moves with it.
    """
    if timezone != user.timezone:  # a legacy zone a person already has may be kept
        validate_timezone(timezone)
    schedule = _locked_schedule(user)
    owed = _owed(schedule)
    user.timezone = timezone
    user.save(update_fields=["timezone"])
    if schedule is not None:
        moved = _moved(schedule, user, now or django_timezone.now(), owed=owed)
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
    owed = _owed(schedule)
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
    _moved(schedule, user, now, owed=owed).save()
    return schedule


@transaction.atomic
def schedule_refresh(user, *, now: datetime.datetime | None = None) -> ReminderSchedule | None:
    """Recompute the next slot, as after a change of the user's time zone."""
    schedule = _locked_schedule(user)
    if schedule is None:
        return None
    _moved(schedule, user, now or django_timezone.now(), owed=_owed(schedule)).save(
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
    owed = _owed(schedule)
    schedule.enabled = False
    schedule.weekly_report = False
    # Its old due slot is owed, and recorded as skipped now that reminders are off.
    schedule.next_due_at = _next_due_keeping_owed(schedule, owed=owed, now=now or django_timezone.now())
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
