"""Which routine is today's for a user: from the program they follow, else what has helped them most."""

import datetime

from routines.models import Routine
from routines.selfcheck import assess

from .experiment import routine_on, running_experiment
from .models import Session


def program_routine_for(user, date: datetime.date):
    """(is_program_day, routine) from the user's program; routine is None on a rest day."""
    if user.program_id is None:
        return False, None
    program = user.program
    started = user.program_started_on or user.date_joined.date()
    index = max(0, (date - started).days)
    day = (
        program.days.select_related("routine")
        .filter(week=(index % (program.weeks * 7)) // 7 + 1, day=index % 7 + 1)
        .first()
    )
    return True, (day.routine if day else None)


# Plain SQL, as in progress.py: every reminder email asks this, and the grouped, annotated
# queryset cost the ORM ten times what the database needs to answer it (0.6 ms against 0.06 ms).
# A session missing either score makes the difference NULL, which AVG leaves out; a routine
# with no drop to show (never scored, or pain no lower after it) has not eased anything.
MOST_HELPFUL_SQL = f"""
    SELECT r.* FROM {Routine._meta.db_table} r JOIN {Session._meta.db_table} s ON s.routine_id = r.id
    WHERE s.user_id = %s
    GROUP BY r.id
    HAVING AVG(s.pain_before - s.pain_after) > 0
    ORDER BY AVG(s.pain_before - s.pain_after) DESC, COUNT(*) DESC, r."order"
    LIMIT 1
"""  # noqa: S608


def most_helpful_routine(user):
    """The routine with the largest average pain drop in this user's sessions, most used on a tie;
    None when no routine has lowered the pain on average."""
    return next(iter(Routine.objects.raw(MOST_HELPFUL_SQL, [user.pk])), None)


def last_recommendation(user):
    """The first routine recommended by the user's last saved self-check."""
    # Imported here: tracker.logs imports reminders, which import emails, which import this module.
    from .logs import latest_self_check

    check = latest_self_check(user)
    if check is None:
        return None
    slugs = assess(pelvis=check.pelvis, causes=check.causes).routines
    return Routine.objects.filter(slug__in=slugs[:1]).first()


def todays_routine(user, date: datetime.date | None = None):
    """(routine or None, why) — why is 'experiment', 'program', 'rest', 'helped', 'self-check' or 'none'."""
    date = date or user.local_today()
    experiment = running_experiment(user, date)
    if experiment is not None:
        return routine_on(experiment, date), "experiment"
    in_program, routine = program_routine_for(user, date)
    if in_program:
        return routine, ("program" if routine else "rest")
    routine = most_helpful_routine(user)
    if routine is not None:
        return routine, "helped"
    routine = last_recommendation(user)
    if routine is not None:
        return routine, "self-check"
    return None, "none"
