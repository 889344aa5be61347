"""Small builders shared by the logging tests: a routine of our own, rows in bulk."""

import datetime

from routines.models import Exercise, Muscle, Program, ProgramDay, Routine, RoutineStep
from tracker.models import PainContext, PainEntry, Session

# The frozen "now" of the log tests: 10:00 UTC on Monday 15 June 2026.
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)


def make_routine(slug="test-hip-release", *, steps=2):
    """A routine with a held stretch on each side and a repetition exercise, independent of the seeded catalog."""
    muscle, _ = Muscle.objects.get_or_create(
        slug="test-muscle",
        defaults={
            "name": "Test muscle",
            "chain": "posterior",
            "summary": "s",
            "location": "l",
            "symptoms": "s",
            "posture": "p",
        },
    )
    routine = Routine.objects.create(slug=slug, name=f"Routine {slug}", summary="For the tests.", chain="posterior")
    for index in range(steps):
        held = index % 2 == 0
        exercise = Exercise.objects.create(
            slug=f"{slug}-exercise-{index}",
            name=f"{'Stretch' if held else 'Bridge'} {index}",
            kind="stretch" if held else "strength",
            instructions="Lie on your back.\nBreathe out slowly.",
            caution="Stop if it tingles.",
            hold_seconds=30 if held else None,
            repetitions=2 if held else 10,
            sides="both" if held else "none",
        )
        exercise.muscles.add(muscle)
        RoutineStep.objects.create(routine=routine, exercise=exercise, order=index)
    return routine


def make_program(slug="test-program", *, routine):
    program = Program.objects.create(slug=slug, name="Test program", summary="s", goal="flexibility", weeks=1)
    for day in range(1, 8):
        ProgramDay.objects.create(program=program, week=1, day=day, routine=routine if day % 2 else None)
    return program


def make_sessions(user, count, *, routine=None, start=datetime.date(2026, 1, 1)):
    Session.objects.bulk_create(
        Session(
            user=user,
            routine=routine,
            date=start + datetime.timedelta(days=index % 100),
            duration_minutes=10,
            pain_before=5,
            pain_after=3,
        )
        for index in range(count)
    )


def make_pain_entries(user, count, *, start=datetime.date(2025, 1, 1)):
    contexts = PainContext.values
    PainEntry.objects.bulk_create(
        PainEntry(
            user=user,
            date=start + datetime.timedelta(days=index // len(contexts)),
            context=contexts[index % len(contexts)],
            score=index % 11,
        )
        for index in range(count)
    )
