"""The calendar feed: a secret .ics URL of the next 28 days of the plan at the reminder time, with alarms."""

import datetime
import re

import icalendar
import pytest
import time_machine
from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from routines.models import Program, ProgramDay
from tracker.models import CalendarFeed
from tracker.plans import todays_routine

from .logs_helpers import make_routine
from .reminders_helpers import remind

URL = "/api/v1/calendar/"
UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # Friday; Paris moves to summer time on 29 March
TODAY = datetime.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def program(db):
    """One week: a routine on days 1–6, rest on day 7."""
    program = Program.objects.create(slug="test-week", name="Test week", summary="s", goal="relief", weeks=1)
    for day in range(1, 8):
        routine = make_routine(f"test-day-{day}") if day < 7 else None
        ProgramDay.objects.create(program=program, week=1, day=day, routine=routine)
    return program


@pytest.fixture
def planned_alice(alice, program):
    alice.program, alice.program_started_on = program, TODAY
    alice.save(update_fields=["program", "program_started_on"])
    remind(alice, now=NOW, at=datetime.time(7, 30))
    return alice


def feed_path(api) -> str:
    return api.get(URL).data["url"].removeprefix("http://127.0.0.1:8000")


def events(client, path) -> list:
    return list(icalendar.Calendar.from_ical(client.get(path).content).walk("VEVENT"))


def test_the_first_read_makes_a_secret_url_and_the_next_reads_return_it(alice_api, alice):
    url = alice_api.get(URL).data["url"]
    assert url == alice_api.get(URL).data["url"]
    assert url == f"http://127.0.0.1:8000/calendar/{CalendarFeed.objects.get(user=alice).key}.ics"
    assert len(CalendarFeed.objects.get(user=alice).key) >= 40


def test_it_needs_credentials(api, db):
    assert api.get(URL).status_code == 401
    assert api.post(f"{URL}reset/").status_code == 401


def test_the_feed_opens_without_logging_in_as_a_private_calendar(client, alice_api):
    response = client.get(feed_path(alice_api))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"


def test_a_reset_makes_a_new_url_and_the_old_one_answers_404(client, alice_api):
    old = feed_path(alice_api)
    new = alice_api.post(f"{URL}reset/").data["url"].removeprefix("http://127.0.0.1:8000")
    assert new != old
    assert (client.get(old).status_code, client.get(new).status_code) == (404, 200)


def test_an_unknown_key_answers_404(client, db):
    assert client.get("/calendar/not-a-key.ics").status_code == 404


def test_each_person_has_their_own_feed(alice_api, bob_api):
    assert alice_api.get(URL).data["url"] != bob_api.get(URL).data["url"]


def test_the_feed_holds_the_plans_next_28_days_with_rest_days_left_out(client, alice_api, planned_alice):
    found = {event["DTSTART"].dt.date(): str(event["SUMMARY"]) for event in events(client, feed_path(alice_api))}
    days = [TODAY + datetime.timedelta(days=offset) for offset in range(28)]
    expected = {day: f"Backcare: {routine.name}" for day in days if (routine := todays_routine(planned_alice, day)[0])}
    assert found == expected
    assert len(found) == 24  # four rest days in four weeks


def test_each_event_is_at_the_reminder_time_in_the_persons_zone_across_the_dst_change(client, alice_api, planned_alice):
    starts = [event["DTSTART"] for event in events(client, feed_path(alice_api))]
    assert {start.params["TZID"] for start in starts} == {"Europe/Paris"}
    assert {start.dt.time() for start in starts} == {datetime.time(7, 30)}
    utc_hours = {start.dt.astimezone(UTC).hour for start in starts}
    assert utc_hours == {6, 5}  # 07:30 CET, then 07:30 CEST


def test_the_calendar_carries_its_time_zones_definition(client, alice_api, planned_alice):
    calendar = icalendar.Calendar.from_ical(client.get(feed_path(alice_api)).content)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_each_event_has_an_alarm_at_its_start_and_a_link_to_the_player(client, alice_api, planned_alice):
    event = events(client, feed_path(alice_api))[0]
    (alarm,) = event.walk("VALARM")
    assert (str(alarm["ACTION"]), alarm["TRIGGER"].dt) == ("DISPLAY", datetime.timedelta(0))
    assert str(event["URL"]) == "http://127.0.0.1:8000/play/test-day-1/"
    assert "http://127.0.0.1:8000/play/test-day-1/" in str(event["DESCRIPTION"])


def test_uids_stay_the_same_from_one_fetch_to_the_next_and_differ_by_day(client, alice_api, planned_alice):
    path = feed_path(alice_api)
    first = [str(event["UID"]) for event in events(client, path)]
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        second = [str(event["UID"]) for event in events(client, path)]
    assert first[1:] == second[: len(first) - 1]
    assert len(set(first)) == len(first)
    # The day and a keyed hash of the account: no id or name a reader of the calendar could use.
    assert re.fullmatch(r"20260320-[0-9a-f]{20}@127\.0\.0\.1", first[0])


def test_only_the_reminder_weekdays_are_in_the_feed(client, alice_api, planned_alice):
    remind(planned_alice, now=NOW, at=datetime.time(18, 0), weekdays=[0, 2])  # Mondays and Wednesdays
    starts = [event["DTSTART"].dt for event in events(client, feed_path(alice_api))]
    assert {start.weekday() for start in starts} == {0, 2}
    assert {start.time() for start in starts} == {datetime.time(18, 0)}


def test_an_inactive_account_has_no_feed(client, alice_api, alice):
    path = feed_path(alice_api)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get(path).status_code == 404


def test_the_feed_is_throttled_like_other_anonymous_endpoints(client, alice_api, settings, monkeypatch):
    path = feed_path(alice_api)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": None}}
    # DRF copies the rates onto the throttle class when it is imported (as in tests/test_hardening.py).
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)
    cache.clear()
    statuses = [client.get(path).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_profile_shows_the_url_and_its_reset_button_makes_a_new_one(alice_client, alice):
    page = alice_client.get("/accounts/profile/").content.decode()
    old = CalendarFeed.objects.get(user=alice).key
    assert f"/calendar/{old}.ics" in page
    response = alice_client.post("/calendar/reset/")
    assert response["Location"] == "/accounts/profile/#calendar"
    assert CalendarFeed.objects.get(user=alice).key != old
