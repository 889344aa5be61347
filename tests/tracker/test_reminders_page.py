"""The reminder settings page: the same schedule as the API, through a form."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tracker.models import ReminderSchedule

URL = reverse("tracker:reminders")
NOW = datetime.datetime(2026, 6, 12, 8, 0, tzinfo=datetime.UTC)  # Friday, 10:00 in Paris
FORM = {
    "enabled": "on",
    "time": "07:30",
    "timezone": "Europe/Paris",
    "weekdays": ["0", "2"],
    "skip_if_done": "on",
    "channels": ["email"],
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_every_field_has_a_label(alice_client):
    content = alice_client.get(URL).content.decode()
    fields = ("id_enabled", "id_time", "id_timezone", "id_weekdays_0", "id_weekdays_6", "id_skip_if_done")
    for field_id in (*fields, "id_channels_0", "id_channels_1"):
        assert f'for="{field_id}"' in content


def test_saving_the_form_turns_reminders_on_for_the_chosen_days(alice_client, alice):
    response = alice_client.post(URL, FORM)
    assert response.status_code == 302
    schedule = ReminderSchedule.objects.get(user=alice)
    assert (schedule.enabled, schedule.weekday_list, schedule.time) == (True, [0, 2], datetime.time(7, 30))
    assert schedule.next_due_at == datetime.datetime(2026, 6, 15, 5, 30, tzinfo=datetime.UTC)


def test_the_page_shows_the_next_reminder_in_local_time(alice_client):
    alice_client.post(URL, FORM)
    assert "Monday 15 June, 07:30" in alice_client.get(URL).content.decode()


def test_unticking_enabled_turns_reminders_off(alice_client, alice):
    alice_client.post(URL, FORM)
    alice_client.post(URL, {**FORM, "enabled": ""})
    assert ReminderSchedule.objects.get(user=alice).next_due_at is None


def test_a_bad_time_is_refused_with_a_message_and_nothing_stored(alice_client, alice):
    response = alice_client.post(URL, {**FORM, "time": "half past seven"})
    assert response.status_code == 200
    assert "Enter a valid time." in response.content.decode()
    assert not ReminderSchedule.objects.get(user=alice).enabled


def test_changing_the_time_zone_here_changes_the_profiles(alice_client, alice):
    alice_client.post(URL, {**FORM, "timezone": "Asia/Tokyo"})
    alice.refresh_from_db()
    assert alice.timezone == "Asia/Tokyo"


def test_saving_push_alone_sends_reminders_by_push_only(alice_client, alice):
    alice_client.post(URL, {**FORM, "channels": ["push"]})
    assert ReminderSchedule.objects.get(user=alice).channels == ["push"]


def test_saving_with_no_channel_is_refused_and_stores_nothing(alice_client, alice):
    response = alice_client.post(URL, {**FORM, "channels": []})
    assert "Choose email, push notification or both." in response.content.decode()
    assert not ReminderSchedule.objects.get(user=alice).enabled


def test_the_page_offers_this_browser_the_servers_push_key(alice_client):
    from tracker.reminders.push import application_server_key

    assert f'data-push-key="{application_server_key()}"' in alice_client.get(URL).content.decode()


def test_without_a_vapid_key_the_page_says_push_is_off(alice_client, settings):
    settings.VAPID_PRIVATE_KEY, settings.VAPID_KEY_FILE = "", None
    content = alice_client.get(URL).content.decode()
    assert "Push notifications are off on this server" in content
    assert "data-push-subscribe" not in content
