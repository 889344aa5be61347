"""Journey 3: alice asks for a reminder a minute from now; a real Celery worker and beat, on the
broker the suite runs with, send it to an SMTP server on loopback; alice follows the email's
unsubscribe link, confirms, and her settings page shows reminders off."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.celery_helpers import wait_until
from tests.conftest import make_user
from tracker.models import Delivery, DeliveryStatus, ReminderSchedule

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Saving the form takes a second or two: a minute boundary closer than this is left for the next one.
MARGIN = datetime.timedelta(seconds=10)


@pytest.fixture
def alice(catalog, django_user_model):
    return make_user(django_user_model, "alice", timezone="Europe/Paris")


def a_minute_away(now: datetime.datetime) -> datetime.datetime:
    """The next whole minute on the clock, unless it is too close to reach in time."""
    due = now.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    return due if due - now > MARGIN else due + datetime.timedelta(minutes=1)


def test_a_reminder_arrives_by_email_and_its_link_turns_reminders_off(alice, celery, smtp, open_tab):
    handler, _ = smtp
    tab = open_tab("alice")
    page = tab.page
    log_in(tab, "alice")

    page.get_by_role("navigation").get_by_role("link", name="Reminders").click()
    tab.arrived(reverse("tracker:reminders"), "reminders")
    assert "Reminders are off." in page.locator("p[role=status]").inner_text()
    due = a_minute_away(alice.local_now())
    page.get_by_label("Send me reminders").check()
    page.get_by_label("Time of day").fill(f"{due:%H:%M}")
    assert page.get_by_label("Time zone").input_value() == "Europe/Paris"
    page.get_by_role("button", name="Save reminders").click()
    tab.arrived(reverse("tracker:reminders"), "reminders-on")
    assert f"{due:%H:%M}" in page.locator("p[role=status]").inner_text()

    # Started now, the worker is ready well before the minute is up.
    celery.start()
    (email,) = wait_until(lambda: handler.received_by(alice.email), timeout=120, what="the email", processes=celery)
    unsubscribe_url = re.search(r"Stop these reminders: (\S+)", email.get_body(("plain",)).get_content())[1]
    assert unsubscribe_url.startswith(tab.url("/unsubscribe/"))
    assert email["List-Unsubscribe"].strip() == f"<{unsubscribe_url}>"

    tab.goto(unsubscribe_url.removeprefix(tab.base_url), "unsubscribe")
    page.get_by_role("button", name="Stop reminder emails").click()
    tab.arrived(unsubscribe_url.removeprefix(tab.base_url), "unsubscribed")
    assert page.get_by_role("heading", name="Reminders stopped").is_visible()

    page.get_by_role("main").get_by_role("link", name="Reminders").click()
    tab.arrived(reverse("tracker:reminders"), "reminders-off")
    assert "Reminders are off." in page.locator("p[role=status]").inner_text()
    assert not page.get_by_label("Send me reminders").is_checked()

    assert not ReminderSchedule.objects.get(user=alice).enabled
    assert Delivery.objects.get(user=alice).status == DeliveryStatus.SENT
    tab.assert_clean()
