"""A legacy time zone (US/Pacific, Japan, Etc/GMT+5) survives the reminders page and moves reminders from the admin."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tracker.models import ReminderSchedule
from tracker.reminders.schedule import schedule_update

URL = reverse("tracker:reminders")
NOW = datetime.datetime(2026, 6, 12, 8, 0, tzinfo=datetime.UTC)  # Friday, 10:00 in Paris
FORM = {"enabled": "on", "time": "07:30", "weekdays": [], "skip_if_done": "on", "channels": ["email"]}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("zone", ["US/Pacific", "Japan", "Etc/GMT+5"])
def test_the_reminders_page_selects_a_legacy_time_zone(alice_client, alice, zone):
    alice.timezone = zone
    alice.save(update_fields=["timezone"])
    assert f'<option value="{zone}" selected>' in alice_client.get(URL).content.decode()


def test_saving_the_reminders_page_keeps_a_legacy_time_zone(alice_client, alice):
    alice.timezone = "US/Pacific"
    alice.save(update_fields=["timezone"])
    response = alice_client.post(URL, {**FORM, "timezone": "US/Pacific"})
    alice.refresh_from_db()
    assert response.status_code == 302
    assert alice.timezone == "US/Pacific"


def test_another_users_legacy_zone_is_not_offered(alice_client, bob):
    bob.timezone = "Japan"
    bob.save(update_fields=["timezone"])
    assert 'value="Japan"' not in alice_client.get(URL).content.decode()


# --- The admin ----------------------------------------------------------------------


def admin_user_form(alice, **changes):
    """The user change form as the admin page posts it."""
    joined = alice.date_joined.astimezone(datetime.UTC)
    return {
        "username": alice.username,
        "email": alice.email,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "timezone": alice.timezone,
        "program": "",
        "program_started_on": "",
        "_save": "Save",
        **changes,
    }


def test_a_new_time_zone_set_in_the_admin_moves_the_next_reminder(admin_client, alice):
    schedule_update(
        user=alice, enabled=True, time=datetime.time(7, 30), timezone="Europe/Paris", weekdays=[], skip_if_done=True
    )
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    response = admin_client.post(url, admin_user_form(alice, timezone="America/New_York"))
    assert response.status_code == 302
    # 07:30 in New York, later the same day, instead of Saturday 07:30 in Paris.
    assert ReminderSchedule.objects.get(user=alice).next_due_at == datetime.datetime(
        2026, 6, 12, 11, 30, tzinfo=datetime.UTC
    )


def test_saving_a_user_in_the_admin_without_a_new_zone_keeps_the_next_reminder(admin_client, alice):
    schedule = schedule_update(
        user=alice, enabled=True, time=datetime.time(7, 30), timezone="Europe/Paris", weekdays=[], skip_if_done=True
    )
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    response = admin_client.post(url, admin_user_form(alice, email="alice@elsewhere.example"))
    assert response.status_code == 302
    assert ReminderSchedule.objects.get(user=alice).next_due_at == schedule.next_due_at
