"""Shared by the reminder schedule tests: settings saved as the settings page saves them, at a frozen moment."""

import datetime

import time_machine

from tracker.reminders.schedule import schedule_update
from tracker.reminders.sender import send_batch


def remind(user, *, now, at=datetime.time(7, 30), weekdays=(), enabled=True, timezone=None, **weekly):
    """Save the user's reminder settings at ``now`` (skip-if-done on; ``weekly_report``, ``weekly_report_day``
    as given); returns the schedule."""
    with time_machine.travel(now, tick=False):
        return schedule_update(
            user=user,
            enabled=enabled,
            time=at,
            timezone=timezone or user.timezone,
            weekdays=weekdays,
            skip_if_done=True,
            **weekly,
        )


def send_one(delivery_id):
    """Send one delivery as a batch of one, as the send task does; returns what became of it."""
    return send_batch(delivery_ids=[delivery_id]).outcomes[delivery_id]
