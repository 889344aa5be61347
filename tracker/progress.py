"""Progress: the one definition of every figure (PRODUCT.md §1 Progress).

The web pages, the REST API and the reminder emails all call these functions.

Every date here is a local calendar date: a session or pain entry carries the date
the user lived it, in their own time zone, and "today" is ``user.local_today()``.
The only instant ever converted is "now", once, to find today. So a daylight-saving
change shifts nothing: the 23- or 25-hour day is still one date, one row of the
daily series, one step of a streak and one update of the habit strength.

Queries are fixed in number whatever the length of the history: aggregates are
grouped in the database, and the streaks and the habit strength walk the distinct
session dates once, in Python (about 3,650 dates for ten years of daily sessions).
"""

import datetime
import math
from collections.abc import Collection, Iterable

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Avg, Count, F, IntegerField, Q, Sum

from routines.models import Chain, Muscle

from .models import MAX_DATE, MIN_DATE, PainEntry, Session

DEFAULT_DAYS = 30
MAX_YEARS = 5
EVERY_DAY = frozenset(range(7))
FREE_SESSIONS_NAME = "Free exercises"
WARNING_SCORE = 8
ONE_DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)


class RangeError(ValueError):
    """A range the user asked for that cannot be answered; ``field`` names the date at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


# --- The range -------------------------------------------------------------------


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return datetime.date(day.year + years, 3, 1)


def resolve_range(user, start=None, end=None) -> tuple[datetime.date, datetime.date]:
    """The [start, end] to report on: by default the 30 days ending today in the user's time zone.

    Refused: a date outside 1900–2999, end before start, a range longer than 5 calendar years.
    """
    for field, day in (("start", start), ("end", end)):
        if day is not None and not MIN_DATE <= day <= MAX_DATE:
            raise RangeError(field, "Dates must be between 1900-01-01 and 2999-12-31.")
    if end is None:
        end = user.local_today()
        if start is not None and start > end:
            raise RangeError("start", "The start date cannot be after today when no end date is given.")
    if start is None:
        start = max(MIN_DATE, end - datetime.timedelta(days=DEFAULT_DAYS - 1))
    if end < start:
        raise RangeError("end", "The end date must be on or after the start date.")
    if end >= _years_later(start, MAX_YEARS):
        raise RangeError("end", f"A range can be at most {MAX_YEARS} years long.")
    return start, end


def planned_weekdays(user) -> frozenset[int]:
    """The user's reminder weekdays (0 = Monday), or every day when none are set or reminders are off."""
    try:
        schedule = user.reminder_schedule
    except ObjectDoesNotExist:
        return EVERY_DAY
    if not schedule.enabled or not schedule.weekdays:
        return EVERY_DAY
    return frozenset(schedule.weekday_list)


# --- Pure figures over a set of session dates ----------------------------------------
# Each takes the dates with at least one session, in any order and with repeats, and
# ignores the ones after ``end``: the property tests call them without a database.


def current_streak(dates: Iterable[datetime.date], end: datetime.date) -> int:
    """Consecutive active days ending at ``end``, or at the day before while ``end`` has none yet."""
    active = {day for day in dates if day <= end}
    day = end if end in active else end - ONE_DAY
    streak = 0
    while day in active:
        streak += 1
        day -= ONE_DAY
    return streak


def longest_streak(dates: Iterable[datetime.date], end: datetime.date) -> int:
    longest = run = 0
    previous = None
    for day in sorted({day for day in dates if day <= end}):
        run = run + 1 if previous is not None and day - previous == ONE_DAY else 1
        longest = max(longest, run)
        previous = day
    return longest


def habit_multiplier(weekdays: Collection[int]) -> float:
    """Loop Habit Tracker's daily decay for a habit planned on ``len(weekdays)`` days a week."""
    frequency = len(weekdays) / 7
    return 0.5 ** (math.sqrt(frequency) / 13)


def habit_strength(dates: Iterable[datetime.date], end: datetime.date, weekdays: Collection[int] = EVERY_DAY) -> float:
    """Loop's score after one update per day from the first session through ``end``; 0 before it.

    Each day does ``score = score * m + done * (1 - m)``. A run of k days without a
    session multiplies the score by m**k, so the walk visits only the active dates.
    """
    m = habit_multiplier(weekdays)
    score = 0.0
    previous = None
    for day in sorted({day for day in dates if day <= end}):
        if previous is not None:
            score *= m ** ((day - previous).days - 1)
        score = score * m + (1 - m)
        previous = day
    if previous is not None:
        score *= m ** (end - previous).days
    return min(1.0, max(0.0, score))


def planned_days(start: datetime.date, end: datetime.date, weekdays: Collection[int]) -> int:
    """How many dates in [start, end] fall on one of ``weekdays``."""
    total = (end - start).days + 1
    weeks, rest = divmod(total, 7)
    first = start.weekday()
    return weeks * len(weekdays) + sum(1 for offset in range(rest) if (first + offset) % 7 in weekdays)


def adherence(
    dates: Iterable[datetime.date], start: datetime.date, end: datetime.date, weekdays: Collection[int] = EVERY_DAY
) -> float | None:
    """Active planned days ÷ planned days in [start, end]; None when the range holds no planned day."""
    planned = planned_days(start, end, weekdays)
    if not planned:
        return None
    done = sum(1 for day in set(dates) if start <= day <= end and day.weekday() in weekdays)
    return done / planned


# --- Database aggregates --------------------------------------------------------------

BOTH_SCORES = Q(pain_before__isnull=False, pain_after__isnull=False)


def _session_dates(user, end) -> list[datetime.date]:
    return list(
        Session.objects.for_user(user).between(end=end).order_by("date").values_list("date", flat=True).distinct()
    )


def _routine_rows(user, start, end) -> list[dict]:
    """One row per routine used in the range (None for free exercises): counts and pain sums."""
    return list(
        Session.objects.for_user(user)
        .between(start, end)
        .values("routine_id", "routine__slug", "routine__name", "routine__chain")
        .annotate(
            sessions=Count("id"),
            minutes=Sum("duration_minutes"),
            scored=Count("id", filter=BOTH_SCORES),
            before_total=Sum("pain_before", filter=BOTH_SCORES),
            after_total=Sum("pain_after", filter=BOTH_SCORES),
            drop_total=Sum(F("pain_before") - F("pain_after"), filter=BOTH_SCORES, output_field=IntegerField()),
        )
        .order_by()
    )


def _muscles_by_routine(user, start, end) -> dict[int, list[tuple[str, str]]]:
    """Routine id → the muscles its steps work, in catalog order, for the routines used in the range."""
    used = Session.objects.for_user(user).between(start, end).filter(routine__isnull=False).values("routine_id")
    pairs = (
        Muscle.objects.filter(exercises__routine_steps__routine__in=used)
        .values_list("exercises__routine_steps__routine_id", "slug", "name", "order")
        .distinct()
        .order_by("order", "name", "slug", "exercises__routine_steps__routine_id")
    )
    muscles: dict[int, list[tuple[str, str]]] = {}
    for routine_id, slug, name, _order in pairs:
        muscles.setdefault(routine_id, []).append((slug, name))
    return muscles


def _pain_averages(user, start, end) -> dict:
    first_week = Q(date__lte=min(end, start + WEEK - ONE_DAY))
    last_week = Q(date__gte=max(start, end - WEEK + ONE_DAY))
    return PainEntry.objects.for_user(user).between(start, end).aggregate(
        average=Avg("score"),
        first_week_average=Avg("score", filter=first_week),
        last_week_average=Avg("score", filter=last_week),
    )


def _rounded(value, places=2):
    return None if value is None else round(value, places)


def _mean(total, count, places=2):
    return round(total / count, places) if count else None


def _breakdown(key: str, value, name: str, parts: list[dict]) -> dict:
    """Sessions, minutes and the average pain before, after and drop over the routine rows in ``parts``."""
    scored = sum(part["scored"] for part in parts)
    return {
        key: value,
        "name": name,
        "sessions": sum(part["sessions"] for part in parts),
        "minutes": sum(part["minutes"] or 0 for part in parts),
        "average_drop": _mean(sum(part["drop_total"] or 0 for part in parts), scored),
        "average_before": _mean(sum(part["before_total"] or 0 for part in parts), scored),
        "average_after": _mean(sum(part["after_total"] or 0 for part in parts), scored),
    }


def _breakdowns(rows: list[dict], muscles: dict[int, list[tuple[str, str]]]) -> tuple[list, list, list]:
    """by_routine, by_muscle and by_chain. A session counts once for every muscle its routine works;
    free exercises (no routine) appear under routine null and in no muscle or chain."""
    by_routine = sorted(
        (
            _breakdown("routine", row["routine__slug"], row["routine__name"] or FREE_SESSIONS_NAME, [row])
            for row in rows
        ),
        key=lambda item: (-item["sessions"], item["routine"] is None, item["name"]),
    )

    per_muscle: dict[str, tuple[str, list[dict]]] = {}
    for row in rows:
        for slug, name in muscles.get(row["routine_id"], []):
            per_muscle.setdefault(slug, (name, []))[1].append(row)
    by_muscle = [_breakdown("muscle", slug, name, parts) for slug, (name, parts) in per_muscle.items()]

    by_chain = [
        _breakdown("chain", chain.value, chain.label, [row for row in rows if row["routine__chain"] == chain.value])
        for chain in (Chain.POSTERIOR, Chain.ANTERIOR, Chain.BOTH)
    ]
    return by_routine, by_muscle, by_chain


def summary(user, *, start=None, end=None) -> dict:
    """Every figure of PRODUCT.md §1 Progress for [start, end]; five queries whatever the history."""
    start, end = resolve_range(user, start, end)
    weekdays = planned_weekdays(user)
    dates = _session_dates(user, end)
    rows = _routine_rows(user, start, end)
    by_routine, by_muscle, by_chain = _breakdowns(rows, _muscles_by_routine(user, start, end))
    pain = _pain_averages(user, start, end)
    first, last = _rounded(pain["first_week_average"]), _rounded(pain["last_week_average"])
    scored = sum(row["scored"] for row in rows)
    rate = adherence(dates, start, end, weekdays)
    return {
        "start": start,
        "end": end,
        "sessions": sum(row["sessions"] for row in rows),
        "minutes": sum(row["minutes"] or 0 for row in rows),
        "active_days": sum(1 for day in dates if day >= start),
        "current_streak": current_streak(dates, end),
        "longest_streak": longest_streak(dates, end),
        "adherence": _rounded(rate, 4),
        "habit_strength": round(habit_strength(dates, end, weekdays), 4),
        "pain": {
            "average": _rounded(pain["average"]),
            "first_week_average": first,
            "last_week_average": last,
            # From the rounded averages, so that the three figures shown side by side agree.
            "change": None if first is None or last is None else round(last - first, 2),
        },
        "relief": {"average_drop": _mean(sum(row["drop_total"] or 0 for row in rows), scored)},
        "by_routine": by_routine,
        "by_muscle": by_muscle,
        "by_chain": by_chain,
    }


def daily(user, *, start=None, end=None) -> list[dict]:
    """One row per date in [start, end], empty days included; two queries."""
    start, end = resolve_range(user, start, end)
    sessions = {
        row["date"]: row
        for row in Session.objects.for_user(user)
        .between(start, end)
        .values("date")
        .annotate(sessions=Count("id"), minutes=Sum("duration_minutes"))
        .order_by()
    }
    pain = {
        row["date"]: row["average"]
        for row in PainEntry.objects.for_user(user)
        .between(start, end)
        .values("date")
        .annotate(average=Avg("score"))
        .order_by()
    }
    rows = []
    day = start
    while day <= end:
        logged = sessions.get(day)
        rows.append(
            {
                "date": day,
                "sessions": logged["sessions"] if logged else 0,
                "minutes": logged["minutes"] if logged else 0,
                "pain_average": _rounded(pain.get(day)),
            }
        )
        day += ONE_DAY
    return rows


def pain_warning(user) -> bool:
    """True when the clinician warning signs should show (PRODUCT.md §1 Logs): the latest pain
    score is 8 or more, or the weekly average has risen two weeks running (the last three 7-day
    windows ending today, each strictly above the one before)."""
    entries = PainEntry.objects.for_user(user)
    latest = entries.order_by("-date", "-score").values_list("score", flat=True).first()
    if latest is not None and latest >= WARNING_SCORE:
        return True
    today = user.local_today()
    windows = [(today - WEEK * (n + 1) + ONE_DAY, today - WEEK * n) for n in (2, 1, 0)]
    averages = entries.between(windows[0][0], today).aggregate(
        **{f"week{i}": Avg("score", filter=Q(date__range=window)) for i, window in enumerate(windows)}
    )
    weekly = [averages[f"week{i}"] for i in range(3)]
    return None not in weekly and weekly[0] < weekly[1] < weekly[2]
