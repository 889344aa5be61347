"""One path for a time zone: the profile page and API move the next reminder, as the reminders page and the admin do."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tracker.models import ReminderSchedule
from tracker.reminders.schedule import schedule_update

NOW = datetime.datetime(2026, 6, 12, 8, 0, tzinfo=datetime.UTC)  # Friday, 10:00 in Paris, 04:00 in New York
# 07:30 in New York, later the same day, instead of Saturday 07:30 in Paris.
NEXT_IN_NEW_YORK = datetime.datetime(2026, 6, 12, 11, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def reminded(alice):
    schedule_update(
        user=alice, enabled=True, time=datetime.time(7, 30), timezone="Europe/Paris", weekdays=[], skip_if_done=True
    )
    assert ReminderSchedule.objects.get(user=alice).next_due_at == datetime.datetime(
        2026, 6, 13, 5, 30, tzinfo=datetime.UTC
    )
    return alice


def test_a_new_time_zone_on_the_profile_page_moves_the_next_reminder(client, reminded):
    client.force_login(reminded)
    form = {"email": reminded.email, "timezone": "America/New_York", "program": ""}
    assert client.post(reverse("profile"), form).status_code == 302
    assert ReminderSchedule.objects.get(user=reminded).next_due_at == NEXT_IN_NEW_YORK


def test_a_new_time_zone_through_the_profile_api_moves_the_next_reminder(alice_api, reminded):
    response = alice_api.patch(reverse("api-profile"), {"timezone": "America/New_York"}, format="json")
    assert response.status_code == 200, response.data
    assert ReminderSchedule.objects.get(user=reminded).next_due_at == NEXT_IN_NEW_YORK


def test_a_refused_profile_change_leaves_the_reminder_where_it_was(alice_api, reminded):
    before = ReminderSchedule.objects.get(user=reminded).next_due_at
    response = alice_api.patch(reverse("api-profile"), {"timezone": "America/New_York", "email": "nope"}, format="json")
    assert response.status_code == 400
    reminded.refresh_from_db()
    assert (reminded.timezone, ReminderSchedule.objects.get(user=reminded).next_due_at) == ("Europe/Paris", before)
