"""When a reminder is due: local time kept across daylight-saving changes, weekdays, off, overdue."""

import datetime

import pytest
import time_machine

from tracker.models import Delivery, DeliveryStatus, ReminderSchedule
from tracker.reminders.dispatcher import dispatch_due
from tracker.reminders.schedule import schedule_refresh

from .reminders_helpers import remind

UTC = datetime.UTC
MON, WED, FRI = 0, 2, 4


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def due_after_dispatch(user, now):
    dispatch_due(now=now, batch_size=100)
    return ReminderSchedule.objects.get(user=user).next_due_at


# (zone, the day before the change at noon UTC, 07:30 local in UTC on the three days from that one)
DST_CHANGES = [
    pytest.param(
        "America/New_York",
        utc(2026, 3, 7, 0, 0),
        [utc(2026, 3, 7, 12, 30), utc(2026, 3, 8, 11, 30), utc(2026, 3, 9, 11, 30)],
        id="US spring forward 2026-03-08",
    ),
    pytest.param(
        "America/New_York",
        utc(2026, 10, 31, 0, 0),
        [utc(2026, 10, 31, 11, 30), utc(2026, 11, 1, 12, 30), utc(2026, 11, 2, 12, 30)],
        id="US fall back 2026-11-01",
    ),
    pytest.param(
        "Europe/Paris",
        utc(2026, 3, 27, 23, 0),
        [utc(2026, 3, 28, 6, 30), utc(2026, 3, 29, 5, 30), utc(2026, 3, 30, 5, 30)],
        id="EU spring forward 2026-03-29",
    ),
    pytest.param(
        "Europe/Paris",
        utc(2026, 10, 23, 23, 0),
        [utc(2026, 10, 24, 5, 30), utc(2026, 10, 25, 6, 30), utc(2026, 10, 26, 6, 30)],
        id="EU fall back 2026-10-25",
    ),
]


@pytest.mark.parametrize(("zone", "now", "slots"), DST_CHANGES)
def test_0730_local_stays_0730_local_across_the_daylight_saving_change(alice, zone, now, slots):
    schedule = remind(alice, timezone=zone, now=now)
    seen = [schedule.next_due_at]
    for slot in slots[:-1]:
        seen.append(due_after_dispatch(alice, slot))
    assert seen == slots


@pytest.mark.parametrize(("zone", "now", "slots"), DST_CHANGES)
def test_each_slot_reads_0730_on_the_local_clock(alice, zone, now, slots):
    schedule = remind(alice, timezone=zone, now=now)
    local = [schedule.next_due_at.astimezone(alice.zone)]
    for slot in slots[:-1]:
        local.append(due_after_dispatch(alice, slot).astimezone(alice.zone))
    assert {moment.time() for moment in local} == {datetime.time(7, 30)}


def test_a_time_skipped_by_spring_forward_moves_to_the_first_instant_after_the_gap(bob):
    # New York clocks jump from 02:00 to 03:00 on 2026-03-08: 02:30 does not exist.
    schedule = remind(bob, at=datetime.time(2, 30), now=utc(2026, 3, 7, 12, 0))
    assert schedule.next_due_at == utc(2026, 3, 8, 7, 0)  # 03:00 EDT
    assert due_after_dispatch(bob, utc(2026, 3, 8, 7, 0)) == utc(2026, 3, 9, 6, 30)  # 02:30 EDT the day after


def test_a_time_repeated_by_fall_back_is_taken_the_first_time(bob):
    # New York clocks go from 02:00 back to 01:00 on 2026-11-01: 01:30 happens twice.
    schedule = remind(bob, at=datetime.time(1, 30), now=utc(2026, 10, 31, 12, 0))
    assert schedule.next_due_at == utc(2026, 11, 1, 5, 30)  # 01:30 EDT, not 01:30 EST
    assert due_after_dispatch(bob, utc(2026, 11, 1, 5, 30)) == utc(2026, 11, 2, 6, 30)


def test_the_second_0130_on_fall_back_night_sends_nothing_more(bob):
    remind(bob, at=datetime.time(1, 30), now=utc(2026, 10, 31, 12, 0))
    dispatch_due(now=utc(2026, 11, 1, 5, 30), batch_size=100)
    dispatch_due(now=utc(2026, 11, 1, 6, 30), batch_size=100)  # 01:30 EST, the repeat
    assert Delivery.objects.filter(user=bob).count() == 1


def test_only_the_chosen_weekdays_are_due(alice):
    # Friday 2026-06-12, 10:00 in Paris: Friday's 07:30 has passed, Saturday and Sunday are not chosen.
    schedule = remind(alice, weekdays=[MON, WED, FRI], now=utc(2026, 6, 12, 8, 0))
    assert schedule.next_due_at == utc(2026, 6, 15, 5, 30)  # Monday 07:30 CEST
    assert due_after_dispatch(alice, utc(2026, 6, 15, 5, 30)) == utc(2026, 6, 17, 5, 30)  # Wednesday


def test_no_weekdays_means_every_day(alice):
    schedule = remind(alice, weekdays=[], now=utc(2026, 6, 12, 8, 0))
    assert schedule.next_due_at == utc(2026, 6, 13, 5, 30)  # Saturday


def test_a_time_later_today_is_due_today(alice):
    schedule = remind(alice, at=datetime.time(18, 0), now=utc(2026, 6, 12, 8, 0))
    assert schedule.next_due_at == utc(2026, 6, 12, 16, 0)


def test_nothing_is_due_while_reminders_are_off(alice):
    schedule = remind(alice, enabled=False, now=utc(2026, 6, 12, 8, 0))
    assert schedule.next_due_at is None
    assert dispatch_due(now=utc(2026, 7, 1), batch_size=100) == 0


def test_a_new_time_zone_moves_the_next_reminder_to_0730_there(alice):
    remind(alice, now=utc(2026, 6, 12, 8, 0))  # Paris: Saturday 05:30 UTC
    alice.timezone = "America/New_York"
    alice.save(update_fields=["timezone"])
    with time_machine.travel(utc(2026, 6, 12, 8, 0), tick=False):
        schedule = schedule_refresh(alice)
    assert schedule.next_due_at == utc(2026, 6, 12, 11, 30)  # 07:30 EDT, later the same day


def test_after_days_with_no_dispatcher_only_the_latest_missed_slot_is_sent(alice):
    remind(alice, now=utc(2026, 6, 1, 8, 0))  # next: 2 June 07:30 Paris
    queued = dispatch_due(now=utc(2026, 6, 5, 9, 0), batch_size=100)  # back on 5 June, 11:00 Paris
    statuses = dict(Delivery.objects.filter(user=alice).values_list("slot_at", "status"))
    assert queued == 1
    assert statuses == {
        utc(2026, 6, 2, 5, 30): DeliveryStatus.SKIPPED,
        utc(2026, 6, 3, 5, 30): DeliveryStatus.SKIPPED,
        utc(2026, 6, 4, 5, 30): DeliveryStatus.SKIPPED,
        utc(2026, 6, 5, 5, 30): DeliveryStatus.QUEUED,
    }
    assert ReminderSchedule.objects.get(user=alice).next_due_at == utc(2026, 6, 6, 5, 30)


def test_missed_slots_say_why_they_were_not_sent(alice):
    remind(alice, now=utc(2026, 6, 1, 8, 0))
    dispatch_due(now=utc(2026, 6, 3, 9, 0), batch_size=100)
    missed = Delivery.objects.get(user=alice, status=DeliveryStatus.SKIPPED)
    assert "not being dispatched" in missed.skip_reason
