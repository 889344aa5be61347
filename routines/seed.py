"""Load the seeded catalog (``catalog.toml``) into the database.

``load_catalog(apps)`` is written for data migrations: it only uses the models
that ``apps`` hands out (the historical ones inside a migration, the real ones
when called with ``django.apps.apps``). Everything is upserted by slug, the
steps of each seeded routine and the days of each seeded program are replaced
by the ones in the file, and nothing else is deleted. Running it twice changes
nothing. The whole file is validated before anything is written.
"""

import tomllib
from pathlib import Path

from .safety.conditions import CONDITIONS

CATALOG_PATH = Path(__file__).resolve().parent / "catalog.toml"

CHAINS = {"posterior", "anterior", "both"}
KINDS = {"stretch", "massage", "strength", "activity"}
EXERCISE_LEVELS = {"standard", "advanced"}
FIRST_SIDES = {"left", "right"}
SIDES = {"left", "right", "both", "none"}
LEVELS = {"beginner", "intermediate", "advanced"}
GOALS = {"flexibility", "strength"}
REST = "rest"
STEP_KEYS = {"exercise", "hold_seconds", "repetitions", "sides", "note"}


class CatalogError(ValueError):
    """The catalog file is inconsistent: an unknown slug, a missing field, a bad value."""


def read_catalog(path=None) -> dict:
    with open(path or CATALOG_PATH, "rb") as fh:
        return tomllib.load(fh)


def _require(entry, where, *keys):
    missing = [key for key in keys if entry.get(key) in (None, "", [])]
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}")


def _choice(value, allowed, where, field):
    if value not in allowed:
        raise CatalogError(f"{where}: {field} {value!r} is not one of {sorted(allowed)}")


def _unique_slugs(entries, section):
    seen = set()
    for entry in entries:
        _require(entry, f"[[{section}]]", "slug")
        if entry["slug"] in seen:
            raise CatalogError(f"[[{section}]]: slug {entry['slug']!r} appears twice")
        seen.add(entry["slug"])
    return seen


def _positive_or_none(value, where, field, maximum):
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= maximum:
        raise CatalogError(f"{where}: {field} must be a whole number from 1 to {maximum}, not {value!r}")


def validate_catalog(data, *, known_muscles=(), known_exercises=(), known_routines=()):
    """Raise CatalogError on the first problem. ``known_*``: slugs already in the database."""
    muscles = data.get("muscles", [])
    exercises = data.get("exercises", [])
    routines = data.get("routines", [])
    programs = data.get("programs", [])

    muscle_slugs = _unique_slugs(muscles, "muscles") | set(known_muscles)
    exercise_slugs = _unique_slugs(exercises, "exercises") | set(known_exercises)
    routine_slugs = _unique_slugs(routines, "routines") | set(known_routines)
    _unique_slugs(programs, "programs")

    for muscle in muscles:
        where = f"muscle {muscle['slug']!r}"
        _require(muscle, where, "name", "chain", "summary", "location", "symptoms", "posture")
        _choice(muscle["chain"], CHAINS, where, "chain")

    for exercise in exercises:
        where = f"exercise {exercise['slug']!r}"
        _require(exercise, where, "name", "kind", "muscles", "instructions", "caution", "easier", "harder", "level")
        _choice(exercise["kind"], KINDS, where, "kind")
        _choice(exercise["level"], EXERCISE_LEVELS, where, "level")
        _choice(exercise.get("first_side", "right"), FIRST_SIDES, where, "first_side")
        if not isinstance(exercise.get("avoid_with"), dict):
            raise CatalogError(f"{where}: avoid_with must be given, as a table (empty when nothing applies)")
        for condition, reason in exercise["avoid_with"].items():
            _choice(condition, set(CONDITIONS), where, "avoid_with condition")
            if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
                raise CatalogError(f"{where}: avoid_with {condition!r} needs a one-line reason")
        _choice(exercise.get("sides", "both"), SIDES, where, "sides")
        _positive_or_none(exercise.get("hold_seconds"), where, "hold_seconds", 600)
        _positive_or_none(exercise.get("repetitions", 1), where, "repetitions", 100)
        for slug in exercise["muscles"]:
            if slug not in muscle_slugs:
                raise CatalogError(f"{where}: unknown muscle slug {slug!r}")

    advanced_exercises = {exercise["slug"]: exercise.get("level") for exercise in exercises}
    advanced_routines = {routine["slug"] for routine in routines if routine.get("level") == "advanced"}
    for routine in routines:
        where = f"routine {routine['slug']!r}"
        _require(routine, where, "name", "chain", "summary", "steps")
        _choice(routine["chain"], CHAINS, where, "chain")
        _choice(routine.get("level", "beginner"), LEVELS, where, "level")
        if routine.get("level", "beginner") != "advanced":
            advanced = [
                step.get("exercise")
                for step in routine["steps"]
                if advanced_exercises.get(step.get("exercise")) == "advanced"
            ]
            if advanced:
                raise CatalogError(f"{where}: advanced exercises {advanced} in a routine below level advanced")
        for number, step in enumerate(routine["steps"], start=1):
            step_where = f"{where} step {number}"
            unknown_keys = set(step) - STEP_KEYS
            if unknown_keys:
                raise CatalogError(f"{step_where}: unknown keys {sorted(unknown_keys)}")
            if step.get("exercise") not in exercise_slugs:
                raise CatalogError(f"{step_where}: unknown exercise slug {step.get('exercise')!r}")
            _positive_or_none(step.get("hold_seconds"), step_where, "hold_seconds", 600)
            _positive_or_none(step.get("repetitions"), step_where, "repetitions", 100)
            if "sides" in step:
                _choice(step["sides"], SIDES, step_where, "sides")
            if len(step.get("note", "")) > 200:
                raise CatalogError(f"{step_where}: note longer than 200 characters")

    for program in programs:
        where = f"program {program['slug']!r}"
        _require(program, where, "name", "summary", "goal", "weeks", "days")
        _choice(program["goal"], GOALS, where, "goal")
        _positive_or_none(program["weeks"], where, "weeks", 52)
        if len(program["days"]) != program["weeks"]:
            raise CatalogError(f"{where}: {program['weeks']} weeks but {len(program['days'])} rows of days")
        for week, days in enumerate(program["days"], start=1):
            if len(days) != 7:
                raise CatalogError(f"{where} week {week}: {len(days)} days instead of 7")
            for day, slug in enumerate(days, start=1):
                if slug != REST and slug not in routine_slugs:
                    raise CatalogError(f"{where} week {week} day {day}: unknown routine slug {slug!r}")
                if slug in advanced_routines:
                    raise CatalogError(f"{where} week {week} day {day}: advanced routine {slug!r} in a program")


def _upsert(model, slug, values):
    """Create or update the row with this slug; save only when something differs.

    Fields the model does not have yet are left out: an early data migration runs with
    the historical model, and a later one reloads the file once the fields exist.
    """
    fields = {field.name for field in model._meta.get_fields()}
    values = {field: value for field, value in values.items() if field in fields}
    obj = model.objects.filter(slug=slug).first()
    if obj is None:
        return model.objects.create(slug=slug, **values)
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
    return obj


def load_catalog(apps, schema_editor=None, *, path=None, data=None):
    """Upsert the catalog by slug. Usable as a RunPython forward function."""
    Muscle = apps.get_model("routines", "Muscle")
    Exercise = apps.get_model("routines", "Exercise")
    Routine = apps.get_model("routines", "Routine")
    RoutineStep = apps.get_model("routines", "RoutineStep")
    Program = apps.get_model("routines", "Program")
    ProgramDay = apps.get_model("routines", "ProgramDay")

    if data is None:
        data = read_catalog(path)
    validate_catalog(
        data,
        known_muscles=Muscle.objects.values_list("slug", flat=True),
        known_exercises=Exercise.objects.values_list("slug", flat=True),
        known_routines=Routine.objects.values_list("slug", flat=True),
    )

    for position, entry in enumerate(data.get("muscles", []), start=1):
        _upsert(
            Muscle,
            entry["slug"],
            {
                "name": entry["name"],
                "chain": entry["chain"],
                "summary": entry["summary"].strip(),
                "location": entry["location"].strip(),
                "symptoms": entry["symptoms"].strip(),
                "posture": entry["posture"].strip(),
                "order": entry.get("order", position),
            },
        )
    muscles = {muscle.slug: muscle for muscle in Muscle.objects.all()}

    for entry in data.get("exercises", []):
        exercise = _upsert(
            Exercise,
            entry["slug"],
            {
                "name": entry["name"],
                "kind": entry["kind"],
                "summary": entry.get("summary", "").strip(),
                "equipment": entry.get("equipment", "").strip(),
                "instructions": "\n".join(line.strip() for line in entry["instructions"].splitlines() if line.strip()),
                "caution": entry["caution"].strip(),
                "hold_seconds": entry.get("hold_seconds"),
                "repetitions": entry.get("repetitions", 1),
                "sides": entry.get("sides", "both"),
                "first_side": entry.get("first_side", "right"),
                "level": entry["level"],
                "avoid_with": {
                    slug: entry["avoid_with"][slug].strip() for slug in CONDITIONS if slug in entry["avoid_with"]
                },
                "easier": entry["easier"].strip(),
                "harder": entry["harder"].strip(),
            },
        )
        wanted = {muscles[slug].pk for slug in entry["muscles"]}
        if set(exercise.muscles.values_list("pk", flat=True)) != wanted:
            exercise.muscles.set(wanted)
    exercises = {exercise.slug: exercise for exercise in Exercise.objects.all()}

    for position, entry in enumerate(data.get("routines", []), start=1):
        routine = _upsert(
            Routine,
            entry["slug"],
            {
                "name": entry["name"],
                "summary": entry["summary"].strip(),
                "chain": entry["chain"],
                "level": entry.get("level", "beginner"),
                "order": entry.get("order", position),
            },
        )
        wanted_steps = [
            (
                order,
                exercises[step["exercise"]].pk,
                step.get("hold_seconds"),
                step.get("repetitions"),
                step.get("sides", ""),
                step.get("note", ""),
            )
            for order, step in enumerate(entry["steps"], start=1)
        ]
        current_steps = list(
            RoutineStep.objects.filter(routine=routine)
            .order_by("order", "pk")
            .values_list("order", "exercise_id", "hold_seconds", "repetitions", "sides", "note")
        )
        if current_steps != wanted_steps:
            RoutineStep.objects.filter(routine=routine).delete()
            RoutineStep.objects.bulk_create(
                RoutineStep(
                    routine=routine,
                    order=order,
                    exercise_id=exercise_id,
                    hold_seconds=hold_seconds,
                    repetitions=repetitions,
                    sides=sides,
                    note=note,
                )
                for order, exercise_id, hold_seconds, repetitions, sides, note in wanted_steps
            )
    routines = {routine.slug: routine for routine in Routine.objects.all()}

    for entry in data.get("programs", []):
        program = _upsert(
            Program,
            entry["slug"],
            {
                "name": entry["name"],
                "summary": entry["summary"].strip(),
                "goal": entry["goal"],
                "weeks": entry["weeks"],
            },
        )
        wanted_days = {
            (week, day): (None if slug == REST else routines[slug].pk)
            for week, days in enumerate(entry["days"], start=1)
            for day, slug in enumerate(days, start=1)
        }
        current_days = {(d.week, d.day): d for d in ProgramDay.objects.filter(program=program)}
        for key, current in current_days.items():
            if key not in wanted_days:
                current.delete()
        for (week, day), routine_id in wanted_days.items():
            current = current_days.get((week, day))
            if current is None:
                ProgramDay.objects.create(program=program, week=week, day=day, routine_id=routine_id)
            elif current.routine_id != routine_id:
                current.routine_id = routine_id
                current.save(update_fields=["routine"])


def unload_catalog(apps, schema_editor=None):
    """Reverse of the data migration: keep the rows (users' logs may point at them)."""
