"""The dispatcher: one delivery per due slot, whoever else is dispatching, and nothing left behind."""

import datetime
import threading
from types import SimpleNamespace

import pytest
import time_machine
from celery.schedules import crontab
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from tracker import tasks
from tracker.models import Delivery, DeliveryStatus, ReminderSchedule
from tracker.reminders.dispatcher import dispatch_due, requeue_abandoned

UTC = datetime.UTC
NOW = datetime.datetime(2026, 6, 12, 6, 0, tzinfo=UTC)
SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=UTC)  # 07:30 in Paris
RECOVER_AFTER = datetime.timedelta(minutes=15)


@pytest.fixture
def published(monkeypatch):
    """What was handed to the broker: each send task's batch of ids, and every id; the broker itself
    is not under test here."""
    published = SimpleNamespace(batches=[], ids=[])

    def publish(args=None, kwargs=None, **options):
        (delivery_ids,) = args
        published.batches.append(delivery_ids)
        published.ids.extend(delivery_ids)

    monkeypatch.setattr(tasks.send_reminders, "apply_async", publish)
    return published


@pytest.fixture
def queued_ids(published):
    return published.ids


def make_due_users(count, *, prefix="user", due_at=SLOT):
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"{prefix}{n}", email=f"{prefix}{n}@example.com", email_verified=True, timezone="Europe/Paris")
        for n in range(count)
    )
    users = list(User.objects.filter(username__startswith=prefix))
    ReminderSchedule.objects.bulk_create(
        ReminderSchedule(user=user, enabled=True, time=datetime.time(7, 30), next_due_at=due_at) for user in users
    )
    return users


def test_it_records_one_queued_delivery_per_due_schedule(db, queued_ids, django_capture_on_commit_callbacks):
    make_due_users(3)
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due(now=NOW, batch_size=100) == 3
    assert sorted(queued_ids) == sorted(
        Delivery.objects.filter(status=DeliveryStatus.QUEUED).values_list("pk", flat=True)
    )


def test_it_queues_the_emails_only_after_the_transaction_commits(db, queued_ids, django_capture_on_commit_callbacks):
    make_due_users(2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dispatch_due(now=NOW, batch_size=100)
    assert queued_ids == []
    assert len(callbacks) == 1


def test_it_moves_each_schedule_to_its_next_slot(db):
    (user,) = make_due_users(1)
    dispatch_due(now=NOW, batch_size=100)
    assert ReminderSchedule.objects.get(user=user).next_due_at == SLOT + datetime.timedelta(days=1)


def test_a_second_pass_finds_nothing_due(db):
    make_due_users(3)
    dispatch_due(now=NOW, batch_size=100)
    assert dispatch_due(now=NOW, batch_size=100) == 0
    assert Delivery.objects.count() == 3


def test_a_schedule_due_later_is_left_alone(db, alice):
    ReminderSchedule.objects.create(user=alice, enabled=True, next_due_at=NOW + datetime.timedelta(minutes=1))
    assert dispatch_due(now=NOW, batch_size=100) == 0
    assert not Delivery.objects.exists()


def test_an_existing_delivery_for_the_slot_is_not_duplicated(db, alice):
    ReminderSchedule.objects.create(user=alice, enabled=True, time=datetime.time(7, 30), next_due_at=SLOT)
    Delivery.objects.create(user=alice, slot_at=SLOT, status=DeliveryStatus.SENT)
    dispatch_due(now=NOW, batch_size=100)
    assert Delivery.objects.filter(user=alice).count() == 1


def test_batches_cover_every_due_schedule(db):
    make_due_users(25)
    assert dispatch_due(now=NOW, batch_size=10) == 25


def test_the_deliveries_go_to_the_broker_in_batches_of_the_send_batch_size(
    db, published, settings, django_capture_on_commit_callbacks
):
    settings.REMINDER_SEND_BATCH_SIZE = 10
    make_due_users(25)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due(now=NOW, batch_size=100)
    assert [len(batch) for batch in published.batches] == [10, 10, 5]
    assert sorted(published.ids) == sorted(Delivery.objects.values_list("pk", flat=True))


def test_beat_runs_the_dispatcher_at_the_start_of_every_minute(settings):
    # A crontab, not an interval counted from whenever beat started: at 07:29:59.5 the next run
    # is half a second away, and at 07:30:00 it is due.
    schedule = settings.CELERY_BEAT_SCHEDULE["dispatch-reminders"]["schedule"]
    assert isinstance(schedule, crontab)
    last_run = datetime.datetime(2026, 6, 12, 5, 29, 0, 200000, tzinfo=UTC)
    with time_machine.travel(datetime.datetime(2026, 6, 12, 5, 29, 59, 500000, tzinfo=UTC), tick=False):
        due, wait = schedule.is_due(last_run)
        assert (due, wait) == (False, 0.5)
    with time_machine.travel(datetime.datetime(2026, 6, 12, 5, 30, 0, tzinfo=UTC), tick=False):
        assert schedule.is_due(last_run)[0]


def test_its_cost_follows_the_due_users_not_all_users(db, django_assert_num_queries):
    make_due_users(40, prefix="idle", due_at=NOW + datetime.timedelta(hours=1))
    make_due_users(5)
    # Per batch: savepoint, select and lock, bulk update, bulk insert, read back ids, release;
    # then the empty select that ends the loop (inside its own savepoint).
    with django_assert_num_queries(9):
        dispatch_due(now=NOW, batch_size=100)


# --- Two dispatchers at once -------------------------------------------------------------


def _dispatch_in_threads(count, *, batch_size):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(dispatch_due(now=NOW, batch_size=batch_size))
        except Exception as exc:  # reported by the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_create_one_delivery_per_slot(queued_ids):
    # Small batches so that the two dispatchers interleave; each thread has its own connection.
    make_due_users(200)
    results, errors = _dispatch_in_threads(2, batch_size=20)
    assert errors == []
    assert Delivery.objects.count() == 200
    assert sorted(queued_ids) == sorted(Delivery.objects.values_list("pk", flat=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL; SQLite serialises writers")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_dispatcher_skips_the_schedules_another_one_holds(queued_ids):
    make_due_users(30)
    held = list(ReminderSchedule.objects.order_by("pk").values_list("pk", flat=True)[:5])
    results = []
    with transaction.atomic():
        # This connection plays the first dispatcher, stopped half-way through its batch.
        list(ReminderSchedule.objects.filter(pk__in=held).select_for_update())
        other = threading.Thread(target=lambda: results.append(_dispatch_and_close(batch_size=10)))
        other.start()
        other.join(timeout=30)
    assert results == [25]
    assert not Delivery.objects.filter(user__reminder_schedule__in=held).exists()


def _dispatch_and_close(*, batch_size):
    try:
        return dispatch_due(now=NOW, batch_size=batch_size)
    finally:
        connections.close_all()


# --- Deliveries whose message or worker was lost ------------------------------------------


def make_delivery(user, *, status, updated_at, claimed_at=None):
    delivery = Delivery.objects.create(user=user, slot_at=SLOT, status=status, claimed_at=claimed_at)
    Delivery.objects.filter(pk=delivery.pk).update(updated_at=updated_at)
    return delivery


def test_a_delivery_queued_long_ago_is_queued_again(alice, queued_ids, django_capture_on_commit_callbacks):
    delivery = make_delivery(alice, status=DeliveryStatus.QUEUED, updated_at=NOW - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_abandoned(now=NOW, older_than=RECOVER_AFTER) == 1
    assert queued_ids == [delivery.pk]


def test_a_delivery_queued_a_moment_ago_is_left_to_its_task(alice, queued_ids):
    make_delivery(alice, status=DeliveryStatus.QUEUED, updated_at=NOW - datetime.timedelta(minutes=1))
    assert requeue_abandoned(now=NOW, older_than=RECOVER_AFTER) == 0


def test_a_claim_held_past_the_time_limit_is_queued_again_to_be_settled(alice, queued_ids):
    long_ago = NOW - datetime.timedelta(hours=1)
    make_delivery(alice, status=DeliveryStatus.SENDING, updated_at=long_ago, claimed_at=long_ago)
    assert requeue_abandoned(now=NOW, older_than=RECOVER_AFTER) == 1


def test_finished_deliveries_are_never_queued_again(alice, bob, queued_ids):
    long_ago = NOW - datetime.timedelta(hours=1)
    make_delivery(alice, status=DeliveryStatus.SENT, updated_at=long_ago)
    make_delivery(bob, status=DeliveryStatus.UNCERTAIN, updated_at=long_ago, claimed_at=long_ago)
    assert requeue_abandoned(now=NOW, older_than=RECOVER_AFTER) == 0


def test_a_delivery_is_queued_again_at_most_once_per_period(alice, queued_ids):
    make_delivery(alice, status=DeliveryStatus.RETRYING, updated_at=NOW - datetime.timedelta(hours=1))
    requeue_abandoned(now=NOW, older_than=RECOVER_AFTER)
    assert requeue_abandoned(now=NOW + datetime.timedelta(minutes=1), older_than=RECOVER_AFTER) == 0
