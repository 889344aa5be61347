"""What helps (PRODUCT.md §4.3): per routine, the mean pain drop with a Student t 95 % interval;
per factor on pain entries, the difference in mean pain with and without it, with a Welch 95 %
interval. Each with a plain sentence that says when the data cannot tell.

The one definition, used by the API, the progress page and the clinician report. Two queries
whatever the history: the range's scored sessions and its pain entries, summed up in Python.
"""

import math
from dataclasses import dataclass

import numpy
from scipy.stats import t as student_t

from .models import PainEntry, PainFactor, Session

MIN_SAMPLES = 5
CONFIDENCE = 0.95
FREE_SESSIONS_NAME = "Free exercises"


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


def _quantile(df: float) -> float:
    return float(student_t.ppf(1 - (1 - CONFIDENCE) / 2, df))


def mean_interval(values: list[float]) -> Interval | None:
    """The mean with its Student t 95 % interval; None below MIN_SAMPLES values."""
    if len(values) < MIN_SAMPLES:
        return None
    mean = float(numpy.mean(values))
    half = _quantile(len(values) - 1) * float(numpy.std(values, ddof=1)) / math.sqrt(len(values))
    return Interval(mean, mean - half, mean + half)


def welch_interval(with_values: list[float], without_values: list[float]) -> Interval | None:
    """mean(with) − mean(without) with Welch's 95 % interval (Welch–Satterthwaite degrees of freedom);
    None when either side has fewer than MIN_SAMPLES values."""
    if len(with_values) < MIN_SAMPLES or len(without_values) < MIN_SAMPLES:
        return None
    difference = float(numpy.mean(with_values) - numpy.mean(without_values))
    a = float(numpy.var(with_values, ddof=1)) / len(with_values)
    b = float(numpy.var(without_values, ddof=1)) / len(without_values)
    if a + b == 0:  # both sides constant: no spread, the difference is exact
        return Interval(difference, difference, difference)
    df = (a + b) ** 2 / (a**2 / (len(with_values) - 1) + b**2 / (len(without_values) - 1))
    half = _quantile(df) * math.sqrt(a + b)
    return Interval(difference, difference - half, difference + half)


def _r(value):
    return None if value is None else round(value, 2)


def _crosses_zero(interval: Interval) -> bool:
    return interval.low <= 0 <= interval.high


def routine_verdict(row: dict, interval: Interval | None) -> str:
    n = row["sessions"]
    if interval is None:
        return f"Not enough data yet: {n} of {MIN_SAMPLES} sessions with pain before and after."
    span = f"(95 % interval {interval.low:.1f} to {interval.high:.1f})"
    if _crosses_zero(interval):
        return f"No clear difference yet: pain changes by {interval.estimate:.1f} points on average {span}."
    if interval.low > 0:
        return f"Helps: pain drops by {interval.estimate:.1f} points on average {span}."
    return f"Pain tends to rise after it, by {-interval.estimate:.1f} points on average {span}."


def factor_verdict(label: str, row: dict, interval: Interval | None) -> str:
    if interval is None:
        return (
            f"Not enough data yet: {row['with_entries']} entries with and {row['without_entries']} without; "
            f"{MIN_SAMPLES} of each are needed."
        )
    span = f"(95 % interval {interval.low:+.1f} to {interval.high:+.1f})"
    if _crosses_zero(interval):
        return f"No clear difference between days with and without {span}."
    direction = "higher" if interval.estimate > 0 else "lower"
    return f"Pain is {abs(interval.estimate):.1f} points {direction} on such days {span}."


def routine_insights(user, *, start, end) -> list[dict]:
    """One row per routine (null for free exercises) with sessions that logged pain before and after."""
    sessions = (
        Session.objects.for_user(user)
        .between(start, end)
        .filter(pain_before__isnull=False, pain_after__isnull=False)
        .values_list("routine__slug", "routine__name", "pain_before", "pain_after")
    )
    return _routine_rows(sessions)


def routine_insights_for(user_ids, *, start, end) -> dict[int, list[dict]]:
    """``routine_insights`` for many people over one range, in one query: {user id: rows}."""
    scored: dict[int, list[tuple]] = {user_id: [] for user_id in user_ids}
    for user_id, *row in (
        Session.objects.filter(user_id__in=scored, date__gte=start, date__lte=end)
        .filter(pain_before__isnull=False, pain_after__isnull=False)
        .values_list("user_id", "routine__slug", "routine__name", "pain_before", "pain_after")
    ):
        scored[user_id].append(row)
    return {user_id: _routine_rows(rows) for user_id, rows in scored.items()}


def _routine_rows(sessions) -> list[dict]:
    """The rows of ``routine_insights`` from (slug, name, pain before, pain after) of scored sessions."""
    drops: dict[str | None, tuple[str, list[int]]] = {}
    for slug, name, before, after in sessions:
        drops.setdefault(slug, (name or FREE_SESSIONS_NAME, []))[1].append(before - after)
    rows = []
    for slug, (name, values) in drops.items():
        interval = mean_interval(values)
        row = {
            "routine": slug,
            "name": name,
            "sessions": len(values),
            "average_drop": _r(float(numpy.mean(values))),
            "ci_low": _r(interval and interval.low),
            "ci_high": _r(interval and interval.high),
        }
        row["verdict"] = routine_verdict(row, interval)
        rows.append(row)
    return sorted(rows, key=lambda row: (-row["sessions"], row["routine"] is None, row["name"]))


def factor_insights(user, *, start, end) -> list[dict]:
    """One row per factor, in the catalog's order: pain with it minus pain without it."""
    entries = list(PainEntry.objects.for_user(user).between(start, end).values_list("score", "factors"))
    scores = numpy.array([score for score, _ in entries], dtype=float)
    rows = []
    for factor in PainFactor:
        ticked = numpy.array([factor.value in (factors or ()) for _, factors in entries], dtype=bool)
        with_scores, without_scores = scores[ticked], scores[~ticked]
        interval = welch_interval(with_scores, without_scores)
        both = len(with_scores) and len(without_scores)
        row = {
            "factor": factor.value,
            "label": factor.label,
            "with_entries": len(with_scores),
            "without_entries": len(without_scores),
            "difference": _r(float(with_scores.mean() - without_scores.mean())) if both else None,
            "ci_low": _r(interval and interval.low),
            "ci_high": _r(interval and interval.high),
        }
        row["verdict"] = factor_verdict(factor.label, row, interval)
        rows.append(row)
    return rows


def insights(user, *, start, end) -> dict:
    """``{"start", "end", "routines", "factors", "ticked"}``; two queries. ``ticked``: whether any
    pain entry of the range has a factor."""
    factors = factor_insights(user, start=start, end=end)
    return {
        "start": start,
        "end": end,
        "routines": routine_insights(user, start=start, end=end),
        "factors": factors,
        "ticked": any(row["with_entries"] for row in factors),
    }
