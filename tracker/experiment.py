"""The two-week self-experiment (PRODUCT.md §4.3): routine A or B each day, in a random order with
seven days of each; the result is the difference in next-morning pain after A days and after B days,
with its Welch 95 % interval (the one of tracker.insights) and a plain verdict.

A day counts when its assigned routine was done that day and a ``morning`` pain check-in exists
for the next morning.
"""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from routines.models import Routine

from .insights import welch_interval
from .models import EXPERIMENT_DAYS, Experiment, PainContext, PainEntry, Session, running_on_q

ONE_DAY = datetime.timedelta(days=1)
A, B = "A", "B"


def balanced_schedule(rng: random.Random | None = None) -> str:
    """14 letters, 7 A and 7 B, shuffled."""
    letters = [A, B] * (EXPERIMENT_DAYS // 2)
    (rng or random.SystemRandom()).shuffle(letters)
    return "".join(letters)


def running_experiment(user, today: datetime.date) -> Experiment | None:
    return Experiment.objects.for_user(user).running_on(today).select_related("routine_a", "routine_b").first()


def running_experiments(pairs) -> dict[int, tuple[Experiment, datetime.date]]:
    """{user id: (their experiment running on that date, the date)} for (user, date) pairs, in one
    query whatever their number (the reminder sender asks it for a batch)."""
    users_on: dict[datetime.date, list[int]] = {}
    for user, date in pairs:
        users_on.setdefault(date, []).append(user.pk)
    if not users_on:
        return {}
    running = Q()
    for date, user_ids in users_on.items():
        running |= Q(user_id__in=user_ids) & running_on_q(date)
    dates = {user_id: date for date, user_ids in users_on.items() for user_id in user_ids}
    found = {}
    for experiment in Experiment.objects.filter(running).select_related("routine_a", "routine_b"):
        found.setdefault(experiment.user_id, (experiment, dates[experiment.user_id]))
    return found


def experiment_start(
    *, user, routine_a: Routine, routine_b: Routine, start_date: datetime.date, rng: random.Random | None = None
) -> Experiment:
    """Start one (not in the past; one at a time); refused with a message per field."""
    errors = {}
    if routine_a == routine_b:
        errors["routine_b"] = ["Choose two different routines."]
    today = user.local_today()
    if start_date < today:
        errors["start_date"] = ["Start today or later."]
    elif start_date > today + datetime.timedelta(days=30):
        errors["start_date"] = ["Start within the next 30 days."]
    with transaction.atomic():
        overlapping = Experiment.objects.for_user(user).filter(
            start_date__gt=start_date - datetime.timedelta(days=EXPERIMENT_DAYS),
            start_date__lt=start_date + datetime.timedelta(days=EXPERIMENT_DAYS),
            stopped_on__isnull=True,
        )
        if overlapping.exists():
            errors.setdefault("start_date", []).append("Another experiment runs in those two weeks; stop it first.")
        if errors:
            raise ValidationError(errors)
        return Experiment.objects.create(
            user=user,
            routine_a=routine_a,
            routine_b=routine_b,
            start_date=start_date,
            schedule=balanced_schedule(rng),
        )


def experiment_stop(*, experiment: Experiment, today: datetime.date) -> None:
    """Stop early: days from ``today`` on are no longer part of it."""
    if experiment.stopped_on is None:
        experiment.stopped_on = max(today, experiment.start_date)
        experiment.save(update_fields=["stopped_on"])


def arm_on(experiment: Experiment, day: datetime.date) -> str | None:
    """A or B for a day of the experiment; None outside it or from the day it was stopped."""
    index = (day - experiment.start_date).days
    if not 0 <= index < EXPERIMENT_DAYS:
        return None
    if experiment.stopped_on is not None and day >= experiment.stopped_on:
        return None
    return experiment.schedule[index]


def routine_on(experiment: Experiment, day: datetime.date) -> Routine | None:
    arm = arm_on(experiment, day)
    return {A: experiment.routine_a, B: experiment.routine_b}.get(arm)


def verdict(result: dict) -> str:
    name_a, name_b = result["routine_a"], result["routine_b"]
    if result["ci_low"] is None:
        return (
            f"Not enough mornings yet: {result['a_days']} after {name_a} and {result['b_days']} after {name_b}; "
            "5 of each are needed."
        )
    span = f"(95 % interval {result['ci_low']:+.1f} to {result['ci_high']:+.1f})"
    if result["ci_low"] <= 0 <= result["ci_high"]:
        return f"No clear difference between {name_a} and {name_b} {span}."
    better, worse = (name_a, name_b) if result["difference"] < 0 else (name_b, name_a)
    points = abs(result["difference"])
    return f"Mornings after {better} were less painful than after {worse}, by {points:.1f} points {span}."


def experiment_result(experiment: Experiment, *, today: datetime.date) -> dict:
    """difference = mean next-morning pain after A days − after B days (negative: A was followed by
    less pain), its Welch interval, the counts, and the verdict; two queries."""
    end = experiment.end_date
    done = set(
        Session.objects.for_user(experiment.user)
        .between(experiment.start_date, end)
        .filter(routine__in=[experiment.routine_a_id, experiment.routine_b_id])
        .values_list("date", "routine_id")
    )
    mornings = dict(
        PainEntry.objects.for_user(experiment.user)
        .between(experiment.start_date + ONE_DAY, end + ONE_DAY)
        .filter(context=PainContext.MORNING)
        .values_list("date", "score")
    )
    scores = {A: [], B: []}
    for offset in range(EXPERIMENT_DAYS):
        day = experiment.start_date + datetime.timedelta(days=offset)
        arm = arm_on(experiment, day)
        routine_id = {A: experiment.routine_a_id, B: experiment.routine_b_id}.get(arm)
        if routine_id is not None and (day, routine_id) in done and day + ONE_DAY in mornings:
            scores[arm].append(mornings[day + ONE_DAY])
    interval = welch_interval(scores[A], scores[B])
    both = scores[A] and scores[B]
    difference = sum(scores[A]) / len(scores[A]) - sum(scores[B]) / len(scores[B]) if both else None
    finished = experiment.stopped_on is not None or today > end
    result = {
        "routine_a": experiment.routine_a.name,
        "routine_b": experiment.routine_b.name,
        "a_days": len(scores[A]),
        "b_days": len(scores[B]),
        "difference": None if difference is None else round(difference, 2),
        "ci_low": None if interval is None else round(interval.low, 2),
        "ci_high": None if interval is None else round(interval.high, 2),
        "finished": finished,
    }
    result["verdict"] = verdict(result)
    return result
