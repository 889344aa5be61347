"""Small builders for the progress tests: routines of our own over the seeded muscles, and logs."""

import datetime

from routines.models import Exercise, Muscle, Routine, RoutineStep
from tracker.models import PainEntry, ReminderSchedule, Session

MUSCLE_CHAINS = {
    "gluteus-medius": "posterior",
    "piriformis": "posterior",
    "psoas": "anterior",
    "iliacus": "anterior",
    "quadratus-lumborum": "both",
}


def muscle(slug):
    found, _ = Muscle.objects.get_or_create(
        slug=slug,
        defaults={
            "name": slug.replace("-", " ").capitalize(),
            "chain": MUSCLE_CHAINS[slug],
            "summary": "s",
            "location": "l",
            "symptoms": "s",
            "posture": "p",
        },
    )
    return found


def routine(slug, name, chain, muscle_slugs_per_step):
    """A routine whose steps each work the given muscles; a muscle may repeat across steps."""
    made = Routine.objects.create(slug=slug, name=name, chain=chain, summary="Test routine.")
    for order, slugs in enumerate(muscle_slugs_per_step):
        exercise = Exercise.objects.create(
            slug=f"{slug}-step-{order}",
            name=f"{name} {order}",
            kind="stretch",
            instructions="Do it.",
            caution="Gently.",
        )
        exercise.muscles.set([muscle(s) for s in slugs])
        RoutineStep.objects.create(routine=made, exercise=exercise, order=order)
    return made


def log(user, day, minutes=10, routine=None, before=None, after=None):
    return Session.objects.create(
        user=user, date=day, duration_minutes=minutes, routine=routine, pain_before=before, pain_after=after
    )


def pain(user, day, score, context="walking"):
    return PainEntry.objects.create(user=user, date=day, score=score, context=context)


def days(first, last):
    """Every date from ``first`` to ``last`` inclusive."""
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def every_day(user, first, last, minutes=10):
    Session.objects.bulk_create(Session(user=user, date=day, duration_minutes=minutes) for day in days(first, last))


def remind_on(user, weekdays, enabled=True):
    return ReminderSchedule.objects.create(user=user, enabled=enabled, weekdays=ReminderSchedule.mask_for(weekdays))


def history(user, first, last, *, pain_per_day=2):
    """One session and ``pain_per_day`` pain entries (distinct contexts) on every day from first to last."""
    contexts = ["walking", "standing", "rest", "sitting", "morning", "night"][:pain_per_day]
    span = days(first, last)
    Session.objects.bulk_create(
        [Session(user=user, date=day, duration_minutes=15, pain_before=6, pain_after=4) for day in span],
        batch_size=2000,
    )
    PainEntry.objects.bulk_create(
        [
            PainEntry(user=user, date=day, score=(n + i) % 11, context=c)
            for n, day in enumerate(span)
            for i, c in enumerate(contexts)
        ],
        batch_size=2000,
    )
