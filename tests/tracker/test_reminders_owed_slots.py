"""A slot that fell due is never lost: not to a settings change before the dispatcher ran, not to a long outage."""

import datetime

import time_machine
from django.urls import reverse

from tracker.models import Delivery, DeliveryStatus, ReminderSchedule
from tracker.reminders.dispatcher import dispatch_due
from tracker.reminders.slots import MAX_MISSED_RECORDED

from .reminders_helpers import remind

UTC = datetime.UTC
SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=UTC)  # Friday 07:30 in Paris
JUST_AFTER = SLOT + datetime.timedelta(seconds=30)  # due, and the dispatcher has not run yet


def statuses(user):
    return dict(Delivery.objects.filter(user=user).values_list("slot_at", "status"))


def test_a_profile_save_keeps_the_due_slot_for_the_dispatcher(client, alice):
    remind(alice, now=SLOT - datetime.timedelta(hours=1))
    client.force_login(alice)
    with time_machine.travel(JUST_AFTER, tick=False):
        client.post(reverse("profile"), {"email": alice.email, "timezone": "Europe/Paris", "program": ""})
    assert dispatch_due(now=JUST_AFTER + datetime.timedelta(seconds=30), batch_size=100) == 1
    assert statuses(alice) == {SLOT: DeliveryStatus.QUEUED}


def test_a_profile_save_moves_on_to_the_next_slot_once_the_due_one_is_dispatched(client, alice):
    remind(alice, now=SLOT - datetime.timedelta(hours=1))
    client.force_login(alice)
    with time_machine.travel(JUST_AFTER, tick=False):
        client.post(reverse("profile"), {"email": alice.email, "timezone": "Europe/Paris", "program": ""})
    dispatch_due(now=JUST_AFTER + datetime.timedelta(seconds=30), batch_size=100)
    assert ReminderSchedule.objects.get(user=alice).next_due_at == SLOT + datetime.timedelta(days=1)


def test_a_new_time_zone_while_a_slot_is_due_still_records_that_slot(client, alice):
    remind(alice, now=SLOT - datetime.timedelta(hours=1))
    client.force_login(alice)
    with time_machine.travel(JUST_AFTER, tick=False):
        client.post(reverse("profile"), {"email": alice.email, "timezone": "America/New_York", "program": ""})
    assert statuses(alice) == {SLOT: DeliveryStatus.QUEUED}
    # 07:30 in New York, later the same day; the Paris slot is not sent twice.
    assert ReminderSchedule.objects.get(user=alice).next_due_at == datetime.datetime(2026, 6, 12, 11, 30, tzinfo=UTC)


def test_a_new_time_while_a_slot_is_due_still_records_that_slot_and_starts_after_now(alice):
    remind(alice, now=SLOT - datetime.timedelta(hours=1))
    schedule = remind(alice, at=datetime.time(7, 31), now=JUST_AFTER + datetime.timedelta(minutes=1))
    assert statuses(alice) == {SLOT: DeliveryStatus.QUEUED}
    assert schedule.next_due_at == SLOT + datetime.timedelta(days=1, minutes=1)


def test_new_weekdays_while_a_slot_is_due_still_record_that_slot(alice):
    remind(alice, now=SLOT - datetime.timedelta(hours=1))  # every day
    schedule = remind(alice, weekdays=[0], now=JUST_AFTER)  # Mondays only, from a Friday
    assert statuses(alice) == {SLOT: DeliveryStatus.QUEUED}
    assert schedule.next_due_at == datetime.datetime(2026, 6, 15, 5, 30, tzinfo=UTC)


def test_turning_reminders_off_while_a_slot_is_due_records_it_as_skipped(alice):
    remind(alice, now=SLOT - datetime.timedelta(hours=1))
    remind(alice, enabled=False, now=JUST_AFTER)
    skipped = Delivery.objects.get(user=alice)
    assert (skipped.slot_at, skipped.status) == (SLOT, DeliveryStatus.SKIPPED)
    assert "turned off" in skipped.skip_reason


def test_saving_unchanged_settings_after_dispatch_records_nothing_more(alice):
    remind(alice, now=SLOT - datetime.timedelta(hours=1))
    dispatch_due(now=JUST_AFTER, batch_size=100)
    schedule = remind(alice, now=JUST_AFTER + datetime.timedelta(seconds=5))
    assert Delivery.objects.filter(user=alice).count() == 1
    assert schedule.next_due_at == SLOT + datetime.timedelta(days=1)


# --- Long outages -------------------------------------------------------------------


def test_every_slot_missed_in_ten_days_is_recorded_as_skipped(alice):
    remind(alice, now=SLOT - datetime.timedelta(days=10, hours=1))
    dispatch_due(now=JUST_AFTER, batch_size=100)
    recorded = statuses(alice)
    assert len(recorded) == 11
    assert list(recorded.values()).count(DeliveryStatus.SKIPPED) == 10
    assert recorded[SLOT] == DeliveryStatus.QUEUED


def _local_days(first, last, weekdays):
    day, count = first, 0
    while day <= last:
        count += not weekdays or day.weekday() in weekdays
        day += datetime.timedelta(days=1)
    return count


def _outage(user, *, since, weekdays):
    ReminderSchedule.objects.create(
        user=user,
        enabled=True,
        time=datetime.time(7, 30),
        weekdays=ReminderSchedule.mask_for(weekdays),
        next_due_at=since,
    )
    dispatch_due(now=JUST_AFTER, batch_size=100)
    return Delivery.objects.filter(user=user).order_by("slot_at")


def test_after_two_years_down_the_latest_year_is_recorded_and_the_rest_counted(alice):
    since = datetime.datetime(2024, 6, 1, 5, 30, tzinfo=UTC)
    deliveries = _outage(alice, since=since, weekdays=[])
    missed = _local_days(datetime.date(2024, 6, 1), datetime.date(2026, 6, 11), [])
    assert deliveries.count() == MAX_MISSED_RECORDED + 1
    assert f"{missed - MAX_MISSED_RECORDED} earlier missed reminders, from 2024-06-01" in deliveries[0].skip_reason
    assert len(deliveries[0].skip_reason) <= Delivery._meta.get_field("skip_reason").max_length


def test_the_count_of_older_missed_slots_follows_the_chosen_weekdays(bob):
    # Bob is in New York; his Mondays and Thursdays since a Monday four years ago.
    since = datetime.datetime(2022, 6, 6, 11, 30, tzinfo=UTC)
    deliveries = _outage(bob, since=since, weekdays=[0, 3])
    missed = _local_days(datetime.date(2022, 6, 6), datetime.date(2026, 6, 12), [0, 3]) - 1  # the last is sent
    assert deliveries.count() == MAX_MISSED_RECORDED + 1
    assert f"{missed - MAX_MISSED_RECORDED} earlier missed reminders, from 2022-06-06" in deliveries[0].skip_reason
