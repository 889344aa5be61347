"""The fortnightly outcomes reminder: due from the reminder time on a reminder weekday, only with
reminders on, every 14 days until outcomes are recorded, never twice; sent over real SMTP."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from tests.smtp_helpers import NO_SUCH_USER, TRY_LATER, smtp_server, smtp_settings
from tracker.models import DeliveryStatus, Outcome, OutcomeReminder, ReminderSchedule
from tracker.reminders.outcomes import TransientSendError, outcome_reminder_send, outcome_reminders_dispatch

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONDAY_0800 = datetime.datetime(2026, 6, 15, 8, 0, tzinfo=PARIS)  # alice is in Paris


@pytest.fixture
def smtp(settings):
    with smtp_server() as (handler, port):
        smtp_settings(settings, port)
        yield handler


def remind(user, *, enabled=True, weekdays=(), at=datetime.time(7, 30)):
    return ReminderSchedule.objects.update_or_create(
        user=user, defaults={"enabled": enabled, "time": at, "weekdays": ReminderSchedule.mask_for(weekdays)}
    )[0]


def dispatch(at):
    with time_machine.travel(at, tick=False):
        return outcome_reminders_dispatch(now=at)


def test_it_is_due_after_the_reminder_time_and_claimed_once(alice):
    remind(alice)

    assert dispatch(MONDAY_0800 - datetime.timedelta(hours=1)) == []  # 07:00, before 07:30
    first = dispatch(MONDAY_0800)
    again = dispatch(MONDAY_0800 + datetime.timedelta(minutes=15))

    assert len(first) == 1 and again == []
    assert OutcomeReminder.objects.get().due_on == datetime.date(2026, 6, 15)


def test_it_comes_again_14_days_later_but_not_13(alice):
    remind(alice)
    dispatch(MONDAY_0800)

    assert dispatch(MONDAY_0800 + datetime.timedelta(days=13)) == []
    assert len(dispatch(MONDAY_0800 + datetime.timedelta(days=14))) == 1


def test_outcomes_recorded_in_the_last_14_days_mean_no_reminder(alice):
    remind(alice)
    Outcome.objects.create(user=alice, date=datetime.date(2026, 6, 2), walking_minutes=5, standing_minutes=5, psfs=[])

    assert dispatch(MONDAY_0800) == []
    assert len(dispatch(MONDAY_0800 + datetime.timedelta(days=1))) == 1  # 16 June: 14 days since the 2nd


def test_reminders_off_or_another_weekday_means_no_reminder(alice, bob):
    remind(alice, enabled=False)
    remind(bob, weekdays=[2])  # Wednesdays only; bob's 08:00 Monday in Paris is 02:00 in New York anyway

    assert dispatch(MONDAY_0800 + datetime.timedelta(hours=8)) == []


def test_the_email_links_the_form_and_unsubscribes_in_one_click(alice, smtp):
    remind(alice)
    (reminder_id,) = dispatch(MONDAY_0800)

    assert outcome_reminder_send(reminder_id=reminder_id) == DeliveryStatus.SENT

    (message,) = smtp.messages
    assert message["Subject"] == "Two weeks on: how far can you walk and stand now?"
    assert reverse("tracker:outcome-new") in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in message["List-Unsubscribe"]


def test_a_second_send_of_the_same_reminder_sends_nothing(alice, smtp):
    remind(alice)
    (reminder_id,) = dispatch(MONDAY_0800)

    outcome_reminder_send(reminder_id=reminder_id)

    assert outcome_reminder_send(reminder_id=reminder_id) == "not-claimed"
    assert len(smtp.messages) == 1


def test_unsubscribing_after_the_claim_skips_the_email(alice, client, smtp):
    remind(alice)
    (reminder_id,) = dispatch(MONDAY_0800)
    ReminderSchedule.objects.filter(user=alice).update(enabled=False)

    assert outcome_reminder_send(reminder_id=reminder_id) == DeliveryStatus.SKIPPED
    assert smtp.messages == []
    assert OutcomeReminder.objects.get().error == "Reminders are off."


def test_a_451_gives_the_claim_back_for_a_retry(alice, smtp):
    remind(alice)
    (reminder_id,) = dispatch(MONDAY_0800)
    smtp.refuse_next = [TRY_LATER]

    with pytest.raises(TransientSendError):
        outcome_reminder_send(reminder_id=reminder_id)

    assert OutcomeReminder.objects.get().status == DeliveryStatus.QUEUED
    assert outcome_reminder_send(reminder_id=reminder_id) == DeliveryStatus.SENT


def test_a_550_is_recorded_as_failed(alice, smtp):
    remind(alice)
    (reminder_id,) = dispatch(MONDAY_0800)
    smtp.refuse_all = NO_SUCH_USER

    assert outcome_reminder_send(reminder_id=reminder_id) == DeliveryStatus.FAILED
    assert OutcomeReminder.objects.get().error.startswith("550")
