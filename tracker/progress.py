"""Progress: the one definition of every figure (PRODUCT.md §1 Progress).

The web pages, the REST API and the reminder emails all call these functions.

Every date here is a local calendar date: a session or pain entry carries the date
the user lived it, in their own time zone, and "today" is ``user.local_today()``.
The only instant ever converted is "now", once, to find today. So a daylight-saving
change shifts nothing: the 23- or 25-hour day is still one date, one row of the
daily series, one step of a streak and one update of the habit strength.

Queries are fixed in number whatever the length of the history: aggregates are
grouped in the database, and the streaks and the habit strength walk the distinct
session days once, in Python (about 3,650 of them for ten years of daily sessions).
"""

import bisect
import datetime
import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import Count, Sum

from routines.models import Chain, Exercise, Muscle, Routine, RoutineStep

from .models import MAX_DATE, MIN_DATE, DayMark, PainArea, PainEntry, PainSide, SelfCheck, Session
from .outcomes.rules import outcome_changes

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


# --- Pure figures over the days with a session --------------------------------------------
# No database here: the property tests call these directly. ``walk`` is the definition;
# the functions after it are views of it over any collection of dates (later ones ignored).


@dataclass(frozen=True)
class Walk:
    current_streak: int
    longest_streak: int
    habit_strength: float
    active_days: int  # in [start, end]
    active_planned_days: int  # in [first day, end], on a planned weekday, not marked
    marked_planned_days: int = 0  # marked days in [first day, end] on a planned weekday


def habit_multiplier(weekdays: Collection[int]) -> float:
    """Loop Habit Tracker's daily decay for a habit planned on ``len(weekdays)`` days a week."""
    frequency = len(weekdays) / 7
    return 0.5 ** (math.sqrt(frequency) / 13)


def _count_between(ordered: Sequence[int], low: int, high: int) -> int:
    """How many of the ascending ``ordered`` numbers fall in [low, high]."""
    return max(0, bisect.bisect_right(ordered, high) - bisect.bisect_left(ordered, low))


def walk(
    days: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    weekdays: Collection[int] = EVERY_DAY,
    *,
    marked: Sequence[int] = (),
    first_day: datetime.date | None = None,
) -> Walk:
    """One pass over the active days, given as distinct day numbers (``date.toordinal()``) in
    ascending order; the ones after ``end`` are ignored.

    Streaks: a run of consecutive days; the current one ends at ``end``, or at the day
    before while ``end`` has no session yet. Habit strength: Loop's score, updated once
    per day from the first session through ``end`` with ``score = score * m + done * (1 - m)``;
    a run of k days without a session multiplies it by m**k, so only active days are visited.

    ``marked`` (ascending day numbers of rest, flare and away days) are not planned days: a run
    continues across them without growing, the score carries over them unchanged, and adherence
    leaves them out. A marked day with a session is an active day like any other for the streak
    and the score. Adherence counts from ``first_day`` (the person's first day) when it is later
    than ``start``.
    """
    m = habit_multiplier(weekdays)
    first, last = start.toordinal(), end.toordinal()
    counted_from = max(first, first_day.toordinal()) if first_day is not None else first
    marked_set = set(marked)
    # Day number 1 (1 January of year 1) was a Monday: weekday w is the residue (w + 1) mod 7.
    planned = {(weekday + 1) % 7 for weekday in weekdays}
    longest = run = active = active_planned = 0
    score = 0.0
    previous = None
    for day in days:
        if day > last:
            break
        unmarked_gap = 0
        if previous is not None and day - previous > 1:
            unmarked_gap = day - previous - 1 - _count_between(marked, previous + 1, day - 1)
        if previous is not None and unmarked_gap == 0:
            run += 1
        else:
            if previous is not None:
                score *= m**unmarked_gap
            run = 1
        score = score * m + (1 - m)
        if run > longest:
            longest = run
        if day >= first:
            active += 1
        if day >= counted_from and day % 7 in planned and day not in marked_set:
            active_planned += 1
        previous = day
    current = 0
    if previous is not None:
        # Only ``end`` itself may pass without a session (the day is not over); marked days never count.
        unmarked_before_end = last - 1 - previous - _count_between(marked, previous + 1, last - 1)
        current = run if unmarked_before_end <= 0 else 0
        score *= m ** (last - previous - _count_between(marked, previous + 1, last))
    marked_planned = sum(1 for day in marked if counted_from <= day <= last and day % 7 in planned)
    return Walk(current, longest, min(1.0, max(0.0, score)), active, active_planned, marked_planned)


def _walk_any(dates, end, weekdays=EVERY_DAY, start=None) -> Walk:
    return walk(sorted({day.toordinal() for day in dates}), start or end, end, weekdays)


def current_streak(dates: Iterable[datetime.date], end: datetime.date) -> int:
    return _walk_any(dates, end).current_streak


def longest_streak(dates: Iterable[datetime.date], end: datetime.date) -> int:
    return _walk_any(dates, end).longest_streak


def habit_strength(dates: Iterable[datetime.date], end: datetime.date, weekdays: Collection[int] = EVERY_DAY) -> float:
    return _walk_any(dates, end, weekdays).habit_strength


def planned_days(start: datetime.date, end: datetime.date, weekdays: Collection[int]) -> int:
    """How many dates in [start, end] fall on one of ``weekdays``."""
    total = (end - start).days + 1
    weeks, rest = divmod(total, 7)
    first = start.weekday()
    return weeks * len(weekdays) + sum(1 for offset in range(rest) if (first + offset) % 7 in weekdays)


def adherence_rate(active_planned: int, planned: int) -> float | None:
    return active_planned / planned if planned else None


def adherence_of(history: Walk, start: datetime.date, end: datetime.date, weekdays, first_day=None) -> float | None:
    """Active planned days ÷ planned days from the later of ``start`` and the person's first day to
    ``end``, marked days left out of both; None when no planned day is left."""
    if first_day is not None and first_day > start:
        start = first_day
    planned = planned_days(start, end, weekdays) - history.marked_planned_days if start <= end else 0
    return adherence_rate(history.active_planned_days, planned)


def adherence(
    dates: Iterable[datetime.date],
    start: datetime.date,
    end: datetime.date,
    weekdays: Collection[int] = EVERY_DAY,
    *,
    marked: Iterable[datetime.date] = (),
    first_day: datetime.date | None = None,
) -> float | None:
    """Active planned days ÷ planned days in [start, end] (see ``adherence_of``)."""
    history = walk(
        sorted({day.toordinal() for day in dates}),
        start,
        end,
        weekdays,
        marked=sorted({day.toordinal() for day in marked}),
        first_day=first_day,
    )
    return adherence_of(history, start, end, weekdays, first_day)


# --- Database aggregates --------------------------------------------------------------
# The summary runs on every dashboard, API call and reminder email. Its three per-user
# aggregates are plain SQL (standard SQL, the same on SQLite and PostgreSQL): building
# the equivalent querysets costs the ORM more time than the database needs to answer
# them (measured on 3 years of daily history: 0.6 ms of Python against 0.3 ms of SQL
# for each).

SESSIONS = Session._meta.db_table
PAIN_ENTRIES = PainEntry._meta.db_table
ROUTINES = Routine._meta.db_table
STEPS = RoutineStep._meta.db_table
EXERCISE_MUSCLES = Exercise.muscles.through._meta.db_table
MUSCLES = Muscle._meta.db_table
BOTH_SCORES_SQL = "s.pain_before IS NOT NULL AND s.pain_after IS NOT NULL"

# The history as day numbers (date.toordinal()), not dates: a thousand plain integers cost the
# database driver a third less than a thousand dates, and the walk then only adds and compares.
DAY_NUMBER_SQL = {
    "sqlite": "CAST(julianday(date) AS INTEGER) - 1721424",
    "postgresql": "date - DATE '0001-01-01' + 1",
}
HISTORY_SQL = f"SELECT DISTINCT {{day}} FROM {SESSIONS} WHERE user_id = %s AND date <= %s ORDER BY 1"  # noqa: S608
DAILY_SESSIONS_SQL = f"""
    SELECT {{day}}, COUNT(*), SUM(duration_minutes) FROM {SESSIONS}
    WHERE user_id = %s AND date >= %s AND date <= %s GROUP BY 1
"""  # noqa: S608
DAILY_PAIN_TOTALS_SQL = f"""
    SELECT {{day}}, SUM(score), COUNT(*) FROM {PAIN_ENTRIES}
    WHERE user_id = %s AND date >= %s AND date <= %s GROUP BY 1
"""  # noqa: S608
DAILY_PAIN_SQL = f"""
    SELECT {{day}}, AVG(score) FROM {PAIN_ENTRIES}
    WHERE user_id = %s AND date >= %s AND date <= %s GROUP BY 1
"""  # noqa: S608

# One row per routine used in the range, NULL for free exercises.
# One routine row's columns (ROUTINE_ROW_FIELDS) and where they come from, for one person or a batch.
ROUTINE_ROW_COLUMNS_SQL = f"""s.routine_id, r.slug, r.name, r.chain,
           COUNT(*), SUM(s.duration_minutes),
           SUM(CASE WHEN {BOTH_SCORES_SQL} THEN 1 ELSE 0 END),
           SUM(CASE WHEN {BOTH_SCORES_SQL} THEN s.pain_before END),
           SUM(CASE WHEN {BOTH_SCORES_SQL} THEN s.pain_after END)
    FROM {SESSIONS} s LEFT JOIN {ROUTINES} r ON r.id = s.routine_id"""  # noqa: S608

ROUTINE_ROWS_SQL = f"""
    SELECT {ROUTINE_ROW_COLUMNS_SQL}
    WHERE s.user_id = %s AND s.date >= %s AND s.date <= %s
    GROUP BY s.routine_id, r.slug, r.name, r.chain
"""  # noqa: S608

# ROUTINE_ROWS_SQL for a batch of users whose weekly reports end on the same day, per user and per
# week: 1 for the last 7 days (date >= the first parameter), 0 for the 7 before.
WEEKS_ROUTINE_ROWS_SQL = f"""
    SELECT s.user_id, CASE WHEN s.date >= %s THEN 1 ELSE 0 END, {ROUTINE_ROW_COLUMNS_SQL}
    WHERE s.user_id IN ({{ids}}) AND s.date >= %s AND s.date <= %s
    GROUP BY s.user_id, 2, s.routine_id, r.slug, r.name, r.chain
"""  # noqa: S608

ROUTINE_MUSCLES_SQL = f"""
    SELECT DISTINCT step.routine_id, muscle.slug, muscle.name, muscle."order"
    FROM {STEPS} step
    JOIN {EXERCISE_MUSCLES} worked ON worked.exercise_id = step.exercise_id
    JOIN {MUSCLES} muscle ON muscle.id = worked.muscle_id
    WHERE step.routine_id IN ({{ids}})
"""  # noqa: S608

PAIN_SQL = f"""
    SELECT AVG(score), AVG(CASE WHEN date <= %s THEN score END), AVG(CASE WHEN date >= %s THEN score END)
    FROM {PAIN_ENTRIES}
    WHERE user_id = %s AND date >= %s AND date <= %s
"""  # noqa: S608

# The reminder emails' week in review for a batch of users whose weeks end on the same day.
WEEK_SESSIONS_SQL = f"""
    SELECT user_id, COUNT(*), SUM(duration_minutes) FROM {SESSIONS}
    WHERE user_id IN ({{ids}}) AND date >= %s AND date <= %s
    GROUP BY user_id
"""  # noqa: S608
WEEK_PAIN_SQL = f"""
    SELECT user_id, AVG(score), AVG(CASE WHEN date <= %s THEN score END), AVG(CASE WHEN date >= %s THEN score END)
    FROM {PAIN_ENTRIES}
    WHERE user_id IN ({{ids}}) AND date >= %s AND date <= %s
    GROUP BY user_id
"""  # noqa: S608
MARKS_SQL = f"SELECT {{day}} FROM {DayMark._meta.db_table} WHERE user_id = %s AND date <= %s ORDER BY 1"  # noqa: S608
FIRST_PAIN_SQL = f"SELECT MIN(date) FROM {PAIN_ENTRIES} WHERE user_id = %s"  # noqa: S608

ROUTINE_ROW_FIELDS = ["routine_id", "slug", "name", "chain", "sessions", "minutes", "scored", "before", "after"]


def _fetch(sql: str, params: list) -> list[tuple]:
    params = [connection.ops.adapt_datefield_value(p) if isinstance(p, datetime.date) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _by_day(sql: str, params: list) -> dict[int, tuple]:
    """Rows whose first column is ``{day}``, keyed by day number, in the order the query gives."""
    day = DAY_NUMBER_SQL.get(connection.vendor)
    rows = _fetch(sql.format(day=day or "date"), params)
    return {(number if day else number.toordinal()): tuple(rest) for number, *rest in rows}


def _history(user, end) -> list[int]:
    """The day number of every date up to ``end`` with a session, ascending: what the walk needs."""
    return list(_by_day(HISTORY_SQL, [user.pk, end]))


def _marked(user, end) -> list[int]:
    """The day number of every marked day (rest, flare, away) up to ``end``, ascending."""
    return list(_by_day(MARKS_SQL, [user.pk, end]))


def first_day(user, history: Sequence[int], start: datetime.date) -> datetime.date:
    """The person's first day in Backcare: the earlier of sign-up (a local date) and their first log.

    Only asks the database for the first pain entry when sign-up and the first session are both
    after ``start`` (the only case where the answer can move adherence)."""
    joined = user.date_joined.astimezone(user.zone).date()
    candidates = [joined]
    if history:
        candidates.append(datetime.date.fromordinal(history[0]))
    if min(candidates) > start:
        (first_pain,) = _fetch(FIRST_PAIN_SQL, [user.pk])[0]
        if first_pain is not None:
            candidates.append(
                first_pain if isinstance(first_pain, datetime.date) else datetime.date.fromisoformat(first_pain)
            )
    return min(candidates)


def _routine_rows(user, start, end) -> list[dict]:
    """Sessions, minutes, and the pain sums over the sessions that logged both scores, per routine."""
    return [_routine_row(row) for row in _fetch(ROUTINE_ROWS_SQL, [user.pk, start, end])]


def _routine_row(columns) -> dict:
    row = dict(zip(ROUTINE_ROW_FIELDS, columns, strict=True))
    row["minutes"] = row["minutes"] or 0
    row["before"], row["after"] = row["before"] or 0, row["after"] or 0
    return row


def _muscles_by_routine(routine_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Routine id → (slug, name) of the muscles its steps work, in catalog order."""
    if not routine_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(routine_ids))
    pairs = sorted(_fetch(ROUTINE_MUSCLES_SQL.format(ids=placeholders), routine_ids), key=lambda row: (row[3], row[2]))
    muscles: dict[int, list[tuple[str, str]]] = {}
    for routine_id, slug, name, _order in pairs:
        muscles.setdefault(routine_id, []).append((slug, name))
    return muscles


def _week_bounds(start, end) -> tuple[datetime.date, datetime.date]:
    """The end of the range's first 7 days and the start of its last 7 days."""
    return min(end, start + WEEK - ONE_DAY), max(start, end - WEEK + ONE_DAY)


def _floats(values) -> tuple[float | None, ...]:
    return tuple(None if value is None else float(value) for value in values)


def _pain_averages(user, start, end) -> tuple[float | None, float | None, float | None]:
    """The average over the range, over its first 7 days and over its last 7 days."""
    (averages,) = _fetch(PAIN_SQL, [*_week_bounds(start, end), user.pk, start, end])
    return _floats(averages)


def _rounded(value, places=2):
    return None if value is None else round(value, places)


def _mean(total, count, places=2):
    return round(total / count, places) if count else None


def _breakdown(key: str, value, name: str, parts: list[dict]) -> dict:
    """Sessions, minutes and the average pain before, after and drop over the routine rows in ``parts``."""
    scored = sum(part["scored"] for part in parts)
    before = sum(part["before"] for part in parts)
    after = sum(part["after"] for part in parts)
    return {
        key: value,
        "name": name,
        "sessions": sum(part["sessions"] for part in parts),
        "minutes": sum(part["minutes"] for part in parts),
        "average_drop": _mean(before - after, scored),
        "average_before": _mean(before, scored),
        "average_after": _mean(after, scored),
    }


def _breakdowns(rows: list[dict], muscles: dict[int, list[tuple[str, str]]]) -> tuple[list, list, list]:
    """by_routine, by_muscle and by_chain. A session counts once for every muscle its routine works;
    free exercises (no routine) appear under routine null and in no muscle or chain."""
    by_routine = sorted(
        (_breakdown("routine", row["slug"], row["name"] or FREE_SESSIONS_NAME, [row]) for row in rows),
        key=lambda item: (-item["sessions"], item["routine"] is None, item["name"]),
    )

    per_muscle: dict[str, tuple[str, list[dict]]] = {}
    for row in rows:
        for slug, name in muscles.get(row["routine_id"], []):
            per_muscle.setdefault(slug, (name, []))[1].append(row)
    by_muscle = [_breakdown("muscle", slug, name, parts) for slug, (name, parts) in per_muscle.items()]

    by_chain = [
        _breakdown("chain", chain.value, chain.label, [row for row in rows if row["chain"] == chain.value])
        for chain in (Chain.POSTERIOR, Chain.ANTERIOR, Chain.BOTH)
    ]
    return by_routine, by_muscle, by_chain


def _pain(user, start, end) -> dict:
    return _pain_figures(_pain_averages(user, start, end))


def _pain_figures(averages: tuple[float | None, float | None, float | None]) -> dict:
    average, first_week, last_week = (_rounded(value) for value in averages)
    return {
        "average": average,
        "first_week_average": first_week,
        "last_week_average": last_week,
        # From the rounded averages, so that the three figures shown side by side agree.
        "change": None if first_week is None or last_week is None else round(last_week - first_week, 2),
    }


def pain_by_area(user, *, start: datetime.date, end: datetime.date) -> list[dict]:
    """``pain.by_area`` (PRODUCT.md §4.2): for each area and side named by the pain entries dated in
    [start, end], how many entries named it and their mean score; in the body map's order of areas,
    then left, right, both, center, unsaid. One query: entries are grouped by their (side, areas)
    pair in the database, as areas are stored in one order; the few pairs are spread in Python."""
    pairs = (
        PainEntry.objects.for_user(user)
        .between(start, end)
        .exclude(areas=[])
        .values_list("side", "areas")
        .annotate(entries=Count("id"), total=Sum("score"))
        .order_by()
    )
    counts: dict[tuple[str, str], list[int]] = {}
    for side, areas, entries, total in pairs:
        for area in areas:
            tally = counts.setdefault((area, side), [0, 0])
            tally[0] += entries
            tally[1] += total
    area_order = {area: index for index, area in enumerate(PainArea.values)}
    side_order = {side: index for index, side in enumerate([*PainSide.values, ""])}
    return [
        {"area": area, "side": side, "entries": entries, "average": _mean(total, entries)}
        for (area, side), (entries, total) in sorted(
            counts.items(), key=lambda item: (area_order.get(item[0][0], 99), side_order.get(item[0][1], 99))
        )
    ]


def summary(user, *, start=None, end=None) -> dict:
    """Every figure of PRODUCT.md §1 Progress and §4.3 for [start, end]; at most nine queries whatever
    the history (the reminder schedule, the history, the marked days, the first pain entry when sign-up
    is inside the range, the routines, their muscles, the pain averages, the areas, the outcomes)."""
    start, end = resolve_range(user, start, end)
    weekdays = planned_weekdays(user)
    days = _history(user, end)
    marked = _marked(user, end)
    joined = first_day(user, days, start)
    history = walk(days, start, end, weekdays, marked=marked, first_day=joined)
    rows = _routine_rows(user, start, end)
    muscles = _muscles_by_routine([row["routine_id"] for row in rows if row["routine_id"] is not None])
    by_routine, by_muscle, by_chain = _breakdowns(rows, muscles)
    everything = _breakdown("all", None, "", rows)
    return {
        "start": start,
        "end": end,
        "sessions": everything["sessions"],
        "minutes": everything["minutes"],
        "active_days": history.active_days,
        "current_streak": history.current_streak,
        "longest_streak": history.longest_streak,
        "adherence": _rounded(adherence_of(history, start, end, weekdays, joined), 4),
        "habit_strength": round(history.habit_strength, 4),
        "marked_days": _count_between(marked, start.toordinal(), end.toordinal()),
        "pain": {**_pain(user, start, end), "by_area": pain_by_area(user, start=start, end=end)},
        "relief": {"average_drop": everything["average_drop"]},
        "by_routine": by_routine,
        "by_muscle": by_muscle,
        "by_chain": by_chain,
        "outcomes": outcome_changes(user, start=start, end=end),
    }


def week_in_review(user, *, end: datetime.date) -> dict:
    """What a reminder email shows: ``sessions`` and ``minutes`` as ``summary`` gives them for the 7
    days ending ``end``, and ``pain`` as it gives it for the 14 days ending ``end`` (its last week is
    those 7 days, its first week the 7 before, for the change). Two queries.
    """
    return weeks_in_review({user.pk: end})[user.pk]


def weeks_in_review(ends: dict[int, datetime.date]) -> dict[int, dict]:
    """``week_in_review`` for many users at once ({user id: end} → {user id: figures}), as a batch of
    reminders needs it: two queries per distinct end date, whatever the number of users.

    The same definitions as ``summary``; only the figures the email does not show are left out.
    """
    by_end: dict[datetime.date, list[int]] = {}
    for user_id, end in ends.items():
        by_end.setdefault(end, []).append(user_id)
    figures = {}
    for end, user_ids in by_end.items():
        ids = ", ".join(["%s"] * len(user_ids))
        week_start, start = end - WEEK + ONE_DAY, end - 2 * WEEK + ONE_DAY
        sessions = {row[0]: row[1:] for row in _fetch(WEEK_SESSIONS_SQL.format(ids=ids), [*user_ids, week_start, end])}
        pain = {
            row[0]: _floats(row[1:])
            for row in _fetch(WEEK_PAIN_SQL.format(ids=ids), [*_week_bounds(start, end), *user_ids, start, end])
        }
        for user_id in user_ids:
            count, minutes = sessions.get(user_id, (0, 0))
            figures[user_id] = {
                "sessions": count,
                "minutes": minutes or 0,
                "pain": _pain_figures(pain.get(user_id, (None, None, None))),
            }
    return figures


def _week_figures(rows: list[dict]) -> dict:
    """``summary``'s sessions, minutes, relief and by_chain from one range's routine rows."""
    everything = _breakdown("all", None, "", rows)
    _, _, by_chain = _breakdowns(rows, {})  # by_chain needs no muscles
    return {
        "sessions": everything["sessions"],
        "minutes": everything["minutes"],
        "relief": {"average_drop": everything["average_drop"]},
        "by_chain": by_chain,
    }


def two_weeks(ends: dict[int, datetime.date]) -> dict[int, dict]:
    """What the weekly report shows, for many users at once ({user id: end} → {user id: figures}):
    ``this_week`` and ``week_before``, the 7 days ending ``end`` and the 7 before, each with
    ``summary``'s sessions, minutes, relief and by_chain over it; and ``pain`` as ``summary`` gives
    it over the 14 days. Three queries per distinct end date, whatever the number of users; the
    same routine rows and breakdowns as ``summary``.
    """
    by_end: dict[datetime.date, list[int]] = {}
    for user_id, end in ends.items():
        by_end.setdefault(end, []).append(user_id)
    reviews = weeks_in_review(ends)
    figures = {}
    for end, user_ids in by_end.items():
        ids = ", ".join(["%s"] * len(user_ids))
        week_start, start = end - WEEK + ONE_DAY, end - 2 * WEEK + ONE_DAY
        rows: dict[tuple[int, int], list[dict]] = {}
        for user_id, this_week, *columns in _fetch(
            WEEKS_ROUTINE_ROWS_SQL.format(ids=ids), [week_start, *user_ids, start, end]
        ):
            rows.setdefault((user_id, this_week), []).append(_routine_row(columns))
        for user_id in user_ids:
            figures[user_id] = {
                "this_week": _week_figures(rows.get((user_id, 1), [])),
                "week_before": _week_figures(rows.get((user_id, 0), [])),
                "pain": reviews[user_id]["pain"],
            }
    return figures


def daily(user, *, start=None, end=None) -> list[dict]:
    """One row per date in [start, end], empty days included; two queries."""
    start, end = resolve_range(user, start, end)
    params = [user.pk, start, end]
    sessions = _by_day(DAILY_SESSIONS_SQL, params)
    pain = _by_day(DAILY_PAIN_SQL, params)
    rows = []
    for day in range(start.toordinal(), end.toordinal() + 1):
        count, minutes = sessions.get(day, (0, 0))
        (average,) = pain.get(day, (None,))
        rows.append(
            {
                "date": datetime.date.fromordinal(day),
                "sessions": count,
                "minutes": minutes,
                "pain_average": None if average is None else round(float(average), 2),
            }
        )
    return rows


# Pain warnings (PRODUCT.md §4.1): each reason's key, in the order they are reported.
HIGH_SCORE = "high-score"
RISING = "rising"
SESSION_WORSE = "session-worse"
NIGHT_PAIN = "night-pain"
JUMP = "jump"
WARNING_REASONS = (HIGH_SCORE, RISING, SESSION_WORSE, NIGHT_PAIN, JUMP)
HIGH_SCORE_DAYS = 3
SESSION_WORSE_RISE = 2
NIGHT_PAIN_SCORE = 6
JUMP_RISE = 3


@dataclass(frozen=True)
class PainWarning:
    """Why the clinician warning signs show: the reasons (keys of WARNING_REASONS), each with a sentence."""

    reasons: tuple[str, ...]
    messages: tuple[str, ...]

    @property
    def message(self) -> str:
        return " ".join(self.messages)

    def as_api(self) -> dict:
        return {"reasons": list(self.reasons), "messages": list(self.messages)}


def _day(date: datetime.date) -> str:
    return f"{date.day} {date:%B}"


def _mean_or_none(scores: list[int]) -> float | None:
    return round(sum(scores) / len(scores), 2) if scores else None


def pain_warning(user, *, end: datetime.date | None = None) -> PainWarning | None:
    """Why the warning signs should show for the days ending ``end`` (default: the user's today), or None.

    Judged on the 7 days ending ``end`` (3 days for a high score); two queries:
    - ``high-score``: a pain entry, or a session's pain after, of 8 or more;
    - ``rising``: the weekly average has risen two weeks running (three 7-day windows ending ``end``,
      each strictly above the one before, averaged and rounded as on the progress page);
    - ``session-worse``: a session whose pain after is at least 2 above its pain before;
    - ``night-pain``: a ``night`` pain entry of 6 or more;
    - ``jump``: a pain entry at least 3 above the mean of the user's entries in the 7 days before its date.
    """
    end = end or user.local_today()
    return pain_warnings({user.pk: end})[user.pk]


def pain_warnings(ends: dict[int, datetime.date]) -> dict[int, PainWarning | None]:
    """``pain_warning`` for many people at once ({user id: end} -> {user id: warning or None}), in two
    queries whatever their number: the reminder sender asks it for a whole batch."""
    if not ends:
        return {}
    first = min(ends.values()) - 3 * WEEK + ONE_DAY
    last = max(ends.values())
    entries: dict[int, list] = {user_id: [] for user_id in ends}
    sessions: dict[int, list] = {user_id: [] for user_id in ends}
    for user_id, date, score, context in (
        PainEntry.objects.filter(user_id__in=ends, date__range=(first, last))
        .order_by("date", "pk")
        .values_list("user_id", "date", "score", "context")
    ):
        if _weeks_ending(ends[user_id], weeks=3)[0] <= date <= ends[user_id]:
            entries[user_id].append((date, score, context))
    for user_id, date, before, after in (
        Session.objects.filter(user_id__in=ends, date__range=(first + 2 * WEEK, last))
        .order_by("date", "pk")
        .values_list("user_id", "date", "pain_before", "pain_after")
    ):
        if _weeks_ending(ends[user_id], weeks=1)[0] <= date <= ends[user_id]:
            sessions[user_id].append((date, before, after))
    return {user_id: _judge_pain(entries[user_id], sessions[user_id], end=end) for user_id, end in ends.items()}


def _weeks_ending(end: datetime.date, *, weeks: int) -> tuple[datetime.date, datetime.date]:
    """The ``weeks`` whole weeks ending ``end``, both ends included."""
    return end - weeks * WEEK + ONE_DAY, end


def _judge_pain(entries: list, sessions: list, *, end: datetime.date) -> PainWarning | None:
    """The warning for one person from their (date, score, context) entries of the 3 weeks ending ``end``
    and their (date, pain before, pain after) sessions of the week ending ``end``, oldest first."""
    week_start = end - WEEK + ONE_DAY
    high_start = end - datetime.timedelta(days=HIGH_SCORE_DAYS - 1)
    found: dict[str, str] = {}

    high = [score for date, score, _ in entries if date >= high_start and score >= WARNING_SCORE]
    high += [
        after for date, _, after in sessions if date >= high_start and after is not None and after >= WARNING_SCORE
    ]
    if high:
        found[HIGH_SCORE] = f"A pain score of {max(high)}/10 in the last {HIGH_SCORE_DAYS} days."

    windows = [
        _mean_or_none([score for date, score, _ in entries if first <= date <= first + WEEK - ONE_DAY])
        for first in (end - 3 * WEEK + ONE_DAY, end - 2 * WEEK + ONE_DAY, week_start)
    ]
    if None not in windows and windows[0] < windows[1] < windows[2]:
        found[RISING] = "Your weekly pain average has risen two weeks running."

    for date, before, after in sessions:
        if before is not None and after is not None and after - before >= SESSION_WORSE_RISE:
            found[SESSION_WORSE] = f"Your pain rose from {before} to {after} during a session on {_day(date)}."

    night = [score for date, score, context in entries if date >= week_start and context == "night"]
    if night and max(night) >= NIGHT_PAIN_SCORE:
        found[NIGHT_PAIN] = f"Night pain of {max(night)}/10 in the last 7 days."

    for date, score, _ in entries:
        if date < week_start:
            continue
        before = _mean_or_none([s for d, s, _ in entries if date - WEEK <= d < date])
        if before is not None and score - before >= JUMP_RISE:
            found[JUMP] = (
                f"Your pain jumped to {score}/10 on {_day(date)}, from an average of {before:g} the week before."
            )

    if not found:
        return None
    reasons = tuple(reason for reason in WARNING_REASONS if reason in found)
    return PainWarning(reasons=reasons, messages=tuple(found[reason] for reason in reasons))


def self_checks_with_pain(user, *, start=None, end=None) -> list[dict]:
    """Each self-check saved in [start, end], oldest first, with the average pain of the 7 days ending
    its date (the summary's last-week average for a range ending then); two queries."""
    start, end = resolve_range(user, start, end)
    checks = list(SelfCheck.objects.for_user(user).filter(date__range=(start, end)).order_by("date", "created_at"))
    if not checks:
        return []
    totals = _by_day(DAILY_PAIN_TOTALS_SQL, [user.pk, start - WEEK + ONE_DAY, end])
    rows = []
    for check in checks:
        last = check.date.toordinal()
        window = [totals[day] for day in range(last - 6, last + 1) if day in totals]
        count = sum(entries for _, entries in window)
        rows.append(
            {
                "date": check.date,
                "chain": check.chain,
                "chain_label": check.get_chain_display(),
                "pain_average": _mean(sum(total for total, _ in window), count),
            }
        )
    return rows


def weekly_pain(user, *, start: datetime.date, end: datetime.date) -> list[dict]:
    """The pain average (mean of the entries, as everywhere here) of each 7-day block from ``start``,
    the last one ending at ``end`` (it may be shorter); one query."""
    totals = _by_day(DAILY_PAIN_TOTALS_SQL, [user.pk, start, end])
    weeks = []
    for first in range(start.toordinal(), end.toordinal() + 1, 7):
        last = min(first + 6, end.toordinal())
        window = [totals[day] for day in range(first, last + 1) if day in totals]
        weeks.append(
            {
                "start": datetime.date.fromordinal(first),
                "end": datetime.date.fromordinal(last),
                "entries": sum(count for _, count in window),
                "average": _mean(sum(total for total, _ in window), sum(count for _, count in window)),
            }
        )
    return weeks
