"""Which routine is today's for a user: from the program they follow, else what has helped them most."""

import datetime

from django.db.models import Prefetch, prefetch_related_objects

from routines.models import ProgramDay, Routine, RoutineStep
from routines.selfcheck import assess

from .experiment import routine_on, running_experiments
from .logs import latest_self_checks
from .models import Session


def _program_day_index(user, date: datetime.date) -> tuple[int, int]:
    """(week, day) of ``date`` in the user's program, which repeats once its last week is done."""
    started = user.program_started_on or user.date_joined.date()
    index = max(0, (date - started).days)
    return (index % (user.program.weeks * 7)) // 7 + 1, index % 7 + 1


def program_routine_for(user, date: datetime.date):
    """(is_program_day, routine) from the user's program; routine is None on a rest day."""
    if user.program_id is None:
        return False, None
    return True, _program_routines([(user, date)])[user.pk]


def _program_routines(pairs) -> dict[int, Routine | None]:
    """{user id: the routine of that date's program day, None on a rest day}, in one query."""
    wanted = {user.pk: (user.program_id, *_program_day_index(user, date)) for user, date in pairs}
    days = (
        ProgramDay.objects.select_related("routine")
        .filter(program_id__in={program for program, _, _ in wanted.values()})
        .only("program_id", "week", "day", "routine")
    )
    routines = {(day.program_id, day.week, day.day): day.routine for day in days}
    return {user_id: routines.get(key) for user_id, key in wanted.items()}


# Plain SQL, as in progress.py: every reminder email asks this, and the grouped, annotated
# queryset cost the ORM ten times what the database needs to answer it (0.6 ms against 0.06 ms).
# A session missing either score makes the difference NULL, which AVG leaves out; a routine
# with no drop to show (never scored, or pain no lower after it) has not eased anything.
# One row per (user, routine that eased their pain), for a batch of users.
MOST_HELPFUL_SQL = f"""
    SELECT r.*, s.user_id AS helped_user_id, AVG(s.pain_before - s.pain_after) AS average_drop, COUNT(*) AS used
    FROM {Routine._meta.db_table} r JOIN {Session._meta.db_table} s ON s.routine_id = r.id
    WHERE s.user_id IN ({{ids}})
    GROUP BY s.user_id, r.id
    HAVING AVG(s.pain_before - s.pain_after) > 0
"""  # noqa: S608


def most_helpful_routine(user):
    """The routine with the largest average pain drop in this user's sessions, most used on a tie;
    None when no routine has lowered the pain on average."""
    return _most_helpful_routines([user.pk]).get(user.pk)


def _most_helpful_routines(user_ids) -> dict[int, Routine]:
    best: dict[int, Routine] = {}
    user_ids = list(user_ids)
    if not user_ids:
        return best
    sql = MOST_HELPFUL_SQL.format(ids=", ".join(["%s"] * len(user_ids)))
    for routine in Routine.objects.raw(sql, user_ids):
        rank = (-routine.average_drop, -routine.used, routine.order, routine.pk)
        current = best.get(routine.helped_user_id)
        if current is None or rank < (-current.average_drop, -current.used, current.order, current.pk):
            best[routine.helped_user_id] = routine
    return best


def last_recommendation(user):
    """The first routine recommended by the user's last saved self-check."""
    return _last_recommendations([user.pk]).get(user.pk)


def _last_recommendations(user_ids) -> dict[int, Routine]:
    """{user id: the first routine their last self-check recommends}, in two queries and three per
    distinct set of answers among them (``assess`` reads the catalog)."""
    assessed = {}
    first_slug = {}
    for user_id, check in latest_self_checks(user_ids).items():
        answers = (check.pelvis, tuple(sorted(check.causes)))
        if answers not in assessed:
            assessed[answers] = assess(pelvis=check.pelvis, causes=check.causes).routines[:1]
        first_slug[user_id] = assessed[answers]
    slugs = {slug for wanted in first_slug.values() for slug in wanted}
    routines = {routine.slug: routine for routine in Routine.objects.filter(slug__in=slugs)} if slugs else {}
    return {user_id: routines[wanted[0]] for user_id, wanted in first_slug.items() if wanted and wanted[0] in routines}


def todays_routine(user, date: datetime.date | None = None):
    """(routine or None, why) — why is 'experiment', 'program', 'rest', 'helped', 'self-check' or 'none'."""
    return todays_routines([(user, date or user.local_today())])[user.pk]


def todays_routines(pairs, *, with_steps: bool = False) -> dict[int, tuple]:
    """``todays_routine`` for many (user, date) pairs at once: {user id: (routine or None, why)}.

    A query per rule that someone in the batch needs (running self-experiments, the program's
    days, what helped, the last self-check), whatever the number of users; ``with_steps`` prefetches the routines'
    steps and exercises (for their estimated minutes) in one more.
    """
    pairs = list(pairs)
    chosen: dict[int, tuple] = {}
    # A running self-experiment decides the day before the program does.
    for user_id, (experiment, date) in running_experiments(pairs).items():
        chosen[user_id] = (routine_on(experiment, date), "experiment")
    in_program = [(user, date) for user, date in pairs if user.program_id is not None and user.pk not in chosen]
    if in_program:
        for user_id, routine in _program_routines(in_program).items():
            chosen[user_id] = (routine, "program" if routine else "rest")
    others = [user.pk for user, _ in pairs if user.pk not in chosen]
    for user_id, routine in _most_helpful_routines(others).items():
        chosen[user_id] = (routine, "helped")
    others = [user_id for user_id in others if user_id not in chosen]
    if others:
        for user_id, routine in _last_recommendations(others).items():
            chosen[user_id] = (routine, "self-check")
    for user, _ in pairs:
        chosen.setdefault(user.pk, (None, "none"))
    if with_steps:
        routines = [routine for routine, _ in chosen.values() if routine is not None]
        prefetch_related_objects(routines, Prefetch("steps", queryset=RoutineStep.objects.select_related("exercise")))
    return chosen
