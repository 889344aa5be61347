"""Sending one reminder (a batch of one): at most once, skipped or failed with a reason, its content and its headers."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from tests.smtp_helpers import NO_SUCH_USER, TRY_LATER, smtp_server, smtp_settings
from tracker import tasks
from tracker.models import ContentItem, Delivery, DeliveryStatus, PainEntry, ReminderSchedule, Session
from tracker.reminders.content import pain_trend

from .logs_helpers import make_program, make_routine
from .reminders_helpers import send_one

UTC = datetime.UTC
SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=UTC)  # Friday 07:30 in Paris
SENT_AT = SLOT + datetime.timedelta(seconds=20)
TODAY = datetime.date(2026, 6, 12)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SENT_AT, tick=False):
        yield


def due(user, *, skip_if_done=True, slot=SLOT, **fields):
    ReminderSchedule.objects.update_or_create(
        user=user, defaults={"enabled": True, "time": datetime.time(7, 30), "skip_if_done": skip_if_done}
    )
    return Delivery.objects.create(user=user, slot_at=slot, **fields)


def status_of(delivery):
    delivery.refresh_from_db()
    return delivery.status


# --- What it says ----------------------------------------------------------------------


def test_the_reminder_has_a_text_and_an_html_part(alice):
    send_one(due(alice).pk)
    (message,) = mail.outbox
    assert message.body.strip()
    assert [mimetype for _, mimetype in message.alternatives] == ["text/html"]


def test_the_reminder_carries_one_click_unsubscribe_headers(alice):
    send_one(due(alice).pk)
    headers = mail.outbox[0].extra_headers
    assert re.fullmatch(rf"<{re.escape(settings.SITE_URL)}/unsubscribe/[^/]+/>", headers["List-Unsubscribe"])
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_reminder_names_todays_routine_with_a_link_to_the_guided_player(alice):
    routine = make_routine("test-reminder-routine", steps=1)  # program day 1 of 7 has it
    alice.program = make_program(routine=routine)
    alice.program_started_on = TODAY
    alice.save()
    send_one(due(alice).pk)
    message = mail.outbox[0]
    assert routine.name in message.subject
    assert f"{settings.SITE_URL}/play/{routine.slug}/" in message.body
    assert f'href="{settings.SITE_URL}/play/{routine.slug}/"' in message.alternatives[0][0]


def test_the_reminder_links_to_the_session_log(alice):
    send_one(due(alice).pk)
    assert f"{settings.SITE_URL}/sessions/new/" in mail.outbox[0].body


def test_the_reminder_sums_up_last_weeks_sessions_and_pain(alice):
    for days_ago in (1, 3):
        Session.objects.create(user=alice, date=TODAY - datetime.timedelta(days=days_ago), duration_minutes=15)
    PainEntry.objects.create(user=alice, date=TODAY - datetime.timedelta(days=10), score=6, context="walking")
    PainEntry.objects.create(user=alice, date=TODAY - datetime.timedelta(days=2), score=4, context="walking")
    send_one(due(alice).pk)
    body = mail.outbox[0].body
    assert "Sessions: 2 (30 minutes)" in body
    assert "Pain this week: 4/10 on average, down 2 from the week before." in body


@pytest.mark.parametrize(
    ("pain", "line"),
    [
        ({"last_week_average": None, "change": None}, "No pain check-ins this week"),
        ({"last_week_average": 3.5, "change": None}, "Pain this week: 3.5/10 on average."),
        ({"last_week_average": 5.0, "change": 1.25}, "Pain this week: 5/10 on average, up 1.25 from the week before."),
        ({"last_week_average": 5.0, "change": 0.0}, "the same as the week before"),
    ],
)
def test_the_pain_line_reads_the_trend(pain, line):
    assert line in pain_trend(pain)


# --- At most once -------------------------------------------------------------------------


def test_running_the_send_twice_sends_one_email(alice):
    delivery = due(alice)
    assert send_one(delivery.pk) == "sent"
    assert send_one(delivery.pk) == "already sent"
    assert len(mail.outbox) == 1


def test_the_sent_delivery_records_when_and_how_many_attempts(alice):
    delivery = due(alice)
    send_one(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.SENT, 1, SENT_AT)


def test_a_delivery_left_sending_by_a_dead_worker_becomes_uncertain_and_is_not_sent(alice):
    claimed = SENT_AT - datetime.timedelta(seconds=settings.REMINDER_RECOVER_AFTER + 1)
    delivery = due(alice, status=DeliveryStatus.SENDING, attempts=1, claimed_at=claimed)
    assert send_one(delivery.pk) == "uncertain"
    assert status_of(delivery) == DeliveryStatus.UNCERTAIN
    assert mail.outbox == []


def test_a_claim_taken_a_moment_ago_is_left_to_the_worker_holding_it(alice):
    delivery = due(alice, status=DeliveryStatus.SENDING, attempts=1, claimed_at=SENT_AT - datetime.timedelta(seconds=5))
    assert send_one(delivery.pk) == "in progress"
    assert status_of(delivery) == DeliveryStatus.SENDING
    assert mail.outbox == []


def test_a_missing_delivery_sends_nothing(db):
    assert send_one(987654) == "missing"
    assert mail.outbox == []


# --- Skipped, with the reason ----------------------------------------------------------------


def test_it_skips_reminder_when_session_logged_that_local_day(alice):
    Session.objects.create(user=alice, date=TODAY, duration_minutes=10)
    delivery = due(alice)
    assert send_one(delivery.pk) == "skipped"
    delivery.refresh_from_db()
    assert delivery.skip_reason == "A session was already logged on 2026-06-12."
    assert mail.outbox == []


def test_yesterdays_session_does_not_skip_todays_reminder(alice):
    Session.objects.create(user=alice, date=TODAY - datetime.timedelta(days=1), duration_minutes=10)
    assert send_one(due(alice).pk) == "sent"


def test_the_local_day_is_the_users_own(bob):
    # 03:30 UTC on 12 June is still 23:30 on 11 June in New York: a session on the 11th counts.
    Session.objects.create(user=bob, date=datetime.date(2026, 6, 11), duration_minutes=10)
    delivery = due(bob, slot=datetime.datetime(2026, 6, 12, 3, 30, tzinfo=UTC))
    assert send_one(delivery.pk) == "skipped"


def test_a_session_does_not_skip_the_reminder_when_skip_if_done_is_off(alice):
    Session.objects.create(user=alice, date=TODAY, duration_minutes=10)
    assert send_one(due(alice, skip_if_done=False).pk) == "sent"


def test_it_skips_when_reminders_were_turned_off_after_dispatch(alice):
    delivery = due(alice)
    ReminderSchedule.objects.filter(user=alice).update(enabled=False)
    assert send_one(delivery.pk) == "skipped"
    assert mail.outbox == []


def test_it_skips_an_account_without_an_email_address(alice):
    alice.email = ""
    alice.save()
    delivery = due(alice)
    send_one(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.skip_reason) == (DeliveryStatus.SKIPPED, "The account has no email address.")


# --- SMTP errors, against a real SMTP server ---------------------------------------------------


@pytest.fixture
def smtp(settings):
    with smtp_server() as (handler, port):
        smtp_settings(settings, port)
        yield handler


def test_a_451_is_recorded_for_a_retry(alice, smtp):
    smtp.refuse_next = [TRY_LATER]
    delivery = due(alice)
    assert send_one(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error) == (DeliveryStatus.RETRYING, TRY_LATER)


def test_the_retry_after_a_451_sends_exactly_one_email(alice, smtp):
    smtp.refuse_next = [TRY_LATER]
    delivery = due(alice)
    send_one(delivery.pk)
    assert send_one(delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert (len(smtp.messages), delivery.attempts) == (1, 2)


def test_a_550_fails_with_the_servers_reason_after_one_attempt(alice, smtp):
    smtp.refuse_all = NO_SUCH_USER
    delivery = due(alice)
    assert send_one(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.FAILED, 1, NO_SUCH_USER)


def test_a_failed_delivery_is_not_tried_again(alice, smtp):
    smtp.refuse_all = NO_SUCH_USER
    delivery = due(alice)
    send_one(delivery.pk)
    assert send_one(delivery.pk) == "already failed"
    assert smtp.attempts == 1


def test_a_refused_connection_is_recorded_for_a_retry(alice, settings):
    with smtp_server() as (_, port):
        pass  # the port is closed again: nothing listens there now
    smtp_settings(settings, port)
    delivery = due(alice)
    assert send_one(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error.split(":")[0]) == (DeliveryStatus.RETRYING, "ConnectionRefusedError")


def test_the_last_allowed_attempt_records_a_failure_instead_of_retrying(alice, smtp, settings):
    smtp.refuse_all = TRY_LATER
    delivery = due(alice, status=DeliveryStatus.RETRYING, attempts=settings.REMINDER_MAX_ATTEMPTS - 1)
    assert send_one(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.error == f"Gave up after {settings.REMINDER_MAX_ATTEMPTS} attempts: {TRY_LATER}"


def test_the_celery_task_retries_a_451_and_sends_once(alice, smtp):
    # Run eagerly: Celery's retry then runs the next attempt at once, through the same policy.
    smtp.refuse_next = [TRY_LATER]
    delivery = due(alice)
    tasks.send_reminders.apply(args=[[delivery.pk]])
    assert (status_of(delivery), len(smtp.messages)) == (DeliveryStatus.SENT, 1)


def test_the_celery_task_does_not_retry_a_550(alice, smtp):
    smtp.refuse_all = NO_SUCH_USER
    delivery = due(alice)
    tasks.send_reminders.apply(args=[[delivery.pk]])
    assert (status_of(delivery), smtp.attempts) == (DeliveryStatus.FAILED, 1)


# --- Content items in rotation --------------------------------------------------------------


@pytest.fixture
def items(db):
    ContentItem.objects.update(active=False)  # the seeded ones stay out of these tests
    return [ContentItem.objects.create(kind="tip", title=f"Tip {n}", body=f"Body {n}", order=n) for n in (1, 2, 3)]


def send_on_day(user, day):
    slot = SLOT + datetime.timedelta(days=day)
    with time_machine.travel(slot, tick=False):
        delivery = due(user, slot=slot)
        send_one(delivery.pk)
    delivery.refresh_from_db()
    return delivery.content_item.title


def test_every_active_item_is_shown_once_before_any_repeats(alice, items):
    titles = [send_on_day(alice, day) for day in range(4)]
    assert titles == ["Tip 1", "Tip 2", "Tip 3", "Tip 1"]


def test_a_new_item_is_shown_before_the_old_ones_repeat(alice, items):
    send_on_day(alice, 0)
    send_on_day(alice, 1)
    ContentItem.objects.create(kind="resource", title="Fresh", body="New", order=99)
    titles = [send_on_day(alice, day) for day in (2, 3, 4)]
    assert titles == ["Tip 3", "Fresh", "Tip 1"]


def test_an_inactive_item_is_never_sent(alice, items):
    ContentItem.objects.filter(title="Tip 2").update(active=False)
    assert [send_on_day(alice, day) for day in range(3)] == ["Tip 1", "Tip 3", "Tip 1"]


def test_each_user_has_a_rotation_of_their_own(alice, bob, items):
    send_on_day(alice, 0)
    assert send_on_day(bob, 0) == "Tip 1"


def test_the_item_shows_in_both_parts(alice, items):
    send_one(due(alice).pk)
    message = mail.outbox[0]
    assert "Tip 1" in message.body
    assert "Tip 1" in message.alternatives[0][0]


def test_a_retry_keeps_the_item_of_the_first_attempt(alice, items, smtp):
    smtp.refuse_next = [TRY_LATER]
    delivery = due(alice)
    assert send_one(delivery.pk) == "retrying"
    ContentItem.objects.create(kind="tip", title="Tip 0", body="First now", order=0)
    send_one(delivery.pk)
    assert "Tip 1" in smtp.messages[0]["Subject"] + smtp.messages[0].get_body(("plain",)).get_content()
