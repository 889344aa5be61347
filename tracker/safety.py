"""Today's routine made safe for this person: the one place the dashboard and the reminder email ask.

With a pain warning (progress.pain_warning), the plan steps aside: today's routine becomes the
gentlest one, with the flare-up advice. Either way, the steps are the ones the person's health
screen allows (routines.screening.visible_steps), and the ones left out are named.
"""

import datetime
from dataclasses import dataclass

from routines.models import Routine
from routines.screening import Shown, visible_steps_for

from .plans import todays_routines
from .progress import PainWarning, pain_warnings

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
    return todays_safe_routines([(user, today)])[user.pk]


def todays_safe_routines(pairs) -> dict[int, Today]:
    """``todays_safe_routine`` for many (user, date) pairs at once, in a constant number of queries
    (today's plans, the pain warnings, the gentlest routine): the reminder sender's batches ask it."""
    pairs = list(pairs)
    plans = todays_routines(pairs, with_steps=True)
    warnings = pain_warnings({user.pk: today for user, today in pairs})
    gentlest = None
    if any(warning is not None for warning in warnings.values()):
        gentlest = Routine.objects.with_steps().filter(slug=GENTLEST_ROUTINE_SLUG).first()
    days = {}
    for user, _ in pairs:
        planned, why = plans[user.pk]
        warning = warnings[user.pk]
        routine = planned
        if warning is not None and gentlest is not None:
            routine, why = gentlest, EASING
        shown = visible_steps_for(routine, user) if routine is not None else None
        days[user.pk] = Today(routine=routine, why=why, shown=shown, warning=warning, planned=planned)
    return days
