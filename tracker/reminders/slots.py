"""When a reminder slot falls: pure arithmetic on a local time of day, weekdays and a zoneinfo zone.

A schedule holds a local time of day and weekdays (a bit mask, bit 0 = Monday; 0 = every
day); a slot is the UTC instant of that wall-clock time on such a day, so 07:30 stays 07:30
local across daylight-saving changes. A local time that does not exist (02:30 on a
spring-forward night) moves to the first instant after the gap; one that happens twice
(01:30 on a fall-back night) is taken the first time.
"""

import datetime
import logging
import zoneinfo

logger = logging.getLogger(__name__)

UTC = datetime.UTC
ONE_DAY = datetime.timedelta(days=1)
ONE_SECOND = datetime.timedelta(seconds=1)
# Slots missed while nothing dispatched (the machine was off) are recorded as skipped and
# the latest one is sent. A year's worth are recorded one by one; older ones are counted
# in the oldest recorded row, so the work per due schedule stays bounded.
MAX_MISSED_RECORDED = 366
MISSED_REASON = "Missed: reminders were not being dispatched at that time."
WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # A zone removed from the system's database must not stop everyone's reminders.
        logger.warning("unknown time zone %r, using UTC", name)
        return zoneinfo.ZoneInfo("UTC")


def local_day(instant: datetime.datetime, zone_name: str) -> datetime.date:
    """The date on the wall calendar of ``zone_name`` at ``instant``: "today" for a slot."""
    return instant.astimezone(zone_named(zone_name)).date()


def _wall(instant: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def local_instant(day: datetime.date, at: datetime.time, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The UTC instant of wall-clock time ``at`` on ``day`` in ``zone``."""
    wall = datetime.datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if _wall(first, zone) == wall:
        return first
    # ``wall`` falls in a spring-forward gap: the two folds bracket the transition, and
    # the first instant whose wall time is past ``wall`` is the transition itself.
    before, after = sorted([first, wall.replace(tzinfo=zone, fold=1).astimezone(UTC)])
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(datetime.datetime.fromtimestamp(middle, UTC), zone) > wall:
            high = middle
        else:
            low = middle
    return datetime.datetime.fromtimestamp(high, UTC)


def _slot_days(weekdays: int, first: datetime.date, step: datetime.timedelta):
    day = first
    # Nine days cover a whole week on either side of a date, whatever the weekdays.
    for _ in range(9):
        if not weekdays or weekdays & (1 << day.weekday()):
            yield day
        day += step


def next_slot(*, after: datetime.datetime, at: datetime.time, weekdays: int, zone) -> datetime.datetime:
    """The first slot strictly after ``after`` (UTC)."""
    start = after.astimezone(zone).date() - ONE_DAY
    for day in _slot_days(weekdays, start, ONE_DAY):
        slot = local_instant(day, at, zone)
        if slot > after:
            return slot
    raise AssertionError("a week always holds a slot")


def last_slot(*, at_or_before: datetime.datetime, at: datetime.time, weekdays: int, zone) -> datetime.datetime:
    """The latest slot at or before ``at_or_before`` (UTC)."""
    start = at_or_before.astimezone(zone).date() + ONE_DAY
    for day in _slot_days(weekdays, start, -ONE_DAY):
        slot = local_instant(day, at, zone)
        if slot <= at_or_before:
            return slot
    raise AssertionError("a week always holds a slot")


def _slots_between(first: datetime.date, last: datetime.date, weekdays: int) -> int:
    """How many local days from ``first`` to ``last`` (both included) hold a slot."""
    if last < first:
        return 0
    days = (last - first).days + 1
    if not weekdays:
        return days
    weeks, rest = divmod(days, 7)
    count = weeks * weekdays.bit_count()
    for offset in range(rest):
        count += bool(weekdays & (1 << (first + datetime.timedelta(days=offset)).weekday()))
    return count


def slots_to_record(*, due: datetime.datetime, at: datetime.time, weekdays: int, zone, now: datetime.datetime):
    """(slot to send, missed slots as (slot, skip reason), next due) for a schedule due at ``due``.

    Several slots went by with nobody dispatching: only the latest is sent, no backlog; the
    schedule's own due slot and every slot since are recorded as missed.
    """
    rule = {"at": at, "weekdays": weekdays, "zone": zone}
    following = next_slot(after=due, **rule)
    if following > now:
        return due, [], following
    latest = last_slot(at_or_before=now, **rule)
    missed, earlier = [], latest
    while len(missed) < MAX_MISSED_RECORDED:
        earlier = last_slot(at_or_before=earlier - ONE_SECOND, **rule)
        if earlier <= due:
            break
        missed.append(earlier)
    reasons = [MISSED_REASON] * len(missed)
    if len(missed) < MAX_MISSED_RECORDED:
        missed.append(due)
        reasons.append(MISSED_REASON)
    else:
        oldest_day = missed[-1].astimezone(zone).date()
        first_day = due.astimezone(zone).date()
        # The due slot itself, then the slots on the days between it and the oldest recorded.
        older = 1 + _slots_between(first_day + ONE_DAY, oldest_day - ONE_DAY, weekdays)
        if first_day < oldest_day and local_instant(first_day, at, zone) > due:
            older += _slots_between(first_day, first_day, weekdays)
        reasons[-1] = f"{MISSED_REASON} {older} earlier missed reminders, from {first_day:%Y-%m-%d}, are not listed."
    return latest, list(zip(missed, reasons, strict=True)), next_slot(after=latest, **rule)
