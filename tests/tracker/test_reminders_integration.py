"""Reminders end to end: a real Celery worker and beat on the real broker, a real SMTP server on loopback.

Beat runs the dispatcher every second here (every minute in production); retries back
off from one second; a claim older than ten seconds counts as abandoned.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.celery_helpers import CeleryProcesses, holds_for, wait_until
from tests.smtp_helpers import NO_SUCH_USER, TRY_LATER, RecordingHandler, smtp_server
from tracker.models import Delivery, DeliveryStatus, ReminderSchedule, Session

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FINAL = {DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN}
CONCURRENCY = 2
RECOVER_AFTER = 10


def worker_env(port):
    return {
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "EMAIL_TIMEOUT": "5",
        "REMINDER_DISPATCH_INTERVAL": "1",
        "REMINDER_RETRY_BACKOFF": "1",
        "REMINDER_RETRY_BACKOFF_MAX": "2",
        "REMINDER_SEND_TIME_LIMIT": "8",
        "REMINDER_RECOVER_AFTER": str(RECOVER_AFTER),
        # Batches of five, so that a kill lands mid-batch and the time limit covers a whole one.
        "REMINDER_SEND_BATCH_SIZE": "5",
        # Redis only: hand back a dead worker's unacknowledged tasks after 30 s, not an hour.
        "CELERY_VISIBILITY_TIMEOUT": "30",
    }


@pytest.fixture
def smtp():
    with smtp_server(RecordingHandler()) as server:
        yield server


@pytest.fixture
def celery(transactional_db, smtp, tmp_path):
    _, port = smtp
    processes = CeleryProcesses(tmp_path, env=worker_env(port), concurrency=CONCURRENCY)
    try:
        with processes:
            yield processes
    finally:
        processes.dump_logs()  # pytest shows it only when the test failed


def due_now(username, *, skip_if_done=True):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", timezone="Europe/Paris", email_verified=True
    )
    local = user.local_now()
    ReminderSchedule.objects.create(
        user=user,
        enabled=True,
        time=local.time().replace(second=0, microsecond=0),
        skip_if_done=skip_if_done,
        next_due_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    return user


def delivery_of(user):
    return Delivery.objects.filter(user=user).first()


def settled(user, status=None):
    delivery = delivery_of(user)
    if delivery is None or delivery.status not in FINAL:
        return None
    return delivery if status is None or delivery.status == status else None


def test_a_user_due_now_receives_exactly_one_email_within_a_minute(celery, smtp):
    handler, _ = smtp
    alice = due_now("alice")
    celery.start()
    (message,) = wait_until(lambda: handler.received_by(alice.email), timeout=60, what="the email", processes=celery)
    wait_until(lambda: settled(alice, DeliveryStatus.SENT), timeout=15, what="sent", processes=celery)
    assert holds_for(lambda: len(handler.received_by(alice.email)) == 1, seconds=3)


def test_the_email_has_both_unsubscribe_headers_and_both_parts(celery, smtp):
    handler, _ = smtp
    alice = due_now("alice")
    celery.start()
    (message,) = wait_until(lambda: handler.received_by(alice.email), timeout=60, what="the email", processes=celery)
    # Folded after the colon by the generator; unfolding leaves a blank the header's meaning ignores.
    assert re.fullmatch(r"<https?://[^>]+/unsubscribe/[^/>]+/>", message["List-Unsubscribe"].strip())
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]


def test_a_user_who_logged_a_session_today_gets_no_email(celery, smtp):
    handler, _ = smtp
    bob = due_now("bob", skip_if_done=True)
    Session.objects.create(user=bob, date=bob.local_today(), duration_minutes=10)
    celery.start()
    delivery = wait_until(lambda: settled(bob), timeout=60, what="bob's delivery", processes=celery)
    assert (delivery.status, delivery.skip_reason) == (
        DeliveryStatus.SKIPPED,
        f"A session was already logged on {bob.local_today():%Y-%m-%d}.",
    )
    assert handler.received_by(bob.email) == []


def test_a_451_once_then_accepted_delivers_exactly_one_email(celery, smtp):
    handler, _ = smtp
    handler.refuse_next = [TRY_LATER]
    alice = due_now("alice")
    celery.start()
    delivery = wait_until(lambda: settled(alice), timeout=60, what="the retried delivery", processes=celery)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert holds_for(lambda: len(handler.received_by(alice.email)) == 1, seconds=3)


def test_a_550_is_recorded_as_failed_and_never_retried(celery, smtp):
    handler, _ = smtp
    handler.refuse_all = NO_SUCH_USER
    alice = due_now("alice")
    celery.start()
    delivery = wait_until(lambda: settled(alice), timeout=60, what="the failed delivery", processes=celery)
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.FAILED, 1, NO_SUCH_USER)
    # Several dispatcher passes later, still the one attempt.
    assert holds_for(lambda: handler.attempts == 1, seconds=4)


@pytest.fixture
def slow_smtp():
    # Slow enough answers that a kill lands while sends are between claim and reply.
    with smtp_server(RecordingHandler(delay=0.4)) as server:
        yield server


@pytest.fixture
def slow_celery(transactional_db, slow_smtp, tmp_path):
    _, port = slow_smtp
    processes = CeleryProcesses(tmp_path, env=worker_env(port), concurrency=CONCURRENCY)
    try:
        with processes:
            yield processes
    finally:
        processes.dump_logs()


def test_a_worker_killed_mid_batch_loses_no_slot_and_sends_none_twice(slow_celery, slow_smtp):
    handler, _ = slow_smtp
    users = [due_now(f"user{n:02d}") for n in range(30)]
    slow_celery.start()
    handler.wait_for(6, timeout=60)
    assert len(handler.messages) < len(users), "the kill must land mid-batch"
    slow_celery.kill_worker()
    slow_celery.start_worker()

    def all_settled():
        deliveries = list(Delivery.objects.all())
        return len(deliveries) == len(users) and all(d.status in FINAL for d in deliveries) and deliveries

    deliveries = wait_until(all_settled, timeout=75, what="every slot settled", processes=slow_celery)
    emails = {user.email: len(handler.received_by(user.email)) for user in users}
    by_status = {status: [d for d in deliveries if d.status == status] for status in FINAL}
    assert max(emails.values()) == 1, f"someone got two emails: {emails}"
    assert all(emails[d.user.email] == 1 for d in by_status[DeliveryStatus.SENT])
    assert len(by_status[DeliveryStatus.UNCERTAIN]) <= CONCURRENCY
    assert len(by_status[DeliveryStatus.SENT]) + len(by_status[DeliveryStatus.UNCERTAIN]) == len(users)
