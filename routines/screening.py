"""What a person may be shown: the one function every page, the player, today's routine, the
reminder email and the API call before they show the steps of a routine.

An exercise is left out for a person when it names a condition they declared on the health
screen (``Exercise.avoid_with``), or when it is an advanced technique and they have not
confirmed that a clinician showed it to them (``advanced_ack``). What is left out is never
hidden silently: ``left_out`` says which exercise and why, and the pages print it.
"""

import math
from dataclasses import dataclass, field

from .models import Routine, RoutineStep
from .safety.conditions import ADVANCED, condition_name, ordered


@dataclass(frozen=True)
class LeftOut:
    exercise: str  # slug
    name: str
    reasons: tuple[str, ...]  # condition slugs, then "advanced"
    explanations: tuple[str, ...]  # the catalog's one-line reason per condition

    @property
    def message(self) -> str:
        conditions = [condition_name(reason) for reason in self.reasons if reason != ADVANCED]
        parts = []
        if conditions:
            parts.append(f"left out because you told us about: {', '.join(conditions)}")
        if ADVANCED in self.reasons:
            parts.append(f"left out as {condition_name(ADVANCED)}")
        return f"{self.name}: {'; '.join(parts)}."

    def as_api(self) -> dict:
        return {"exercise": self.exercise, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Shown:
    steps: list[RoutineStep]
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def estimated_minutes(self) -> int:
        return max(1, math.ceil(sum(step.seconds for step in self.steps) / 60))


def reasons_to_leave_out(exercise, *, conditions, advanced_ack: bool) -> list[str]:
    """Why this exercise is not for this person (empty: it is)."""
    reasons = ordered(set(conditions) & set(exercise.avoid_with))
    if exercise.is_advanced and not advanced_ack:
        reasons.append(ADVANCED)
    return reasons


def visible_steps(routine: Routine, *, conditions=(), advanced_ack: bool = False) -> Shown:
    """The steps of ``routine`` this person may be shown, and the ones left out with their reasons.

    Uses ``routine.steps.all()``, so a routine from ``Routine.objects.with_steps()`` costs no query.
    """
    shown, left_out = [], []
    for step in routine.steps.all():
        exercise = step.exercise
        reasons = reasons_to_leave_out(exercise, conditions=conditions, advanced_ack=advanced_ack)
        if not reasons:
            shown.append(step)
        elif exercise.slug not in {item.exercise for item in left_out}:
            left_out.append(
                LeftOut(
                    exercise=exercise.slug,
                    name=exercise.name,
                    reasons=tuple(reasons),
                    explanations=tuple(exercise.avoid_with[r] for r in reasons if r != ADVANCED),
                )
            )
    return Shown(steps=shown, left_out=left_out)


def visible_steps_for(routine: Routine, user) -> Shown:
    """``visible_steps`` for a signed-in person's own screen; anybody else sees no advanced technique."""
    if user is None or not user.is_authenticated:
        return visible_steps(routine)
    return visible_steps(routine, conditions=user.conditions, advanced_ack=user.advanced_ack)
