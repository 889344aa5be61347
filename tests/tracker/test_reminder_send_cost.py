"""What reminders cost the database: a batch loads in the same few queries whatever its size, then two per email."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail

from tracker import progress
from tracker.models import Delivery, PainEntry, ReminderSchedule, SelfCheck, Session
from tracker.reminders.sender import send_batch

from .logs_helpers import make_program, make_routine
from .reminders_helpers import send_one

UTC = datetime.UTC
SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=UTC)  # Friday 07:30 in Paris
TODAY = datetime.date(2026, 6, 12)
# What a batch loads, whatever its size: the deliveries (with user, schedule, program, item);
# who logged a session that day; today's routines (running self-experiments, the programs' days,
# what helped, the last self-checks, what the self-check recommends: three per distinct set of
# answers, the routines, their steps); the pain warnings' entries and sessions (tracker.safety);
# the people's doses and their routines' last sessions (tracker.dose); the week in review
# (sessions, pain); the rotation (the items, what each user was sent).
QUERIES_PER_BATCH = 19
# Then, for each email: its claim just before the SMTP transaction, and its record just after.
QUERIES_PER_EMAIL = 2


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SLOT + datetime.timedelta(seconds=20), tick=False):
        yield


def due(user):
    ReminderSchedule.objects.update_or_create(user=user, defaults={"enabled": True, "time": datetime.time(7, 30)})
    return Delivery.objects.create(user=user, slot_at=SLOT)


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def test_a_reminder_to_a_new_user_costs_one_batch_and_one_email(alice, django_assert_max_num_queries):
    delivery = due(alice)
    with django_assert_max_num_queries(QUERIES_PER_BATCH + QUERIES_PER_EMAIL):
        assert send_one(delivery.pk) == "sent"


def test_a_programs_routine_costs_no_query_per_step(alice, django_assert_max_num_queries):
    # Its estimated minutes, in the subject and both parts, add up every step's dose.
    alice.program = make_program(routine=make_routine("test-long-routine", steps=6))
    alice.program_started_on = TODAY
    alice.save()
    delivery = due(alice)
    with django_assert_max_num_queries(QUERIES_PER_BATCH + QUERIES_PER_EMAIL):
        assert send_one(delivery.pk) == "sent"


def test_two_weeks_of_sessions_and_pain_cost_no_more_queries(alice, django_assert_max_num_queries):
    routine = make_routine("test-helping-routine", steps=4)
    for days in range(1, 14):
        Session.objects.create(
            user=alice, routine=routine, date=days_ago(days), duration_minutes=10, pain_before=6, pain_after=4
        )
        PainEntry.objects.create(user=alice, date=days_ago(days), score=5, context="walking")
    delivery = due(alice)
    with django_assert_max_num_queries(QUERIES_PER_BATCH + QUERIES_PER_EMAIL):
        assert send_one(delivery.pk) == "sent"


def test_a_batch_loads_in_the_same_queries_whatever_its_size_and_its_people(db, django_assert_max_num_queries):
    # Thirty people, every way of choosing today's routine among them, in two time zones.
    User = get_user_model()
    program = make_program(routine=make_routine("test-program-routine", steps=3))
    helping = make_routine("test-helping-routine", steps=2)
    deliveries = []
    for n in range(30):
        user = User.objects.create_user(
            f"person{n}",
            f"person{n}@example.com",
            timezone=["Europe/Paris", "Asia/Tokyo"][n % 2],
            email_verified=True,
        )
        if n % 3 == 0:
            user.program, user.program_started_on = program, TODAY
            user.save()
        elif n % 3 == 1:
            Session.objects.create(
                user=user, routine=helping, date=days_ago(2), duration_minutes=10, pain_before=6, pain_after=3
            )
            PainEntry.objects.create(user=user, date=days_ago(1), score=4, context="walking")
        else:
            SelfCheck.objects.create(
                user=user, date=days_ago(3), pelvis="tuck", causes=["prolonged-standing-walking"], chain="posterior"
            )
        deliveries.append(due(user))
    with django_assert_max_num_queries(QUERIES_PER_BATCH + QUERIES_PER_EMAIL * len(deliveries)):
        result = send_batch(delivery_ids=[delivery.pk for delivery in deliveries])
    assert set(result.outcomes.values()) == {"sent"}
    assert len(mail.outbox) == len(deliveries)


def test_the_reminder_gives_the_routines_estimated_minutes(alice):
    routine = make_routine("test-timed-routine", steps=3)
    alice.program = make_program(routine=routine)
    alice.program_started_on = TODAY
    alice.save()
    send_one(due(alice).pk)
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
        "pain": {key: value for key, value in two_weeks["pain"].items() if key != "by_area"},
    }
