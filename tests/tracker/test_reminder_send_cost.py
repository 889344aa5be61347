"""What one reminder costs the database: the same few queries whatever the user's routine and history."""

import datetime

import pytest
import time_machine
from django.core import mail

from tracker import progress
from tracker.models import Delivery, PainEntry, ReminderSchedule, Session
from tracker.reminders import reminder_send

from .logs_helpers import make_program, make_routine

UTC = datetime.UTC
SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=UTC)  # Friday 07:30 in Paris
TODAY = datetime.date(2026, 6, 12)
# Claim; load (delivery, user, schedule, program, item); a session that day?; the content item;
# today's routine in three (a running self-experiment?, the program's day or what helped, then the
# routine's steps; with neither, the last self-check); the person's doses of its exercises and the
# routine's last sessions (tracker.dose); the last week's sessions; the last two weeks' pain; record.
QUERIES_PER_REMINDER = 12


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SLOT + datetime.timedelta(seconds=20), tick=False):
        yield


def due(user):
    ReminderSchedule.objects.update_or_create(user=user, defaults={"enabled": True, "time": datetime.time(7, 30)})
    return Delivery.objects.create(user=user, slot_at=SLOT)


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def test_a_reminder_to_a_new_user_takes_at_most_twelve_queries(alice, django_assert_max_num_queries):
    delivery = due(alice)
    with django_assert_max_num_queries(QUERIES_PER_REMINDER):
        assert reminder_send(delivery_id=delivery.pk) == "sent"


def test_a_programs_routine_costs_no_query_per_step(alice, django_assert_max_num_queries):
    # Its estimated minutes, in the subject and both parts, add up every step's dose.
    alice.program = make_program(routine=make_routine("test-long-routine", steps=6))
    alice.program_started_on = TODAY
    alice.save()
    delivery = due(alice)
    with django_assert_max_num_queries(QUERIES_PER_REMINDER):
        assert reminder_send(delivery_id=delivery.pk) == "sent"


def test_two_weeks_of_sessions_and_pain_cost_no_more_queries(alice, django_assert_max_num_queries):
    routine = make_routine("test-helping-routine", steps=4)
    for days in range(1, 14):
        Session.objects.create(
            user=alice, routine=routine, date=days_ago(days), duration_minutes=10, pain_before=6, pain_after=4
        )
        PainEntry.objects.create(user=alice, date=days_ago(days), score=5, context="walking")
    delivery = due(alice)
    with django_assert_max_num_queries(QUERIES_PER_REMINDER):
        assert reminder_send(delivery_id=delivery.pk) == "sent"


def test_the_reminder_gives_the_routines_estimated_minutes(alice):
    routine = make_routine("test-timed-routine", steps=3)
    alice.program = make_program(routine=routine)
    alice.program_started_on = TODAY
    alice.save()
    reminder_send(delivery_id=due(alice).pk)
    message = mail.outbox[0]
    assert f"about {routine.estimated_minutes} min" in message.subject
    assert f"about {routine.estimated_minutes} minutes" in message.body


def test_the_week_in_review_gives_the_summarys_week_and_two_week_pain(alice):
    for days in (0, 3, 6, 7, 12):
        Session.objects.create(user=alice, date=days_ago(days), duration_minutes=10 + days)
    for days, score in ((1, 3), (5, 4), (8, 7), (13, 6), (14, 9)):
        PainEntry.objects.create(user=alice, date=days_ago(days), score=score, context="walking")
    week = progress.summary(alice, start=days_ago(6), end=TODAY)
    two_weeks = progress.summary(alice, start=days_ago(13), end=TODAY)
    assert progress.week_in_review(alice, end=TODAY) == {
        "sessions": week["sessions"],
        "minutes": week["minutes"],
        "pain": two_weeks["pain"],
    }
