"""One-click unsubscribe (RFC 8058): the signed link works without logging in, and only a POST acts."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tracker.models import Delivery, DeliveryStatus, ReminderSchedule
from tracker.reminders.dispatcher import dispatch_due
from tracker.reminders.schedule import unsubscribe_token

from .reminders_helpers import send_one

SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=datetime.UTC)
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def subscribed(alice):
    ReminderSchedule.objects.create(
        user=alice, enabled=True, time=datetime.time(7, 30), next_due_at=SLOT + datetime.timedelta(days=1)
    )
    return alice


@pytest.fixture
def provider():
    """A mail provider's one-click POST: no session, no CSRF token, and the checks enforced."""
    return Client(enforce_csrf_checks=True)


def link_for(user):
    return reverse("tracker:unsubscribe", args=[unsubscribe_token(user)])


def schedule_of(user):
    return ReminderSchedule.objects.get(user=user)


def test_opening_the_link_shows_a_confirm_button_and_changes_nothing(client, subscribed):
    response = client.get(link_for(subscribed))
    assert response.status_code == 200
    assert b'<button type="submit"' in response.content
    assert schedule_of(subscribed).enabled


def test_confirming_turns_reminders_off_without_logging_in(client, subscribed):
    response = client.post(link_for(subscribed))
    assert response.status_code == 200
    assert b"Reminders stopped" in response.content
    assert (schedule_of(subscribed).enabled, schedule_of(subscribed).next_due_at) == (False, None)


def test_the_providers_one_click_post_needs_no_csrf_token(provider, subscribed):
    response = provider.post(link_for(subscribed), ONE_CLICK)
    assert response.status_code == 200
    assert not schedule_of(subscribed).enabled


def test_a_slot_due_but_not_yet_dispatched_is_recorded_as_skipped_not_sent(provider, subscribed):
    due_at = SLOT  # in the past: due, and not dispatched yet
    ReminderSchedule.objects.filter(user=subscribed).update(next_due_at=due_at)
    provider.post(link_for(subscribed), ONE_CLICK)
    delivery = Delivery.objects.get(user=subscribed)
    assert (delivery.slot_at, delivery.status) == (due_at, DeliveryStatus.SKIPPED)
    assert delivery.skip_reason == "Reminders were turned off before this one was sent."
    assert dispatch_due(now=datetime.datetime.now(datetime.UTC)) == 0
    assert mail.outbox == []


def test_a_slot_not_yet_due_leaves_no_delivery(provider, subscribed):
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    ReminderSchedule.objects.filter(user=subscribed).update(next_due_at=later)
    provider.post(link_for(subscribed), ONE_CLICK)
    assert not schedule_of(subscribed).enabled
    assert not Delivery.objects.filter(user=subscribed).exists()


def test_unsubscribing_twice_is_harmless(provider, subscribed):
    provider.post(link_for(subscribed), ONE_CLICK)
    again = provider.post(link_for(subscribed), ONE_CLICK)
    assert (again.status_code, b"Reminders stopped" in again.content) == (200, True)
    assert (schedule_of(subscribed).enabled, schedule_of(subscribed).next_due_at) == (False, None)


def test_the_link_in_the_email_header_is_the_one_that_works(provider, subscribed):
    Delivery.objects.create(user=subscribed, slot_at=SLOT)
    send_one(Delivery.objects.get().pk)
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    path = header.strip("<>").split("://", 1)[1].split("/", 1)[1]
    provider.post(f"/{path}", ONE_CLICK)
    assert not schedule_of(subscribed).enabled


def test_it_only_unsubscribes_the_user_the_link_was_made_for(provider, subscribed, bob):
    ReminderSchedule.objects.create(user=bob, enabled=True, next_due_at=SLOT)
    provider.post(link_for(subscribed), ONE_CLICK)
    assert (schedule_of(subscribed).enabled, schedule_of(bob).enabled) == (False, True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_gets_a_clear_page_and_changes_nothing(provider, subscribed, bob, method):
    # Alice's id with bob's signature: a forged link to unsubscribe her.
    forged = f"{subscribed.pk}:{unsubscribe_token(bob).split(':', 1)[1]}"
    response = getattr(provider, method)(reverse("tracker:unsubscribe", args=[forged]))
    assert response.status_code == 400
    assert b"This unsubscribe link is not valid" in response.content
    assert schedule_of(subscribed).enabled


def test_a_made_up_token_gets_a_400(provider, subscribed):
    response = provider.post(reverse("tracker:unsubscribe", args=["not-a-token"]))
    assert response.status_code == 400


def test_the_page_is_not_cached(client, subscribed):
    assert "no-cache" in client.get(link_for(subscribed))["Cache-Control"]
