"""The weekly report: due at the reminder time on its day, through the reminders' dispatcher, on or off."""

import datetime

import pytest

from tracker.models import Delivery, DeliveryStatus, ReminderSchedule
from tracker.reminders.dispatcher import dispatch_due
from tracker.reminders.schedule import unsubscribe

from .reminders_helpers import remind

UTC = datetime.UTC
SUN, MON, WED = 6, 0, 2
FRIDAY = datetime.datetime(2026, 6, 12, 12, 0, tzinfo=UTC)
SUNDAY_0730 = datetime.datetime(2026, 6, 14, 5, 30, tzinfo=UTC)  # 07:30 in Paris


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def kinds(user):
    return sorted(Delivery.objects.filter(user=user).values_list("slot_at", "kind"))


def report_only(user, *, day=SUN, now=FRIDAY, **settings):
    return remind(user, now=now, enabled=False, weekly_report=True, weekly_report_day=day, **settings)


def test_with_reminders_off_the_report_is_due_at_the_reminder_time_on_its_day(alice):
    schedule = report_only(alice)
    assert schedule.next_due_at == SUNDAY_0730


def test_the_dispatcher_records_one_weekly_delivery_on_the_report_day_with_reminders_off(alice):
    report_only(alice)
    dispatch_due(now=SUNDAY_0730, batch_size=100)
    assert kinds(alice) == [(SUNDAY_0730, "weekly")]


def test_nothing_is_recorded_on_the_other_days(alice):
    report_only(alice)
    dispatch_due(now=SUNDAY_0730 - datetime.timedelta(minutes=1), batch_size=100)
    assert kinds(alice) == []


def test_after_the_report_the_next_is_a_week_later(alice):
    report_only(alice)
    dispatch_due(now=SUNDAY_0730, batch_size=100)
    assert ReminderSchedule.objects.get(user=alice).next_due_at == SUNDAY_0730 + datetime.timedelta(days=7)


def test_nothing_is_due_when_the_report_and_the_reminders_are_off(alice):
    schedule = remind(alice, now=FRIDAY, enabled=False, weekly_report=False, weekly_report_day=SUN)
    assert schedule.next_due_at is None
    dispatch_due(now=SUNDAY_0730 + datetime.timedelta(days=8), batch_size=100)
    assert kinds(alice) == []


def test_with_daily_reminders_the_report_day_carries_a_reminder_and_the_report(alice):
    remind(alice, now=FRIDAY, enabled=True, weekly_report=True, weekly_report_day=SUN)
    dispatch_due(now=SUNDAY_0730, batch_size=100)
    saturday = SUNDAY_0730 - datetime.timedelta(days=1)
    assert [kind for slot, kind in kinds(alice) if slot == SUNDAY_0730] == ["reminder", "weekly"]
    assert saturday not in [slot for slot, _ in kinds(alice) if _ == "weekly"]


def test_a_report_day_that_is_no_reminder_day_carries_the_report_alone(alice):
    schedule = remind(alice, now=FRIDAY, enabled=True, weekdays=[MON, WED], weekly_report=True, weekly_report_day=SUN)
    assert schedule.next_due_at == SUNDAY_0730
    dispatch_due(now=SUNDAY_0730, batch_size=100)
    assert kinds(alice) == [(SUNDAY_0730, "weekly")]
    # and the Monday after is a reminder again
    assert ReminderSchedule.objects.get(user=alice).next_due_at == SUNDAY_0730 + datetime.timedelta(days=1)


def test_reminder_days_without_the_report_carry_no_report(alice):
    remind(alice, now=FRIDAY, enabled=True, weekly_report=False, weekly_report_day=SUN)
    dispatch_due(now=SUNDAY_0730, batch_size=100)
    assert {kind for _, kind in kinds(alice)} == {"reminder"}


def test_missed_report_slots_are_recorded_as_skipped_and_only_the_latest_is_sent(alice):
    report_only(alice)
    dispatch_due(now=SUNDAY_0730 + datetime.timedelta(days=14, minutes=5), batch_size=100)
    rows = list(Delivery.objects.filter(user=alice).order_by("slot_at").values_list("kind", "status"))
    assert rows == [("weekly", DeliveryStatus.SKIPPED)] * 2 + [("weekly", DeliveryStatus.QUEUED)]


def test_unsubscribing_turns_the_report_off_too(alice):
    report_only(alice)
    assert unsubscribe(user=alice, now=FRIDAY)
    schedule = ReminderSchedule.objects.get(user=alice)
    assert (schedule.weekly_report, schedule.next_due_at) == (False, None)


# (zone, a moment in the week before, the Sunday of the change at 07:30 local, in UTC, and the Sunday after)
DST_SUNDAYS = [
    pytest.param(
        "Europe/Paris", utc(2026, 3, 25, 12), [utc(2026, 3, 29, 5, 30), utc(2026, 4, 5, 5, 30)], id="EU spring"
    ),
    pytest.param(
        "Europe/Paris", utc(2026, 10, 21, 12), [utc(2026, 10, 25, 6, 30), utc(2026, 11, 1, 6, 30)], id="EU fall"
    ),
    pytest.param(
        "America/New_York", utc(2026, 3, 4, 12), [utc(2026, 3, 8, 11, 30), utc(2026, 3, 15, 11, 30)], id="US spring"
    ),
    pytest.param(
        "America/New_York", utc(2026, 10, 28, 12), [utc(2026, 11, 1, 12, 30), utc(2026, 11, 8, 12, 30)], id="US fall"
    ),
]


@pytest.mark.parametrize(("zone", "now", "sundays"), DST_SUNDAYS)
def test_the_report_stays_at_0730_local_across_the_daylight_saving_change(alice, zone, now, sundays):
    schedule = report_only(alice, now=now, timezone=zone)
    seen = [schedule.next_due_at]
    dispatch_due(now=sundays[0], batch_size=100)
    seen.append(ReminderSchedule.objects.get(user=alice).next_due_at)
    assert seen == sundays
    assert kinds(alice) == [(sundays[0], "weekly")]


def test_a_report_due_but_not_yet_dispatched_when_the_time_changes_is_still_recorded_as_a_report(alice):
    report_only(alice)
    # 20 s after the slot fell due, before the dispatcher's next tick, the time moves to 07:00.
    report_only(alice, now=SUNDAY_0730 + datetime.timedelta(seconds=20), at=datetime.time(7, 0))

    owed = Delivery.objects.get(user=alice, slot_at=SUNDAY_0730)
    assert (owed.kind, owed.channel, owed.status) == ("weekly", "email", DeliveryStatus.QUEUED)
    assert not Delivery.objects.filter(user=alice, kind="reminder").exists()
