"""Outcomes that match the complaint (PRODUCT.md §4.3): how long a person can walk and stand before
the pain makes them stop, and the Patient-Specific Functional Scale (3–5 activities of their own,
each rated 0–10, scored as the mean).

The rules: when a change counts as meaningful, and the first/latest summary that the progress API,
the page, the chart and the clinician report show. A leaf: models only, so progress can import it.
"""

import datetime

from ..models import Outcome

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


def _measure(outcome_row: tuple, measure: str) -> float:
    date, walking, standing, psfs = outcome_row
    if measure == "walking_minutes":
        return walking
    if measure == "standing_minutes":
        return standing
    return round(sum(row["score"] for row in psfs) / len(psfs), 2)


def outcome_series(user, *, start: datetime.date, end: datetime.date) -> list[dict]:
    """Each outcome dated in [start, end], oldest first, with its PSFS score; one query."""
    rows = Outcome.objects.for_user(user).between(start, end).order_by("date")
    return [
        {
            "date": row[0],
            "walking_minutes": row[1],
            "standing_minutes": row[2],
            "psfs": _measure(row, "psfs"),
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


def outcome_changes(user, *, start: datetime.date, end: datetime.date) -> dict:
    """The progress summary's ``outcomes`` over the outcomes dated in [start, end]; one query."""
    return changes_of(outcome_series(user, start=start, end=end))


def outcomes_due(*, today: datetime.date, latest_date: datetime.date | None) -> bool:
    """Outcomes are asked every two weeks: due when none was recorded in the last 14 days."""
    return latest_date is None or today - latest_date >= EVERY
