"""Today's routine made safe for this person: the one place the dashboard and the reminder email ask.

With a pain warning (progress.pain_warning), the plan steps aside: today's routine becomes the
gentlest one, with the flare-up advice. Either way, the steps are the ones the person's health
screen allows (routines.screening.visible_steps), and the ones left out are named.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects

from routines.models import Routine, RoutineStep
from routines.screening import Shown, visible_steps_for

from .plans import todays_routine
from .progress import PainWarning, pain_warning

# The gentlest routine in the catalog: what a flare-up calls for instead of the plan.
GENTLEST_ROUTINE_SLUG = "easing-day"
# The content item (tracker/content.toml) about the warning signs: an email carrying it lists the
# three tiers from routines/safety/warning_signs.py beneath it, rather than the item restating them.
WARNING_SIGNS_ITEM_TITLE = "Know when to stop and see someone"
EASING = "easing"


@dataclass(frozen=True)
class Today:
    routine: Routine | None
    why: str  # "program", "rest", "helped", "self-check", "none" (plans.todays_routine), or "easing"
    shown: Shown | None
    warning: PainWarning | None
    planned: Routine | None  # the routine the plan had, set aside while easing

    @property
    def easing(self) -> bool:
        return self.why == EASING


def todays_safe_routine(user, today: datetime.date) -> Today:
    planned, why = todays_routine(user, today)
    warning = pain_warning(user, end=today)
    routine = planned
    if warning is not None:
        gentlest = Routine.objects.filter(slug=GENTLEST_ROUTINE_SLUG).first()
        if gentlest is not None:
            routine, why = gentlest, EASING
    if routine is not None:
        # One query for the steps and their exercises: what the screen and the estimate read.
        prefetch_related_objects([routine], Prefetch("steps", queryset=RoutineStep.objects.select_related("exercise")))
    shown = visible_steps_for(routine, user) if routine is not None else None
    return Today(routine=routine, why=why, shown=shown, warning=warning, planned=planned)
