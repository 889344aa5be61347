"""Everything the clinician report shows, for the last N weeks: the same functions as the progress
API, the insights API and the outcomes summary, so the figures always agree with them."""

import datetime

from .. import insights, progress
from ..outcomes.rules import outcome_series, pain_meaningful

MIN_WEEKS, MAX_WEEKS = 1, 52
DEFAULT_WEEKS = 6


def report_range(user, *, weeks: int, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The ``weeks`` weeks ending today in the user's time zone."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be {MIN_WEEKS}–{MAX_WEEKS}")
    end = today or user.local_today()
    return end - datetime.timedelta(days=7 * weeks - 1), end


def report_figures(user, *, weeks: int, today: datetime.date | None = None) -> dict:
    """The report's content; a fixed number of queries whatever the history (progress.summary's,
    the weekly pain totals, the outcomes, the insights' two, the pain warning's)."""
    start, end = report_range(user, weeks=weeks, today=today)
    summary = progress.summary(user, start=start, end=end)
    pain = summary["pain"]
    first, last = pain["first_week_average"], pain["last_week_average"]
    return {
        "user": user,
        "weeks": weeks,
        "start": start,
        "end": end,
        "summary": summary,
        "pain_meaningful": None if first is None or last is None else pain_meaningful(first, last),
        "weekly_pain": progress.weekly_pain(user, start=start, end=end),
        "outcome_series": outcome_series(user, start=start, end=end),
        "insights": insights.insights(user, start=start, end=end),
        "warning": progress.pain_warning(user),
    }


DISCLAIMER = (
    "Recorded by the person themselves in Backcare: self-observation, not a diagnosis. Intervals are 95 % "
    "confidence intervals (Student t per routine, Welch per factor), given from 5 values on; a meaningful "
    "change is PSFS ≥ 2 points, tolerance ≥ 30 % and ≥ 5 minutes, pain ≥ 2 points or ≥ 30 %."
)
