"""A database error in the middle of a batch: what was sent stays sent, the rest is tried again, nothing twice."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import OperationalError, connection

from tracker import tasks
from tracker.models import Delivery, DeliveryStatus, ReminderSchedule

from .reminders_helpers import send_one

SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=datetime.UTC)  # Friday 07:30 in Paris


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SLOT + datetime.timedelta(seconds=20), tick=False):
        yield


def due(user):
    ReminderSchedule.objects.create(user=user, enabled=True, time=datetime.time(7, 30), next_due_at=SLOT)
    return Delivery.objects.create(user=user, slot_at=SLOT)


@pytest.fixture
def delivery(alice):
    return due(alice)


def database_down_for_reads(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith("SELECT"):
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


class FailOnce:
    """Fails the ``nth`` statement that starts with ``prefix`` (1 = the first), once."""

    def __init__(self, prefix: str, nth: int = 1):
        self.prefix, self.left = prefix, nth

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(self.prefix):
            self.left -= 1
            if self.left == 0:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def test_a_database_error_while_loading_the_batch_claims_nothing(delivery):
    with connection.execute_wrapper(database_down_for_reads), pytest.raises(OperationalError):
        send_one(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, mail.outbox) == (DeliveryStatus.QUEUED, 0, [])


def test_a_delivery_left_unclaimed_is_sent_on_the_next_try(delivery):
    with connection.execute_wrapper(database_down_for_reads), pytest.raises(OperationalError):
        send_one(delivery.pk)
    assert send_one(delivery.pk) == "sent"
    assert len(mail.outbox) == 1


def test_the_task_retries_a_database_error_and_sends_once_it_is_back(delivery):
    with connection.execute_wrapper(FailOnce("SELECT")):
        tasks.send_reminders.apply(args=[[delivery.pk]])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(mail.outbox)) == (DeliveryStatus.SENT, 1, 1)


# Committing as a worker does: inside the test's transaction the failed UPDATE would break it.
@pytest.mark.django_db(transaction=True)
def test_a_database_error_mid_batch_retries_the_batch_and_sends_nobody_twice(alice, bob):
    carol = get_user_model().objects.create_user(
        "carol", "carol@example.com", timezone="Europe/Paris", email_verified=True
    )
    deliveries = [due(user) for user in (alice, bob, carol)]
    # The second claim fails: alice's email went out and was recorded; bob and carol were not claimed.
    with connection.execute_wrapper(FailOnce("UPDATE", nth=3)):
        tasks.send_reminders.apply(args=[[delivery.pk for delivery in deliveries]])
    assert sorted(message.to[0] for message in mail.outbox) == sorted(user.email for user in (alice, bob, carol))
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}
