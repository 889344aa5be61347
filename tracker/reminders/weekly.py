"""What the weekly report says: the last 7 days beside the 7 before, in the progress page's own figures.

Every figure comes from the function the progress page and the API use for it (tracker.progress,
tracker.insights, tracker.outcomes), over the week ending the report's local day and the week
before; nothing here defines a figure of its own. Rendered by the email channel from the
``tracker/emails/weekly`` templates.
"""

import datetime

from django.urls import reverse

from routines.safety.flare import FLARE_PLAN

from .. import progress
from ..insights import routine_insights_for
from ..models import Delivery
from ..outcomes.rules import outcome_changes_for
from . import email
from .content import absolute_url, delivery_headers, pain_trend
from .schedule import unsubscribe_token
from .slots import local_day

TEMPLATE = "tracker/emails/weekly"
WEEK = datetime.timedelta(days=7)
ONE_DAY = datetime.timedelta(days=1)


def report_range(end: datetime.date) -> dict[str, datetime.date]:
    """The last 7 days ending ``end`` and the 7 before them, as the progress API's start and end."""
    return {
        "start": end - WEEK + ONE_DAY,
        "end": end,
        "before_start": end - 2 * WEEK + ONE_DAY,
        "before_end": end - WEEK,
    }


def _chains(this_week: dict, week_before: dict) -> list[dict]:
    """The chain balance, chain by chain: sessions and minutes this week and the week before (summary's by_chain)."""
    before = {row["chain"]: row for row in week_before["by_chain"]}
    return [
        {
            "name": row["name"],
            "sessions": row["sessions"],
            "minutes": row["minutes"],
            "sessions_before": before[row["chain"]]["sessions"],
        }
        for row in this_week["by_chain"]
    ]


def _per_end(ends: dict[int, datetime.date], figures_for) -> dict[int, object]:
    """``figures_for(user ids, start=, end=)`` over each distinct report's two weeks, merged: {user id: figures}."""
    by_end: dict[datetime.date, list[int]] = {}
    for user_id, end in ends.items():
        by_end.setdefault(end, []).append(user_id)
    merged = {}
    for end, user_ids in by_end.items():
        days = report_range(end)
        merged.update(figures_for(user_ids, start=days["before_start"], end=days["end"]))
    return merged


def weekly_contexts(deliveries: list[Delivery]) -> dict[int, dict]:
    """{delivery id: its template context} for weekly report deliveries whose ``user`` is loaded.

    In a few queries per distinct report day, whatever the number of people: the two weeks'
    figures (progress.two_weeks), the pain warnings, what helped and the outcomes.
    """
    ends = {delivery.user_id: local_day(delivery.slot_at, delivery.user.timezone) for delivery in deliveries}
    figures = progress.two_weeks(ends)
    warnings = progress.pain_warnings(ends)
    helped = _per_end(ends, routine_insights_for)
    outcomes = _per_end(ends, outcome_changes_for)
    links = {
        "progress_url": absolute_url(reverse("tracker:progress")),
        "settings_url": absolute_url(reverse("tracker:reminders")),
        "warning_signs_url": absolute_url(reverse("warning-signs")),
        "flare_url": absolute_url(reverse("flare-up")),
        "flare_plan": FLARE_PLAN,
    }
    contexts = {}
    for delivery in deliveries:
        user = delivery.user
        days = report_range(ends[user.pk])
        this_week, week_before = figures[user.pk]["this_week"], figures[user.pk]["week_before"]
        pain = figures[user.pk]["pain"]
        contexts[delivery.pk] = {
            **links,
            "user": user,
            **days,
            "sessions": this_week["sessions"],
            "minutes": this_week["minutes"],
            "sessions_before": week_before["sessions"],
            "minutes_before": week_before["minutes"],
            "pain": pain,
            "pain_line": pain_trend(pain),
            "relief": this_week["relief"],
            "chains": _chains(this_week, week_before),
            "outcomes": outcomes[user.pk],
            "helped": [row for row in helped[user.pk] if row["ci_low"] is not None],
            "warning": warnings[user.pk],
            "unsubscribe_url": absolute_url(reverse("tracker:unsubscribe", args=[unsubscribe_token(user)])),
        }
    return contexts


def weekly_email(delivery: Delivery, context: dict):
    """The weekly report for one delivery, with the headers every reminder email carries."""
    headers = delivery_headers(delivery, context, label="weekly")
    return email.message(TEMPLATE, to=delivery.user.email, context=context, headers=headers)
