"""Journey: alice follows a program; her profile shows the secret calendar link; a calendar app (no login)
fetches it and finds the next 28 days of her plan at her reminder time, each with an alarm; she makes a new
link on the profile, and the old one answers 404."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from routines.models import Program
from tests.conftest import make_user
from tracker.plans import todays_routine

from ..tracker.reminders_helpers import remind
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice(catalog, django_user_model, settings, live_server):
    settings.SITE_URL = live_server.url  # the link shown is the live server's, as SITE_URL is in production
    alice = make_user(django_user_model, "alice", timezone="Europe/Paris")
    alice.program = Program.objects.get(slug="flexible-back")
    alice.program_started_on = alice.local_today()
    alice.save(update_fields=["program", "program_started_on"])
    remind(alice, now=datetime.datetime.now(datetime.UTC), at=datetime.time(7, 30))
    return alice


def fetch(tab, url):
    """What a calendar app gets: a plain GET without the person's cookies."""
    return tab.context.request.get(url, fail_on_status_code=False)


def test_the_calendar_link_holds_the_plan_with_alarms_and_a_reset_retires_it(alice, open_tab):
    tab = open_tab("alice")
    log_in(tab, "alice")
    tab.goto(reverse("profile"), "profile")
    link = tab.page.get_by_label("Your calendar link")
    old_url = link.input_value()
    assert old_url.startswith(tab.url("/calendar/")) and old_url.endswith(".ics")

    app = open_tab("calendar-app")
    answer = fetch(app, old_url)
    assert (answer.status, answer.headers["content-type"]) == (200, "text/calendar; charset=utf-8")
    events = list(icalendar.Calendar.from_ical(answer.body()).walk("VEVENT"))
    today = alice.local_today()
    days = [today + datetime.timedelta(days=offset) for offset in range(28)]
    expected = {day: routine.name for day in days if (routine := todays_routine(alice, day)[0])}
    assert 14 < len(expected) < 28  # Flexible Back: mostly routines, a rest day or two a week
    assert {event["DTSTART"].dt.date(): str(event["SUMMARY"]).removeprefix("Backcare: ") for event in events} == (
        expected
    )
    assert {(event["DTSTART"].dt.time(), event["DTSTART"].params["TZID"]) for event in events} == {
        (datetime.time(7, 30), "Europe/Paris")
    }
    assert all(len(event.walk("VALARM")) == 1 for event in events)

    tab.page.once("dialog", lambda dialog: dialog.accept())
    tab.page.get_by_role("button", name="Make a new link").click()
    tab.arrived(reverse("profile"), "profile-new-calendar-link")
    new_url = tab.page.get_by_label("Your calendar link").input_value()
    assert new_url != old_url
    assert (fetch(app, old_url).status, fetch(app, new_url).status) == (404, 200)

    tab.goto(reverse("tracker:reminders"), "reminders")
    assert tab.page.get_by_label("Your calendar link").input_value() == new_url
    tab.assert_clean()
    app.assert_clean()
