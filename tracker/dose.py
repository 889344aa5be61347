"""A dose that follows you (PRODUCT.md §4.3).

The rule, in one function (``suggest``): after three sessions in a row with no rise in pain, a
longer hold (+15 s, up to 60 s for a stretch and 120 s for self-massage) or, for an exercise done
in repetitions or for strengthening, two more repetitions; after a session that left the pain 2
points or more worse, an easier dose (15 s less, or two fewer repetitions). The person accepts or
declines; an accepted dose is theirs (``PersonalDose``) and the player uses it. Either answer
starts the count again, so the same three sessions never suggest twice.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from routines.models import Exercise, Kind, Routine, dose_seconds, minutes_for

from .models import PersonalDose, Session

HOLD_STEP_SECONDS = 15
REPETITION_STEP = 2
HOLD_CAP_SECONDS = {Kind.STRETCH: 60, Kind.MASSAGE: 120}
REPETITIONS_CAP = 30
MIN_HOLD_SECONDS = 5
SESSIONS_IN_A_ROW = 3
WORSE_BY = 2
LONGER, EASIER = "longer", "easier"


@dataclass(frozen=True)
class Dose:
    hold_seconds: int | None
    repetitions: int


@dataclass(frozen=True)
class Suggestion:
    direction: str  # LONGER or EASIER
    dose: Dose
    reason: str


def _progressed(kind: str, dose: Dose) -> Dose | None:
    cap = HOLD_CAP_SECONDS.get(kind)
    if dose.hold_seconds and cap is not None:
        longer = min(cap, dose.hold_seconds + HOLD_STEP_SECONDS)
        return Dose(longer, dose.repetitions) if longer > dose.hold_seconds else None
    more = min(REPETITIONS_CAP, dose.repetitions + REPETITION_STEP)
    return Dose(dose.hold_seconds, more) if more > dose.repetitions else None


def _eased(kind: str, dose: Dose) -> Dose | None:
    if dose.hold_seconds and kind in HOLD_CAP_SECONDS:
        shorter = max(MIN_HOLD_SECONDS, dose.hold_seconds - HOLD_STEP_SECONDS)
        return Dose(shorter, dose.repetitions) if shorter < dose.hold_seconds else None
    fewer = max(1, dose.repetitions - REPETITION_STEP)
    return Dose(dose.hold_seconds, fewer) if fewer < dose.repetitions else None


def suggest(*, kind: str, dose: Dose, recent: Sequence[tuple[int | None, int | None]]) -> Suggestion | None:
    """The suggestion for one exercise, from the (pain before, pain after) of the sessions since the
    last decision, newest first; None when the rule says nothing or the dose is at its limit."""
    if recent and None not in recent[0] and recent[0][1] - recent[0][0] >= WORSE_BY:
        eased = _eased(kind, dose)
        reason = f"Your last session left the pain {recent[0][1] - recent[0][0]} points worse."
        return Suggestion(EASIER, eased, reason) if eased else None
    last = recent[:SESSIONS_IN_A_ROW]
    if len(last) == SESSIONS_IN_A_ROW and all(None not in pair and pair[1] <= pair[0] for pair in last):
        progressed = _progressed(kind, dose)
        reason = f"Your last {SESSIONS_IN_A_ROW} sessions did not raise your pain."
        return Suggestion(LONGER, progressed, reason) if progressed else None
    return None


# --- The person's doses -------------------------------------------------------------------


def catalog_dose(step) -> Dose:
    return Dose(step.dose["hold_seconds"], step.dose["repetitions"])


def personal_doses(user, exercise_ids) -> dict[int, PersonalDose]:
    return {dose.exercise_id: dose for dose in PersonalDose.objects.for_user(user).filter(exercise_id__in=exercise_ids)}


def dose_for(step, personal: dict[int, PersonalDose]) -> Dose:
    own = personal.get(step.exercise_id)
    return Dose(own.hold_seconds, own.repetitions) if own else catalog_dose(step)


def step_doses(user, routine: Routine, *, steps=None) -> list[dict]:
    """Each step of ``routine`` (steps prefetched with their exercises; or only ``steps``, the ones
    the person may be shown) with the dose the person follows and any suggestion for it; two
    queries (their doses, the routine's recent sessions)."""
    steps = list(routine.steps.all() if steps is None else steps)
    personal = personal_doses(user, [step.exercise_id for step in steps])
    sessions = list(
        Session.objects.for_user(user)
        .filter(routine=routine)
        .order_by("-date", "-created_at")
        .values_list("created_at", "pain_before", "pain_after")[: SESSIONS_IN_A_ROW + 1]
    )
    return _rows(steps, personal, sessions)


def _rows(steps, personal: dict[int, PersonalDose], sessions: list[tuple]) -> list[dict]:
    """Each step with its dose and suggestion, from the person's doses and their routine's recent
    (created_at, pain before, pain after) sessions, newest first."""
    rows = []
    for step in steps:
        own = personal.get(step.exercise_id)
        since = own.decided_at if own else None
        recent = [(before, after) for created, before, after in sessions if since is None or created > since]
        dose = dose_for(step, personal)
        rows.append(
            {
                "step": step,
                "dose": dose,
                # What routines/_dose.html shows: the step's dose with the person's hold and repetitions.
                "shown": {**step.dose, "hold_seconds": dose.hold_seconds, "repetitions": dose.repetitions},
                "personal": own is not None,
                "suggestion": suggest(kind=step.exercise.kind, dose=dose, recent=recent),
            }
        )
    return rows


def routine_plans(plans) -> dict[int, dict]:
    """What reminders say of today's routine with each person's own doses, for (user, routine, steps
    shown) triples at once: {user id: {"estimated_minutes", "suggestions"}}; two queries whatever
    their number (everyone's doses; each person's last sessions of their routine)."""
    plans = [(user, routine, list(steps)) for user, routine, steps in plans if routine is not None]
    if not plans:
        return {}
    personal: dict[int, dict[int, PersonalDose]] = {user.pk: {} for user, _, _ in plans}
    exercise_ids = {step.exercise_id for _, _, steps in plans for step in steps}
    for own in PersonalDose.objects.filter(user_id__in=personal, exercise_id__in=exercise_ids):
        personal[own.user_id][own.exercise_id] = own
    wanted = Q()
    for user, routine, _ in plans:
        wanted |= Q(user_id=user.pk, routine_id=routine.pk)
    recent: dict[int, list[tuple]] = {user.pk: [] for user, _, _ in plans}
    newest_first = [F("date").desc(), F("created_at").desc()]
    for user_id, created, before, after in (
        Session.objects.filter(wanted)
        .annotate(rank=Window(RowNumber(), partition_by=[F("user_id")], order_by=newest_first))
        .filter(rank__lte=SESSIONS_IN_A_ROW + 1)
        .order_by("user_id", *newest_first)
        .values_list("user_id", "created_at", "pain_before", "pain_after")
    ):
        recent[user_id].append((created, before, after))
    return {user.pk: plan_of(_rows(steps, personal[user.pk], recent[user.pk])) for user, _, steps in plans}


def plan_of(rows: list[dict]) -> dict:
    """The estimated minutes of these steps with the person's doses, and the exercises with a new dose waiting."""
    return {
        "estimated_minutes": minutes_for(sum(dose_seconds(**row["shown"]) for row in rows)),
        "suggestions": [row["step"].exercise.name for row in rows if row["suggestion"] is not None],
    }


def _decide(*, user, exercise: Exercise, dose: Dose, now: datetime.datetime | None) -> PersonalDose:
    own, _ = PersonalDose.objects.update_or_create(
        user=user,
        exercise=exercise,
        defaults={
            "hold_seconds": dose.hold_seconds,
            "repetitions": dose.repetitions,
            "decided_at": now or timezone.now(),
        },
    )
    return own


def dose_accept(*, user, routine: Routine, exercise: Exercise, now=None) -> PersonalDose:
    """Take the dose the rule suggests now for ``exercise`` in ``routine``; refused when there is none."""
    for row in step_doses(user, routine):
        if row["step"].exercise_id == exercise.pk and row["suggestion"] is not None:
            return _decide(user=user, exercise=exercise, dose=row["suggestion"].dose, now=now)
    raise ValidationError("There is no dose suggestion for this exercise now.")


def dose_decline(*, user, routine: Routine, exercise: Exercise, now=None) -> PersonalDose:
    """Keep the current dose; the count of sessions starts again."""
    for row in step_doses(user, routine):
        if row["step"].exercise_id == exercise.pk:
            return _decide(user=user, exercise=exercise, dose=row["dose"], now=now)
    raise ValidationError("This exercise is not part of the routine.")


def with_personal_doses(data: dict, rows: list[dict]) -> dict:
    """The player's data (tracker.views.logs.player_data) with each step's dose the person's own."""
    steps = [
        {**step, "hold_seconds": row["dose"].hold_seconds, "repetitions": row["dose"].repetitions}
        for step, row in zip(data["steps"], rows, strict=True)
    ]
    return {**data, "steps": steps}


def api_doses(*, user, routine: Routine) -> dict[int, dict]:
    """Step id → the person's dose and suggestion, as the routine detail of the API shows them
    (routines.serializers.RoutineStepSerializer, through settings.PERSONAL_DOSES)."""
    doses = {}
    for row in step_doses(user, routine):
        suggestion = row["suggestion"]
        doses[row["step"].pk] = {
            "dose": row["shown"],
            "suggestion": None
            if suggestion is None
            else {
                "direction": suggestion.direction,
                "hold_seconds": suggestion.dose.hold_seconds,
                "repetitions": suggestion.dose.repetitions,
                "reason": suggestion.reason,
            },
        }
    return doses
