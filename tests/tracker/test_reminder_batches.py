"""Sending a batch over one SMTP connection, against a real SMTP server: each email once, each error its own."""

import datetime
import time

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection

from tests.smtp_helpers import NO_SUCH_USER, TRY_LATER, smtp_server, smtp_settings
from tracker import tasks
from tracker.models import Delivery, DeliveryStatus, ReminderSchedule, SelfCheck, Session
from tracker.reminders.sender import send_batch

UTC = datetime.UTC
SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=UTC)  # Friday 07:30 in Paris


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SLOT + datetime.timedelta(seconds=20), tick=False):
        yield


@pytest.fixture
def smtp(settings):
    with smtp_server() as (handler, port):
        smtp_settings(settings, port)
        yield handler


@pytest.fixture
def batch(db):
    """Five people due at the slot, and their deliveries in the order the batch sends them."""
    deliveries = []
    for n in range(5):
        user = get_user_model().objects.create_user(
            f"person{n}", f"person{n}@example.com", timezone="Europe/Paris", email_verified=True
        )
        ReminderSchedule.objects.create(user=user, enabled=True, time=datetime.time(7, 30))
        deliveries.append(Delivery.objects.create(user=user, slot_at=SLOT))
    return deliveries


def ids(deliveries):
    return [delivery.pk for delivery in deliveries]


def statuses(deliveries):
    found = dict(Delivery.objects.filter(pk__in=ids(deliveries)).values_list("pk", "status"))
    return [found[delivery.pk] for delivery in deliveries]


def attempts(deliveries):
    found = dict(Delivery.objects.filter(pk__in=ids(deliveries)).values_list("pk", "attempts"))
    return [found[delivery.pk] for delivery in deliveries]


def recipients(smtp):
    return sorted(message["To"] for message in smtp.messages)


def everyone(deliveries):
    return sorted(delivery.user.email for delivery in deliveries)


def test_a_batch_goes_over_one_smtp_connection(batch, smtp):
    result = send_batch(delivery_ids=ids(batch))
    assert set(result.outcomes.values()) == {"sent"}
    assert (recipients(smtp), len(set(smtp.peers))) == (everyone(batch), 1)


def test_a_batch_delivered_twice_sends_each_email_once(batch, smtp):
    send_batch(delivery_ids=ids(batch))
    again = send_batch(delivery_ids=ids(batch))
    assert set(again.outcomes.values()) == {"already sent"}
    assert recipients(smtp) == everyone(batch)


def test_a_batch_redelivered_while_its_first_run_holds_a_claim_leaves_that_one_alone(batch, smtp):
    # The first run (another worker) has claimed the third and is waiting for the server's answer.
    Delivery.objects.claim(batch[2].pk, now=SLOT + datetime.timedelta(seconds=19))
    result = send_batch(delivery_ids=ids(batch))
    assert result.outcomes[batch[2].pk] == "in progress"
    assert recipients(smtp) == everyone(batch[:2] + batch[3:])


def test_a_451_on_one_message_marks_that_one_alone_for_a_retry(batch, smtp):
    smtp.refuse_for = {batch[1].user.email: TRY_LATER}
    result = send_batch(delivery_ids=ids(batch))
    assert result.retry == [batch[1].pk]
    assert statuses(batch) == [DeliveryStatus.SENT, DeliveryStatus.RETRYING, *[DeliveryStatus.SENT] * 3]


def test_the_task_retries_only_the_message_a_451_hit_and_sends_each_once(batch, smtp):
    smtp.refuse_next = [None, TRY_LATER]  # the second message of the batch, once
    tasks.send_reminders.apply(args=[ids(batch)])
    assert statuses(batch) == [DeliveryStatus.SENT] * 5
    assert attempts(batch) == [1, 2, 1, 1, 1]
    assert (recipients(smtp), smtp.attempts) == (everyone(batch), 6)


def test_a_550_on_one_message_fails_that_one_only(batch, smtp):
    smtp.refuse_for = {batch[3].user.email: NO_SUCH_USER}
    tasks.send_reminders.apply(args=[ids(batch)])
    assert statuses(batch) == [*[DeliveryStatus.SENT] * 3, DeliveryStatus.FAILED, DeliveryStatus.SENT]
    assert Delivery.objects.get(pk=batch[3].pk).error == NO_SUCH_USER
    assert (recipients(smtp), smtp.attempts) == (everyone(batch[:3] + batch[4:]), 5)


def test_after_a_refusal_the_batch_goes_on_over_the_same_connection(batch, smtp):
    smtp.refuse_for = {batch[0].user.email: NO_SUCH_USER}
    send_batch(delivery_ids=ids(batch))
    assert len(set(smtp.peers)) == 1


def test_a_connection_dropped_mid_batch_retries_the_message_it_hit_and_the_rest_go_over_a_new_one(batch, smtp):
    smtp.drop_for = {batch[2].user.email}
    result = send_batch(delivery_ids=ids(batch))
    assert result.retry == [batch[2].pk]
    assert recipients(smtp) == everyone(batch[:2] + batch[3:])
    assert len(set(smtp.peers)) == 2


def test_skips_and_sends_in_one_batch(batch, smtp):
    Session.objects.create(user=batch[0].user, date=datetime.date(2026, 6, 12), duration_minutes=10)
    result = send_batch(delivery_ids=ids(batch))
    assert [result.outcomes[pk] for pk in ids(batch)] == ["skipped", *["sent"] * 4]
    assert recipients(smtp) == everyone(batch[1:])


def test_a_delivery_another_worker_claims_after_the_batch_was_loaded_is_left_to_it(batch, smtp):
    # The batch is loaded; as it claims its first delivery, another worker (running the same
    # batch, redelivered) claims the third. Only the conditional UPDATE stands between them.
    other_worker_claimed = []

    def claim_third_first(execute, sql, params, many, context):
        if not other_worker_claimed and sql.startswith("UPDATE") and DeliveryStatus.SENDING in params:
            other_worker_claimed.append(None)  # once: the other worker's own UPDATE comes through here too
            other_worker_claimed[0] = Delivery.objects.claim(batch[2].pk, now=SLOT)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(claim_third_first):
        result = send_batch(delivery_ids=ids(batch))
    assert other_worker_claimed == [True]
    assert result.outcomes[batch[2].pk] == "in progress"
    assert recipients(smtp) == everyone(batch[:2] + batch[3:])


def test_past_its_deadline_a_batch_claims_nothing_more_and_leaves_the_rest_claimable(batch, smtp):
    result = send_batch(delivery_ids=ids(batch), deadline=time.monotonic())
    assert result.postponed == ids(batch)
    assert (statuses(batch), smtp.messages) == ([DeliveryStatus.QUEUED] * 5, [])


def test_the_task_queues_what_its_batch_postponed_as_a_new_task(batch, smtp, settings, monkeypatch):
    settings.REMINDER_SEND_TIME_LIMIT = 0  # the deadline is now: everything is postponed
    queued = []
    monkeypatch.setattr(
        tasks.send_reminders, "apply_async", lambda args=None, kwargs=None, **options: queued.append(args[0])
    )
    tasks.send_reminders.apply(args=[ids(batch)])
    assert queued == [ids(batch)]
    assert statuses(batch) == [DeliveryStatus.QUEUED] * 5


def test_an_email_that_cannot_be_built_fails_alone_and_the_batch_goes_on(batch, smtp):
    # A self-check row whose answers the self-check no longer knows: building that email raises.
    SelfCheck.objects.create(
        user=batch[1].user, date=datetime.date(2026, 6, 1), pelvis="tuck", causes=["gone"], chain="x"
    )
    result = send_batch(delivery_ids=ids(batch))
    assert [result.outcomes[pk] for pk in ids(batch)] == ["sent", "failed", "sent", "sent", "sent"]
    failed = Delivery.objects.get(pk=batch[1].pk)
    assert failed.error.startswith("Could not render the email: ValueError(")
    assert recipients(smtp) == everyone(batch[:1] + batch[2:])
