"""Outcomes that match the complaint (PRODUCT.md §4.3): how long a person can walk and stand before
the pain makes them stop, and the Patient-Specific Functional Scale (3–5 activities of their own,
each rated 0–10, scored as the mean).

The rules: when a change counts as meaningful, and the first/latest summary that the progress API,
the page, the chart and the clinician report show. A leaf: models only, so progress can import it.
"""

import datetime
import json

from django.db import connection

from ..models import Outcome, psfs_mean

MEASURES = ("walking_minutes", "standing_minutes", "psfs")
EVERY = datetime.timedelta(days=14)
# When a change counts as meaningful (PRODUCT.md §4.3).
PSFS_MEANINGFUL_POINTS = 2
TOLERANCE_MEANINGFUL_SHARE = 0.30
TOLERANCE_MEANINGFUL_MINUTES = 5
PAIN_MEANINGFUL_POINTS = 2
PAIN_MEANINGFUL_SHARE = 0.30
# Averages such as 2.1 are not exact in binary: a change that meets a threshold on paper must meet it here.
SLACK = 1e-9


def psfs_meaningful(first: float, latest: float) -> bool:
    return abs(latest - first) + SLACK >= PSFS_MEANINGFUL_POINTS


def tolerance_meaningful(first: float, latest: float) -> bool:
    """At least 5 minutes and at least 30 % of the first figure (any rise from 0 is a share past 30 %)."""
    change = abs(latest - first) + SLACK
    return change >= TOLERANCE_MEANINGFUL_MINUTES and (first == 0 or change >= TOLERANCE_MEANINGFUL_SHARE * first)


def pain_meaningful(first: float, latest: float) -> bool:
    """At least 2 points, or at least 30 % of the first figure."""
    change = abs(latest - first) + SLACK
    return change >= PAIN_MEANINGFUL_POINTS or (first > 0 and change >= PAIN_MEANINGFUL_SHARE * first)


MEANINGFUL = {
    "walking_minutes": tolerance_meaningful,
    "standing_minutes": tolerance_meaningful,
    "psfs": psfs_meaningful,
}


def meaningful_band(measure: str, first: float) -> tuple[float, float]:
    """The values a later figure must reach (at or below the first, at or above) for the change
    from ``first`` to count: the lines the outcomes chart draws."""
    if measure == "psfs":
        return first - PSFS_MEANINGFUL_POINTS, first + PSFS_MEANINGFUL_POINTS
    step = max(TOLERANCE_MEANINGFUL_MINUTES, TOLERANCE_MEANINGFUL_SHARE * first)
    return first - step, first + step


# --- Summaries ---------------------------------------------------------------------------


def outcome_series(user, *, start: datetime.date, end: datetime.date) -> list[dict]:
    """Each outcome dated in [start, end], oldest first, with its PSFS score; one query."""
    rows = Outcome.objects.for_user(user).between(start, end).order_by("date")
    return [
        {
            "date": row[0],
            "walking_minutes": row[1],
            "standing_minutes": row[2],
            "psfs": psfs_mean(row[3]),
        }
        for row in rows.values_list("date", "walking_minutes", "standing_minutes", "psfs")
    ]


def changes_of(series: list[dict]) -> dict:
    """``{measure: {"first", "latest", "change", "meaningful"}}``; null fields with fewer than two outcomes."""
    result = {}
    for measure in MEASURES:
        if len(series) < 2:
            result[measure] = {"first": None, "latest": None, "change": None, "meaningful": None}
            continue
        first, latest = series[0][measure], series[-1][measure]
        result[measure] = {
            "first": first,
            "latest": latest,
            "change": round(latest - first, 2),
            "meaningful": MEANINGFUL[measure](first, latest),
        }
    return result


# Plain SQL, as in tracker.progress: the summary needs only the first and the latest outcome of the
# range, and loading every row of three years through the ORM cost 3 ms of the summary's 9 (bench/progress.py).
FIRST_AND_LATEST_SQL = f"""
    SELECT date, walking_minutes, standing_minutes, psfs FROM {Outcome._meta.db_table}
    WHERE user_id = %s AND date >= %s AND date <= %s AND date IN (
        (SELECT MIN(date) FROM {Outcome._meta.db_table} WHERE user_id = %s AND date >= %s AND date <= %s),
        (SELECT MAX(date) FROM {Outcome._meta.db_table} WHERE user_id = %s AND date >= %s AND date <= %s)
    )
    ORDER BY date
"""  # noqa: S608


def _first_and_latest(user, *, start: datetime.date, end: datetime.date) -> list[dict]:
    """The first and the latest outcome dated in [start, end] (one row when they are the same); one query."""
    dates = [connection.ops.adapt_datefield_value(day) for day in (start, end)]
    with connection.cursor() as cursor:
        cursor.execute(FIRST_AND_LATEST_SQL, [user.pk, *dates] * 3)
        rows = cursor.fetchall()
    series = []
    for date, walking, standing, psfs in rows:
        psfs = json.loads(psfs) if isinstance(psfs, str) else psfs
        series.append({"date": date, "walking_minutes": walking, "standing_minutes": standing, "psfs": psfs_mean(psfs)})
    return series


def outcome_changes(user, *, start: datetime.date, end: datetime.date) -> dict:
    """The progress summary's ``outcomes`` over the outcomes dated in [start, end]; one query."""
    return changes_of(_first_and_latest(user, start=start, end=end))


def outcome_changes_for(user_ids, *, start: datetime.date, end: datetime.date) -> dict[int, dict]:
    """``outcome_changes`` for many people over one range, in one query: {user id: changes}."""
    series: dict[int, list[dict]] = {user_id: [] for user_id in user_ids}
    rows = Outcome.objects.filter(user_id__in=series, date__gte=start, date__lte=end).order_by("date", "pk")
    for user_id, date, walking, standing, psfs in rows.values_list(
        "user_id", "date", "walking_minutes", "standing_minutes", "psfs"
    ):
        series[user_id].append(
            {"date": date, "walking_minutes": walking, "standing_minutes": standing, "psfs": psfs_mean(psfs)}
        )
    # The first and the latest outcome of the range (one a date), as _first_and_latest keeps them.
    return {user_id: changes_of(rows[:1] + rows[1:][-1:]) for user_id, rows in series.items()}


def outcomes_due(*, today: datetime.date, latest_date: datetime.date | None) -> bool:
    """Outcomes are asked every two weeks: due when none was recorded in the last 14 days."""
    return latest_date is None or today - latest_date >= EVERY
