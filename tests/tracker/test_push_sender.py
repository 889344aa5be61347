"""The push channel in the sender: claimed like email, pushed to each of the person's browsers through a
push service of the test's own (tests/push_helpers.py), which checks the VAPID signature and decrypts."""

import datetime
import logging

import pytest
import time_machine

from tracker.models import Delivery, DeliveryStatus, PushSubscription, ReminderSchedule, Session
from tracker.reminders import push
from tracker.reminders.dispatcher import dispatch_due
from tracker.reminders.schedule import schedule_update

from ..push_helpers import HANG, Browser, push_service
from .reminders_helpers import remind, send_one

UTC = datetime.UTC
SAVED = datetime.datetime(2026, 6, 11, 12, 0, tzinfo=UTC)
NOW = datetime.datetime(2026, 6, 12, 6, 0, tzinfo=UTC)  # 08:00 in Paris, after the 07:30 slot


@pytest.fixture
def service(settings, db):
    with push_service(expected_key=push.application_server_key()) as server:
        settings.PUSH_ALLOWED_ORIGINS = [server.origin]
        settings.PUSH_TIMEOUT = 1
        yield server


def subscribe(user, service) -> Browser:
    browser = Browser(service)
    keys = browser.subscription()["keys"]
    PushSubscription.objects.create(user=user, endpoint=browser.endpoint, **keys)
    return browser


def due(user, *, channels=("email", "push")):
    remind(user, now=SAVED)
    ReminderSchedule.objects.filter(user=user).update(channels=list(channels))
    with time_machine.travel(NOW, tick=False):
        dispatch_due(now=NOW)
    return {delivery.channel: delivery for delivery in Delivery.objects.filter(user=user)}


def sent(delivery) -> Delivery:
    send_one(delivery.pk)
    return Delivery.objects.get(pk=delivery.pk)


def test_a_slot_has_a_push_delivery_beside_the_email_one(alice, service):
    assert sorted(due(alice)) == ["email", "push"]


def test_push_alone_records_no_email_delivery(alice, service):
    assert list(due(alice, channels=["push"])) == ["push"]


def test_the_push_carries_todays_title_and_a_link_into_the_site(alice, service):
    browser = subscribe(alice, service)
    delivery = sent(due(alice, channels=["push"])["push"])
    (payload,) = service.pushes_to(browser)
    assert delivery.status == DeliveryStatus.SENT
    assert payload["title"] == "Time to look after your back"  # no plan yet: the email's subject line
    assert payload["url"].startswith("http://") and payload["tag"] == "backcare-reminder-2026-06-12"


def test_every_browser_of_the_person_gets_one_push(alice, service):
    browsers = [subscribe(alice, service), subscribe(alice, service)]
    sent(due(alice, channels=["push"])["push"])
    assert [len(service.pushes_to(browser)) for browser in browsers] == [1, 1]


def test_a_batch_delivered_twice_pushes_once(alice, service):
    browser = subscribe(alice, service)
    delivery = due(alice, channels=["push"])["push"]
    send_one(delivery.pk)
    assert send_one(delivery.pk) == "already sent"
    assert len(service.pushes_to(browser)) == 1


def test_a_person_with_no_subscribed_browser_is_skipped_with_the_reason(alice, service):
    delivery = sent(due(alice, channels=["push"])["push"])
    assert (delivery.status, delivery.skip_reason) == (
        DeliveryStatus.SKIPPED,
        "No browser is subscribed to push notifications.",
    )


def test_an_unconfirmed_address_stops_the_email_but_not_the_push(django_user_model, service):
    dora = django_user_model.objects.create_user("dora", "dora@example.com", timezone="Europe/Paris")
    browser = subscribe(dora, service)
    deliveries = due(dora)
    assert sent(deliveries["email"]).status == DeliveryStatus.SKIPPED
    assert sent(deliveries["push"]).status == DeliveryStatus.SENT
    assert len(service.pushes_to(browser)) == 1


def test_a_session_logged_today_skips_the_push_too(alice, service):
    browser = subscribe(alice, service)
    Session.objects.create(user=alice, date=datetime.date(2026, 6, 12), duration_minutes=10)
    assert sent(due(alice, channels=["push"])["push"]).status == DeliveryStatus.SKIPPED
    assert service.pushes_to(browser) == []


def test_push_turned_off_after_the_slot_was_recorded_is_skipped(alice, service):
    subscribe(alice, service)
    delivery = due(alice)["push"]
    with time_machine.travel(NOW, tick=False):
        schedule_update(
            user=alice,
            enabled=True,
            time=datetime.time(7, 30),
            timezone=alice.timezone,
            weekdays=[],
            skip_if_done=True,
            channels=["email"],
        )
    delivery = sent(delivery)
    assert (delivery.status, delivery.skip_reason) == (
        DeliveryStatus.SKIPPED,
        "Push notification reminders were turned off before this one was sent.",
    )


def test_a_410_removes_the_subscription_and_records_it(alice, service, caplog):
    browser = subscribe(alice, service)
    service.answer(browser.path, 410)
    with caplog.at_level(logging.WARNING, logger="tracker.reminders.sender"):
        delivery = sent(due(alice, channels=["push"])["push"])
    assert not PushSubscription.objects.filter(user=alice).exists()
    assert delivery.status == DeliveryStatus.FAILED
    assert "is gone (The push service answered 410 Gone.); removed" in delivery.error
    assert "is gone" in caplog.text


def test_a_gone_browser_does_not_stop_the_push_to_the_others(alice, service):
    gone, kept = subscribe(alice, service), subscribe(alice, service)
    service.answer(gone.path, 404)
    delivery = sent(due(alice, channels=["push"])["push"])
    assert (delivery.status, len(service.pushes_to(kept))) == (DeliveryStatus.SENT, 1)
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [kept.endpoint]


def test_a_500_is_retried_and_then_pushed_once(alice, service):
    browser = subscribe(alice, service)
    service.answer(browser.path, 500)
    delivery = due(alice, channels=["push"])["push"]
    assert send_one(delivery.pk) == DeliveryStatus.RETRYING
    assert send_one(delivery.pk) == "sent"
    assert (Delivery.objects.get(pk=delivery.pk).attempts, len(service.pushes_to(browser))) == (2, 1)


def test_a_429_every_time_gives_up_after_the_last_attempt(alice, service, settings):
    settings.REMINDER_MAX_ATTEMPTS = 3
    browser = subscribe(alice, service)
    service.answer(browser.path, 429, 429, 429, 429)
    delivery = due(alice, channels=["push"])["push"]
    outcomes = [send_one(delivery.pk) for _ in range(4)]
    assert outcomes == [DeliveryStatus.RETRYING, DeliveryStatus.RETRYING, DeliveryStatus.FAILED, "already failed"]
    assert Delivery.objects.get(pk=delivery.pk).error.startswith("Gave up after 3 attempts")


def test_a_push_service_that_does_not_answer_in_time_is_tried_again(alice, service):
    browser = subscribe(alice, service)
    service.answer(browser.path, HANG)  # longer than PUSH_TIMEOUT
    delivery = due(alice, channels=["push"])["push"]
    assert send_one(delivery.pk) == DeliveryStatus.RETRYING
    assert Delivery.objects.get(pk=delivery.pk).error.endswith("No answer from the push service: ReadTimeout.")


def test_a_push_service_that_refuses_connections_is_tried_again(alice, service, settings):
    browser = subscribe(alice, service)
    settings.PUSH_ALLOWED_ORIGINS = ["http://127.0.0.1:9"]  # the discard port: nothing listens
    PushSubscription.objects.filter(user=alice).update(endpoint="http://127.0.0.1:9" + browser.path)
    assert send_one(due(alice, channels=["push"])["push"].pk) == DeliveryStatus.RETRYING


def test_a_400_fails_at_once_without_a_retry(alice, service):
    browser = subscribe(alice, service)
    service.answer(browser.path, 400)
    delivery = due(alice, channels=["push"])["push"]
    assert send_one(delivery.pk) == DeliveryStatus.FAILED


def test_one_browser_took_it_so_a_500_elsewhere_is_not_retried(alice, service):
    failing, taking = subscribe(alice, service), subscribe(alice, service)
    service.answer(failing.path, 500)
    delivery = sent(due(alice, channels=["push"])["push"])
    assert (delivery.status, len(service.pushes_to(taking))) == (DeliveryStatus.SENT, 1)
    assert "500" in delivery.error


def test_an_endpoint_no_longer_allowed_is_not_contacted(alice, service, settings):
    browser = subscribe(alice, service)
    settings.PUSH_ALLOWED_ORIGINS = ["https://fcm.googleapis.com"]
    delivery = sent(due(alice, channels=["push"])["push"])
    assert delivery.status == DeliveryStatus.FAILED
    assert service.pushes_to(browser) == [] and service.refused == []


def test_without_a_vapid_key_push_deliveries_are_skipped_saying_why(alice, service, settings):
    subscribe(alice, service)
    delivery = due(alice, channels=["push"])["push"]
    settings.VAPID_PRIVATE_KEY, settings.VAPID_KEY_FILE = "", None
    assert sent(delivery).skip_reason == push.OFF_REASON


def test_a_push_that_fails_unexpectedly_is_recorded_as_failed_never_left_sending(alice, service, monkeypatch):
    subscribe(alice, service)
    deliveries = due(alice)

    def refuses(*args, **kwargs):
        raise ValueError("the encryption refused the subscription's key")

    monkeypatch.setattr(push, "webpush", refuses)
    pushed, emailed = sent(deliveries["push"]), sent(deliveries["email"])

    assert pushed.status == DeliveryStatus.FAILED
    assert "the encryption refused" in pushed.error
    assert emailed.status == DeliveryStatus.SENT
