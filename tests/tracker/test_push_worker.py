"""Push reminders end to end: a real Celery worker and beat on the real broker, pushing to a push service of
the test's own on loopback (tests/push_helpers.py), which checks the VAPID signature and decrypts each push."""

import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone

from tests.celery_helpers import CeleryProcesses, holds_for, wait_until
from tests.smtp_helpers import RecordingHandler, smtp_server
from tracker.models import Delivery, DeliveryStatus, PushSubscription, ReminderSchedule
from tracker.reminders import push

from ..push_helpers import Browser, b64url, push_service
from .test_reminders_integration import FINAL, due_now, worker_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def vapid_key(settings):
    """A VAPID key of this test's own, shared by the test process (the subscription API) and the worker."""
    private = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = b64url(private.private_numbers().private_value.to_bytes(32, "big"))
    push._signers.clear()
    yield settings.VAPID_PRIVATE_KEY
    push._signers.clear()


@pytest.fixture
def service(vapid_key, settings):
    with push_service(expected_key=push.application_server_key()) as server:
        settings.PUSH_ALLOWED_ORIGINS = [server.origin]
        yield server


@pytest.fixture
def celery(transactional_db, service, vapid_key, tmp_path):
    with smtp_server(RecordingHandler()) as (_, port):
        env = {**worker_env(port), "VAPID_PRIVATE_KEY": vapid_key, "PUSH_ALLOWED_ORIGINS": service.origin}
        processes = CeleryProcesses(tmp_path, env={**env, "PUSH_TIMEOUT": "3"}, concurrency=2)
        try:
            with processes:
                yield processes
        finally:
            processes.dump_logs()  # pytest shows it only when the test failed


def push_due_now(username, service, *, channels=("push",)) -> tuple:
    user = due_now(username)
    ReminderSchedule.objects.filter(user=user).update(channels=list(channels))
    browser = Browser(service)
    PushSubscription.objects.create(user=user, endpoint=browser.endpoint, **browser.subscription()["keys"])
    return user, browser


def settled_push(user):
    delivery = Delivery.objects.filter(user=user, channel="push").first()
    return delivery if delivery is not None and delivery.status in FINAL else None


def due_again(user):
    ReminderSchedule.objects.filter(user=user).update(next_due_at=timezone.now() - datetime.timedelta(seconds=1))


def test_each_due_slot_pushes_once_to_each_subscribed_browser(celery, service):
    people = [push_due_now(f"user{n}", service) for n in range(4)]
    celery.start()
    for user, _ in people:
        wait_until(lambda user=user: settled_push(user), timeout=60, what=f"{user}'s push", processes=celery)
    assert holds_for(lambda: [len(service.pushes_to(browser)) for _, browser in people] == [1] * 4, seconds=4)
    assert {delivery.status for delivery in Delivery.objects.all()} == {DeliveryStatus.SENT}


def test_email_and_push_each_go_once_for_one_slot(celery, service):
    alice, browser = push_due_now("alice", service, channels=("email", "push"))
    celery.start()
    wait_until(lambda: Delivery.objects.filter(user=alice, status=DeliveryStatus.SENT).count() == 2, timeout=60)
    assert holds_for(lambda: len(service.pushes_to(browser)) == 1, seconds=3)


def test_after_unsubscribing_the_next_slot_pushes_nothing(celery, service, settings):
    alice, browser = push_due_now("alice", service)
    celery.start()
    wait_until(lambda: settled_push(alice), timeout=60, what="the first push", processes=celery)
    PushSubscription.objects.filter(user=alice).delete()  # as DELETE /api/v1/push-subscriptions/{id}/ does
    due_again(alice)
    wait_until(
        lambda: Delivery.objects.filter(user=alice, status=DeliveryStatus.SKIPPED).first(),
        timeout=60,
        what="the second slot skipped",
        processes=celery,
    )
    assert holds_for(lambda: len(service.pushes_to(browser)) == 1, seconds=3)


def test_a_410_removes_the_subscription_and_records_it(celery, service):
    alice, browser = push_due_now("alice", service)
    service.answer(browser.path, 410)
    celery.start()
    delivery = wait_until(lambda: settled_push(alice), timeout=60, what="the push", processes=celery)
    assert delivery.status == DeliveryStatus.FAILED and "410" in delivery.error
    assert not PushSubscription.objects.filter(user=alice).exists()


def test_a_500_once_is_retried_and_pushed_exactly_once(celery, service):
    alice, browser = push_due_now("alice", service)
    service.answer(browser.path, 500)
    celery.start()
    delivery = wait_until(lambda: settled_push(alice), timeout=60, what="the retried push", processes=celery)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert holds_for(lambda: len(service.pushes_to(browser)) == 1, seconds=3)
