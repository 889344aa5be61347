"""The calendar feed: a secret ``.ics`` URL with the next 28 days of a person's plan, at their reminder time.

The key in the URL is the only secret (calendar apps fetch without logging in); resetting it
makes a new one, and the old URL then answers 404. Which routine falls on which day comes from
``plans.todays_routine``, the same rule as the dashboard and the reminders; each event sits at
the reminder time in the person's time zone, with an alarm at its start.
"""

import datetime
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone as django_timezone
from django.utils.crypto import salted_hmac
from icalendar import Alarm, Calendar, Event

from routines.models import RoutineStep

from .models import CalendarFeed, ReminderSchedule
from .plans import todays_routine
from .reminders.slots import local_instant, zone_named

DAYS = 28
# An event is as long as its routine, at least this.
MIN_MINUTES = 5
# The feed's default schedule for a person who never opened the reminder settings (the model's defaults).
DEFAULT_SCHEDULE = ReminderSchedule()


def _new_key() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_for(user) -> CalendarFeed:
    """The person's feed, its key made on first use."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user, key=_new_key())
    except IntegrityError:  # made by a request at the same moment
        return CalendarFeed.objects.get(user=user)


def calendar_feed_reset(*, user) -> CalendarFeed:
    """A new key: the old URL answers 404 from now on."""
    feed = calendar_feed_for(user)
    feed.key = _new_key()
    feed.save(update_fields=["key"])
    return feed


def calendar_feed_url(feed: CalendarFeed) -> str:
    """The absolute URL a calendar app subscribes to, from SITE_URL as in emails."""
    return f"{settings.SITE_URL}{reverse('tracker:calendar-feed', args=[feed.key])}"


def user_for_calendar_key(key: str):
    feed = CalendarFeed.objects.select_related("user__program").filter(key=key).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def _uid(user, day: datetime.date) -> str:
    # Stable across fetches and resets (a calendar app updates the event instead of adding one),
    # and without the account's id in it.
    person = salted_hmac("tracker.calendar_feed.uid", str(user.pk)).hexdigest()[:20]
    host = urlsplit(settings.SITE_URL).hostname or "backcare.localhost"
    return f"{day:%Y%m%d}-{person}@{host}"


def plan_days(user, *, first: datetime.date, days: int = DAYS):
    """[(date, routine)] of the plan from ``first`` on, the days with a routine on the reminder weekdays."""
    schedule = ReminderSchedule.objects.filter(user=user).first() or DEFAULT_SCHEDULE
    planned = []
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        if schedule.weekdays and not schedule.weekdays & (1 << day.weekday()):
            continue
        routine, _ = todays_routine(user, day)
        if routine is not None:
            planned.append((day, routine))
    distinct = list({routine.pk: routine for _, routine in planned}.values())
    prefetch_related_objects(distinct, Prefetch("steps", queryset=RoutineStep.objects.select_related("exercise")))
    minutes = {routine.pk: routine.estimated_minutes for routine in distinct}
    return schedule.time, [(day, routine, minutes[routine.pk]) for day, routine in planned]


def calendar_ics(user, *, now: datetime.datetime | None = None) -> bytes:
    """The feed's iCalendar text: the next 28 days of the plan, each with an alarm at its start."""
    now = now or django_timezone.now()
    zone = zone_named(user.timezone)
    at, days = plan_days(user, first=now.astimezone(zone).date())
    calendar = Calendar()
    calendar.add("prodid", "-//Backcare//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Backcare routines")
    calendar.add("x-wr-timezone", zone.key)
    # Calendar apps that honour it fetch again twice a day, so a change of plan shows the same day.
    calendar.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    for day, routine, minutes in days:
        start = local_instant(day, at, zone).astimezone(zone)
        player = f"{settings.SITE_URL}{reverse('tracker:player', args=[routine.slug])}"
        event = Event()
        event.add("uid", _uid(user, day))
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("duration", datetime.timedelta(minutes=max(minutes, MIN_MINUTES)))
        event.add("summary", f"Backcare: {routine.name}")
        event.add("description", f"{routine.name}, about {minutes} min. Open the player: {player}")
        event.add("url", player)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Time for {routine.name}")
        alarm.add("trigger", datetime.timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
