"""The weekly report's two settings, through /api/v1/reminders/ and the reminders page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tracker.models import ReminderSchedule

API = reverse("api-reminders")
PAGE = reverse("tracker:reminders")
NOW = datetime.datetime(2026, 6, 12, 8, 0, tzinfo=datetime.UTC)  # Friday, 10:00 in Paris
MONDAY_0730 = datetime.datetime(2026, 6, 15, 5, 30, tzinfo=datetime.UTC)
FORM = {"time": "07:30", "timezone": "Europe/Paris", "skip_if_done": "on", "channels": ["email"]}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_api_turns_the_weekly_report_on_with_reminders_off(alice_api, alice):
    response = alice_api.patch(API, {"weekly_report": True, "weekly_report_day": 0}, format="json")
    assert response.status_code == 200
    assert (response.data["weekly_report"], response.data["weekly_report_day"]) == (True, 0)
    assert response.data["next_due_at"] == "2026-06-15T06:00:00Z"  # Monday 08:00 in Paris, the default time


@pytest.mark.parametrize("day", [-1, 7, "sunday", None])
def test_a_report_day_outside_0_to_6_is_a_400_and_nothing_is_stored(alice_api, alice, day):
    response = alice_api.patch(API, {"weekly_report": True, "weekly_report_day": day}, format="json")
    assert response.status_code == 400
    assert "weekly_report_day" in response.data
    assert not ReminderSchedule.objects.get(user=alice).weekly_report


def test_a_put_without_the_weekly_fields_keeps_them(alice_api, alice):
    alice_api.patch(API, {"weekly_report": True, "weekly_report_day": 2}, format="json")
    full = {"enabled": True, "time": "07:30", "timezone": "Europe/Paris", "weekdays": [], "skip_if_done": True}
    response = alice_api.put(API, full, format="json")
    assert (response.data["weekly_report"], response.data["weekly_report_day"]) == (True, 2)


def test_the_page_labels_the_weekly_fields(alice_client):
    content = alice_client.get(PAGE).content.decode()
    assert 'for="id_weekly_report"' in content and 'for="id_weekly_report_day"' in content


def test_the_page_turns_the_weekly_report_on_and_shows_when_it_comes(alice_client, alice):
    response = alice_client.post(PAGE, {**FORM, "weekly_report": "on", "weekly_report_day": "0"})
    assert response.status_code == 302
    schedule = ReminderSchedule.objects.get(user=alice)
    assert (schedule.weekly_report, schedule.weekly_report_day, schedule.next_due_at) == (True, 0, MONDAY_0730)
    assert "Next weekly report: <strong>Monday 15 June, 07:30" in alice_client.get(PAGE).content.decode()


def test_the_page_refuses_a_day_outside_the_week(alice_client, alice):
    response = alice_client.post(PAGE, {**FORM, "weekly_report": "on", "weekly_report_day": "9"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ReminderSchedule.objects.get(user=alice).weekly_report


def test_api_users_see_only_their_own_weekly_report(alice_api, bob_api):
    alice_api.patch(API, {"weekly_report": True}, format="json")
    assert bob_api.get(API).data["weekly_report"] is False
