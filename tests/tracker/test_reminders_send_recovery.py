"""A database error after the claim but before the SMTP server is contacted is retried, never called uncertain."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError, connection

from tracker import tasks
from tracker.models import Delivery, DeliveryStatus, ReminderSchedule
from tracker.reminders import reminder_send

SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=datetime.UTC)  # Friday 07:30 in Paris


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SLOT + datetime.timedelta(seconds=20), tick=False):
        yield


@pytest.fixture
def delivery(alice):
    ReminderSchedule.objects.create(user=alice, enabled=True, time=datetime.time(7, 30), next_due_at=SLOT)
    return Delivery.objects.create(user=alice, slot_at=SLOT)


def database_down_for_reads(execute, sql, params, many, context):
    # The claim (an UPDATE) goes through; the database is lost on the next read.
    if sql.lstrip().upper().startswith("SELECT"):
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


def test_a_database_error_before_the_send_gives_the_claim_back(delivery):
    with connection.execute_wrapper(database_down_for_reads), pytest.raises(OperationalError):
        reminder_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert "server closed the connection" in delivery.error


def test_a_delivery_given_back_is_sent_on_the_next_attempt(delivery):
    with connection.execute_wrapper(database_down_for_reads), pytest.raises(OperationalError):
        reminder_send(delivery_id=delivery.pk)
    assert reminder_send(delivery_id=delivery.pk) == "sent"
    assert len(mail.outbox) == 1


def test_the_task_retries_a_database_error_before_the_send(delivery, settings):
    with connection.execute_wrapper(database_down_for_reads):
        result = tasks.send_reminder.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert isinstance(result.result, OperationalError)
    # Each try claimed it again and nothing was ever left uncertain; when the attempts ran
    # out it ended as a failure, so the dispatcher's recovery does not retry it forever.
    assert delivery.attempts == settings.REMINDER_MAX_ATTEMPTS
    assert delivery.status == DeliveryStatus.FAILED
    assert "Could not prepare the email" in delivery.error
