"""The weekly report email: the progress page's figures for the last 7 days beside the 7 before, sent once."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail

from tracker.models import Delivery, DeliveryKind, DeliveryStatus, Outcome, PainEntry, ReminderSchedule, Session
from tracker.reminders.sender import send_batch

from .logs_helpers import make_routine
from .reminders_helpers import send_one

UTC = datetime.UTC
SLOT = datetime.datetime(2026, 6, 14, 5, 30, tzinfo=UTC)  # Sunday 07:30 in Paris
TODAY = datetime.date(2026, 6, 14)
# Each weekly report: its claim just before the SMTP transaction, and its record just after.
QUERIES_PER_REPORT = 2
# The batch, whatever its size, for one report day: the deliveries, the sessions of their days, the
# two weeks' figures (sessions, pain, routine rows), the pain warnings' entries and sessions, what
# helped, the outcomes.
QUERIES_PER_BATCH = 9


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SLOT + datetime.timedelta(seconds=20), tick=False):
        yield


def weekly_due(user, *, enabled=False, weekly_report=True):
    ReminderSchedule.objects.update_or_create(
        user=user,
        defaults={
            "enabled": enabled,
            "weekly_report": weekly_report,
            "weekly_report_day": 6,
            "time": datetime.time(7, 30),
        },
    )
    return Delivery.objects.create(user=user, slot_at=SLOT, kind=DeliveryKind.WEEKLY_REPORT)


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def status_of(delivery):
    delivery.refresh_from_db()
    return delivery.status, delivery.skip_reason


def html_figure(message, name):
    return re.search(rf'data-figure="{name}">([^<]*)<', message.alternatives[0][0]).group(1)


@pytest.fixture
def fortnight(alice):
    """Alice's two weeks: three sessions this week, two the week before (one on its first day), pain falling
    from 6 to 4."""
    routine = make_routine("test-weekly-routine", steps=1)
    for days, before, after in [(0, 5, 3), (2, 4, 3), (5, 5, 2), (7, 6, 5), (9, 6, 5), (20, 6, 6)]:
        Session.objects.create(
            user=alice, routine=routine, date=days_ago(days), duration_minutes=10, pain_before=before, pain_after=after
        )
    for days, score in [(1, 4), (3, 4), (8, 6), (10, 6)]:
        PainEntry.objects.create(user=alice, date=days_ago(days), score=score, context="rest")
    return routine


def test_the_weekly_report_is_sent_once_with_this_weeks_and_last_weeks_figures(alice, fortnight):
    delivery = weekly_due(alice)
    assert send_one(delivery.pk) == "sent"
    (message,) = mail.outbox
    assert "Sessions: 3 (30 minutes) this week; 2 (20 minutes) the week before." in message.body
    assert "Pain this week: 4/10 on average, down 2 from the week before." in message.body
    assert html_figure(message, "sessions") == "3"


def test_the_figures_are_the_progress_apis_for_the_same_week(alice, alice_api, fortnight):
    send_one(weekly_due(alice).pk)
    message = mail.outbox[0]
    week = alice_api.get("/api/v1/progress/", {"start": days_ago(6), "end": TODAY}).json()
    fortnight_api = alice_api.get("/api/v1/progress/", {"start": days_ago(13), "end": TODAY}).json()
    assert int(html_figure(message, "sessions")) == week["sessions"]
    assert int(html_figure(message, "minutes")) == week["minutes"]
    assert html_figure(message, "pain") == f"{fortnight_api['pain']['last_week_average']:g}/10"


def test_the_chain_balance_counts_this_weeks_sessions_per_chain(alice, fortnight):
    send_one(weekly_due(alice).pk)
    assert re.search(r"- Posterior[^:]*: 3, 2\n", mail.outbox[0].body)


def test_a_routine_with_five_scored_sessions_shows_what_helped(alice, fortnight):
    for days in (4, 6):
        Session.objects.create(
            user=alice, routine=fortnight, date=days_ago(days), duration_minutes=10, pain_before=6, pain_after=3
        )
    send_one(weekly_due(alice).pk)
    assert f"- {fortnight.name}: " in mail.outbox[0].body
    assert "Not enough sessions" not in mail.outbox[0].body


PSFS = [{"activity": activity, "score": 5} for activity in ("sitting", "walking", "bending")]


def test_walking_and_standing_tolerance_come_from_the_outcomes_of_the_two_weeks(alice):
    for days, walking in [(12, 10), (1, 20)]:
        Outcome.objects.create(user=alice, date=days_ago(days), walking_minutes=walking, standing_minutes=15, psfs=PSFS)
    send_one(weekly_due(alice).pk)
    assert "- Walking: 10 to 20 minutes, a meaningful change" in mail.outbox[0].body


def test_a_pain_warning_puts_the_warning_and_the_signs_in_the_report(alice):
    PainEntry.objects.create(user=alice, date=TODAY, score=9, context="rest")
    send_one(weekly_due(alice).pk)
    message = mail.outbox[0]
    assert "your pain needs attention" in message.subject
    assert "A pain score of 9/10 in the last 3 days." in message.body


def test_every_weekly_report_carries_the_emergency_sentence_and_an_unsubscribe_link(alice):
    send_one(weekly_due(alice).pk)
    message = mail.outbox[0]
    assert "/warning-signs/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_weekly_report_is_never_sent_twice(alice):
    delivery = weekly_due(alice)
    send_one(delivery.pk)
    assert send_one(delivery.pk) == "already sent"
    assert len(mail.outbox) == 1


def test_a_logged_session_does_not_skip_the_weekly_report(alice):
    ReminderSchedule.objects.create(user=alice, skip_if_done=True)
    Session.objects.create(user=alice, date=TODAY, duration_minutes=10)
    assert send_one(weekly_due(alice).pk) == "sent"


def test_an_unverified_address_skips_the_report_with_a_reason(alice):
    alice.email_verified = False
    alice.save()
    delivery = weekly_due(alice)
    assert send_one(delivery.pk) == "skipped"
    assert status_of(delivery)[1]
    assert not mail.outbox


def test_an_inactive_account_skips_the_report(alice):
    alice.is_active = False
    alice.save()
    delivery = weekly_due(alice)
    send_one(delivery.pk)
    assert status_of(delivery) == (DeliveryStatus.SKIPPED, "The account is inactive.")


def test_a_report_turned_off_after_dispatch_is_skipped_not_sent(alice):
    delivery = weekly_due(alice)
    ReminderSchedule.objects.filter(user=alice).update(weekly_report=False)
    send_one(delivery.pk)
    assert status_of(delivery) == (
        DeliveryStatus.SKIPPED,
        "The weekly report was turned off before this one was sent.",
    )


def test_reminders_turned_off_do_not_skip_the_weekly_report(alice):
    assert send_one(weekly_due(alice, enabled=False).pk) == "sent"


def test_a_reminder_and_a_report_in_one_batch_are_two_emails(alice):
    ReminderSchedule.objects.create(user=alice, enabled=True, weekly_report=True, time=datetime.time(7, 30))
    reminder = Delivery.objects.create(user=alice, slot_at=SLOT)
    report = Delivery.objects.create(user=alice, slot_at=SLOT, kind=DeliveryKind.WEEKLY_REPORT)
    outcomes = send_batch(delivery_ids=[reminder.pk, report.pk]).outcomes
    assert outcomes == {reminder.pk: "sent", report.pk: "sent"}
    assert sorted("week" in message.subject.lower() for message in mail.outbox) == [False, True]


def test_a_weekly_report_costs_a_fixed_number_of_queries(alice, fortnight, django_assert_max_num_queries):
    delivery = weekly_due(alice)
    with django_assert_max_num_queries(QUERIES_PER_BATCH + QUERIES_PER_REPORT):
        send_one(delivery.pk)


def test_a_batch_of_reports_loads_its_shared_figures_once(db, django_assert_max_num_queries):
    User = get_user_model()
    people = [
        User.objects.create_user(f"p{n}", f"p{n}@example.com", "x", email_verified=True, timezone="Europe/Paris")
        for n in range(4)
    ]
    ids = [weekly_due(person).pk for person in people]
    with django_assert_max_num_queries(QUERIES_PER_BATCH + QUERIES_PER_REPORT * len(ids)):
        send_batch(delivery_ids=ids)
    assert len(mail.outbox) == 4


def test_sessions_that_raised_the_pain_say_it_rose(alice):
    Session.objects.create(user=alice, date=TODAY, duration_minutes=10, pain_before=3, pain_after=5)
    send_one(weekly_due(alice).pk)
    assert "Pain rose by 2 on average during this week's sessions." in mail.outbox[0].body


def test_sessions_that_eased_the_pain_say_it_dropped(alice, fortnight):
    send_one(weekly_due(alice).pk)
    assert "Pain dropped by 2 on average during this week's sessions." in mail.outbox[0].body
