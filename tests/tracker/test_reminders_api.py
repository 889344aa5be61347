"""/api/v1/reminders/: each user's own schedule, validated field by field, next_due_at in UTC."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tracker.models import ReminderSchedule

URL = reverse("api-reminders")
# Friday 12 June 2026, 10:00 in Paris.
NOW = datetime.datetime(2026, 6, 12, 8, 0, tzinfo=datetime.UTC)
FULL = {
    "enabled": True,
    "time": "07:30",
    "timezone": "Europe/Paris",
    "weekdays": [0, 2, 4],
    "skip_if_done": True,
    "channels": ["email"],
}
NO_WEEKLY_REPORT = {"weekly_report": False, "weekly_report_day": 6}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_needs_credentials(api, db):
    assert api.get(URL).status_code == 401


def test_the_first_read_creates_a_schedule_that_is_off(alice_api, alice):
    response = alice_api.get(URL)
    assert response.status_code == 200
    assert response.data == {
        "enabled": False,
        "time": "08:00",
        "timezone": "Europe/Paris",
        "weekdays": [],
        "skip_if_done": True,
        "weekly_report": False,
        "weekly_report_day": 6,
        "channels": ["email"],
        "next_due_at": None,
    }
    assert ReminderSchedule.objects.filter(user=alice).exists()


def test_put_sets_everything_and_answers_the_next_reminder_in_utc(alice_api):
    response = alice_api.put(URL, FULL)
    assert response.status_code == 200
    assert response.data == {**FULL, **NO_WEEKLY_REPORT, "next_due_at": "2026-06-15T05:30:00Z"}  # Monday 07:30 CEST


def test_patch_changes_only_what_it_names(alice_api):
    alice_api.put(URL, FULL)
    response = alice_api.patch(URL, {"time": "18:15"})
    assert response.data == {**FULL, **NO_WEEKLY_REPORT, "time": "18:15", "next_due_at": "2026-06-12T16:15:00Z"}


def test_the_time_zone_is_the_users_one_time_zone(alice_api, alice):
    alice_api.patch(URL, {"timezone": "America/New_York"})
    alice.refresh_from_db()
    assert alice.timezone == "America/New_York"


def test_a_new_time_zone_moves_the_next_reminder(alice_api):
    alice_api.put(URL, {**FULL, "weekdays": []})
    response = alice_api.patch(URL, {"timezone": "America/New_York"})
    assert response.data["next_due_at"] == "2026-06-12T11:30:00Z"  # 07:30 EDT


def test_turning_reminders_off_clears_the_next_reminder(alice_api):
    alice_api.put(URL, FULL)
    assert alice_api.patch(URL, {"enabled": False}).data["next_due_at"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weekdays": [1, 1]}, "weekdays"),
        ({"weekdays": [7]}, "weekdays"),
        ({"weekdays": [-1]}, "weekdays"),
        ({"weekdays": "monday"}, "weekdays"),
        ({"time": "25:00"}, "time"),
        ({"time": "7.30"}, "time"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"enabled": "perhaps"}, "enabled"),
        ({"channels": []}, "channels"),
        ({"channels": ["sms"]}, "channels"),
        ({"channels": ["email", "email"]}, "channels"),
        ({"channels": "email"}, "channels"),
    ],
)
def test_bad_input_answers_400_for_that_field_and_stores_nothing(alice_api, alice, change, field):
    alice_api.put(URL, FULL)
    before = ReminderSchedule.objects.values().get(user=alice)
    response = alice_api.patch(URL, change)
    assert response.status_code == 400
    assert list(response.data) == [field]
    assert ReminderSchedule.objects.values().get(user=alice) == before


def test_put_without_every_field_is_refused(alice_api):
    response = alice_api.put(URL, {"enabled": True})
    assert response.status_code == 400
    assert set(response.data) == {"time", "timezone", "weekdays", "skip_if_done"}


def test_next_due_at_cannot_be_written(alice_api):
    alice_api.put(URL, FULL)
    response = alice_api.patch(URL, {"next_due_at": "2030-01-01T00:00:00Z"})
    assert response.data["next_due_at"] == "2026-06-15T05:30:00Z"


def test_weekdays_come_back_sorted(alice_api):
    assert alice_api.patch(URL, {"weekdays": [6, 0, 3]}).data["weekdays"] == [0, 3, 6]


def test_each_user_sees_only_their_own_schedule(alice_api, bob_api):
    alice_api.put(URL, FULL)
    assert bob_api.get(URL).data["enabled"] is False


def test_reading_takes_few_queries(alice_api, django_assert_max_num_queries):
    alice_api.put(URL, FULL)
    with django_assert_max_num_queries(2):
        alice_api.get(URL)


def test_changing_the_time_zone_on_the_profile_moves_the_next_reminder(alice_api, alice):
    with time_machine.travel(datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC), tick=False):
        alice_api.patch("/api/v1/reminders/", {"enabled": True, "time": "07:30"}, format="json")
        alice_api.patch("/api/v1/profile/", {"timezone": "Asia/Tokyo"}, format="json")
        next_due = alice_api.get("/api/v1/reminders/").json()["next_due_at"]

    # 07:30 in Tokyo (UTC+9) on 11 June is 22:30 UTC on 10 June.
    assert next_due.startswith("2026-06-10T22:30")


def test_channels_can_be_push_alone_and_come_back_in_a_stable_order(alice_api, alice):
    assert alice_api.patch(URL, {"channels": ["push"]}).data["channels"] == ["push"]
    assert alice_api.patch(URL, {"channels": ["push", "email"]}).data["channels"] == ["email", "push"]
    assert ReminderSchedule.objects.get(user=alice).channels == ["email", "push"]


def test_push_cannot_be_chosen_when_the_server_has_no_vapid_key(alice_api, settings):
    settings.VAPID_PRIVATE_KEY, settings.VAPID_KEY_FILE = "", None
    response = alice_api.patch(URL, {"channels": ["email", "push"]})
    assert response.status_code == 400
    assert "no VAPID key" in response.data["channels"][0]
