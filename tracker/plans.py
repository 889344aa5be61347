"""Which routine is today's for a user: from the program they follow, else what has helped them most."""

import datetime

from django.db.models import Avg, Count, F, Q

from routines.models import Routine


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


def most_helpful_routine(user):
    """The routine with the largest average pain drop in this user's sessions, most used on a tie."""
    return (
        Routine.objects.filter(sessions__user=user)
        .annotate(
            drop=Avg(
                F("sessions__pain_before") - F("sessions__pain_after"),
                filter=Q(sessions__user=user, sessions__pain_before__isnull=False, sessions__pain_after__isnull=False),
            ),
            uses=Count("sessions", filter=Q(sessions__user=user)),
        )
        .order_by(F("drop").desc(nulls_last=True), "-uses", "order")
        .first()
    )


def last_recommendation(user):
    """The first routine recommended by the user's last saved self-check."""
    from routines.selfcheck import assess

    check = user.self_checks.order_by("-created_at").first()
    if check is None:
        return None
    slugs = assess(pelvis=check.pelvis, causes=check.causes).routines
    return Routine.objects.filter(slug__in=slugs[:1]).first()


def todays_routine(user, date: datetime.date | None = None):
    """(routine or None, why) — why is 'program', 'rest', 'helped', 'self-check' or 'none'."""
    date = date or user.local_today()
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
