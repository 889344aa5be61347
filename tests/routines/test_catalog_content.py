"""The seeded catalog and reminder content, as loaded by the data migrations."""

import re
from collections import Counter

import pytest
from django.apps import apps

from routines.models import Exercise, Kind, Muscle, Program, ProgramDay, Routine, RoutineStep, Sides
from routines.seed import CatalogError, load_catalog, read_catalog
from tracker.models import ContentItem, ContentKind
from tracker.seed import load_content

pytestmark = pytest.mark.django_db

EXPECTED_MUSCLES = {
    "gluteus-medius": ("Gluteus medius", "posterior"),
    "gluteus-minimus": ("Gluteus minimus", "posterior"),
    "piriformis": ("Piriformis", "posterior"),
    "tensor-fasciae-latae": ("Tensor fasciae latae (TFL)", "anterior"),
    "iliacus": ("Iliacus", "anterior"),
    "psoas": ("Psoas major", "anterior"),
    "quadratus-lumborum": ("Quadratus lumborum (QL)", "both"),
}

REQUIRED_ROUTINES = {
    "posterior-chain-release": "posterior",
    "front-hip-release": "anterior",
    "anterior-chain-release": "anterior",
    "full-chain-reset": "both",
    "ql-release": "both",
    "walking-relief": "both",
    "hip-strength-basics": "both",
    "core-and-glute-strength": "both",
}


def catalog_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Muscle, Exercise, Exercise.muscles.through, Routine, RoutineStep, Program, ProgramDay)
    }


def test_the_seven_muscles_are_seeded_with_their_names_chains_and_order():
    muscles = list(Muscle.objects.all())
    assert {m.slug: (m.name, m.chain) for m in muscles} == EXPECTED_MUSCLES
    assert [m.order for m in muscles] == list(range(1, 8))
    for muscle in muscles:
        assert muscle.summary and muscle.location and muscle.symptoms and muscle.posture, muscle.slug


def test_every_muscle_has_two_stretches_and_a_massage():
    for muscle in Muscle.objects.all():
        kinds = Counter(muscle.exercises.values_list("kind", flat=True))
        assert kinds[Kind.STRETCH] >= 2, muscle.slug
        assert kinds[Kind.MASSAGE] >= 1, muscle.slug


def test_at_least_six_strength_exercises_cover_both_chains():
    strength = Exercise.objects.filter(kind=Kind.STRENGTH).prefetch_related("muscles")
    assert strength.count() >= 6
    chains = {muscle.chain for exercise in strength for muscle in exercise.muscles.all()}
    assert {"posterior", "anterior", "both"} <= chains


def test_every_exercise_reads_like_a_handout_with_a_valid_dose():
    for exercise in Exercise.objects.prefetch_related("muscles"):
        assert 3 <= len(exercise.steps) <= 8, exercise.slug
        assert exercise.caution.strip(), exercise.slug
        assert exercise.summary.strip(), exercise.slug
        assert exercise.muscles.exists(), exercise.slug
        assert exercise.sides in Sides.values, exercise.slug
        assert 1 <= exercise.repetitions <= 100, exercise.slug
        assert exercise.hold_seconds is None or 1 <= exercise.hold_seconds <= 600, exercise.slug
        if exercise.kind in (Kind.STRETCH, Kind.MASSAGE):
            assert exercise.hold_seconds, f"{exercise.slug}: stretches and self-massage are timed"


def test_massage_near_the_front_of_the_hip_warns_about_the_femoral_artery_and_nerve():
    for slug in ("psoas-release", "iliacus-release", "tfl-ball-release"):
        caution = Exercise.objects.get(slug=slug).caution.lower()
        assert "femoral artery" in caution and "nerve" in caution, slug


def test_required_routines_exist_with_their_chains():
    chains = dict(Routine.objects.filter(slug__in=REQUIRED_ROUTINES).values_list("slug", "chain"))
    assert chains == REQUIRED_ROUTINES


def test_each_chain_has_a_routine():
    assert set(Routine.objects.values_list("chain", flat=True)) == {"posterior", "anterior", "both"}


def test_walking_relief_takes_at_most_ten_minutes():
    routine = Routine.objects.with_steps().get(slug="walking-relief")
    assert routine.estimated_minutes <= 10


def test_ql_release_massages_the_ql_then_stretches_it():
    steps = list(Routine.objects.with_steps().get(slug="ql-release").steps.all())
    assert steps[0].exercise.kind == Kind.MASSAGE
    assert any(s.exercise.kind == Kind.STRETCH for s in steps[1:])
    assert all("quadratus-lumborum" in [m.slug for m in s.exercise.muscles.all()] for s in steps)


def test_release_routines_start_with_self_massage():
    for routine in Routine.objects.with_steps().filter(slug__contains="release"):
        steps = list(routine.steps.all())
        assert steps, routine.slug
        assert steps[0].exercise.kind == Kind.MASSAGE, routine.slug
        kinds = [s.exercise.kind for s in steps]
        assert Kind.STRETCH in kinds, routine.slug


def test_strength_routines_contain_strength_exercises():
    for slug in ("hip-strength-basics", "core-and-glute-strength"):
        kinds = Counter(RoutineStep.objects.filter(routine__slug=slug).values_list("exercise__kind", flat=True))
        assert kinds[Kind.STRENGTH] >= 3, slug


@pytest.mark.parametrize("slug, goal", [("flexible-back", "flexibility"), ("strong-back", "strength")])
def test_programs_cover_every_day_of_at_least_four_weeks(slug, goal):
    program = Program.objects.get(slug=slug)
    assert program.goal == goal
    assert program.weeks >= 4
    days = set(program.days.values_list("week", "day"))
    assert days == {(week, day) for week in range(1, program.weeks + 1) for day in range(1, 8)}
    for week in range(1, program.weeks + 1):
        week_days = program.days.filter(week=week)
        assert week_days.filter(routine__isnull=True).exists(), f"{slug} week {week} has no rest day"
        assert week_days.filter(routine__isnull=False).exists(), f"{slug} week {week} has no routine"


def test_strength_program_uses_the_strength_routines():
    used = set(Program.objects.get(slug="strong-back").days.values_list("routine__slug", flat=True))
    assert {"hip-strength-basics", "core-and-glute-strength"} <= used


def test_every_slug_the_catalog_file_references_exists():
    data = read_catalog()
    exercises = set(Exercise.objects.values_list("slug", flat=True))
    routines = set(Routine.objects.values_list("slug", flat=True))
    muscles = set(Muscle.objects.values_list("slug", flat=True))
    for exercise in data["exercises"]:
        assert set(exercise["muscles"]) <= muscles, exercise["slug"]
    for routine in data["routines"]:
        assert {step["exercise"] for step in routine["steps"]} <= exercises, routine["slug"]
    for program in data["programs"]:
        assert {slug for week in program["days"] for slug in week} - {"rest"} <= routines, program["slug"]


def test_loading_the_catalog_again_changes_nothing():
    before = catalog_counts()
    steps_before = list(RoutineStep.objects.values_list("pk", "routine_id", "exercise_id", "order"))
    load_catalog(apps)
    assert catalog_counts() == before
    assert list(RoutineStep.objects.values_list("pk", "routine_id", "exercise_id", "order")) == steps_before


def test_loading_the_catalog_restores_edited_steps_and_days():
    routine = Routine.objects.get(slug="ql-release")
    expected = list(routine.steps.values_list("exercise__slug", flat=True))
    routine.steps.last().delete()
    program = Program.objects.get(slug="flexible-back")
    program.days.filter(week=1, day=1).update(routine=None)
    load_catalog(apps)
    assert list(routine.steps.values_list("exercise__slug", flat=True)) == expected
    assert program.days.get(week=1, day=1).routine.slug == "daily-walk"


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda data: data["exercises"][0]["muscles"].append("hamstrings"), "unknown muscle slug 'hamstrings'"),
        (lambda data: data["routines"][0]["steps"].append({"exercise": "cartwheel"}), "unknown exercise slug"),
        (lambda data: data["programs"][0]["days"][0].__setitem__(0, "nap"), "unknown routine slug 'nap'"),
    ],
)
def test_an_unknown_slug_in_the_catalog_is_refused_before_anything_is_written(mutate, message):
    data = read_catalog()
    mutate(data)
    before = catalog_counts()
    with pytest.raises(CatalogError, match=message):
        load_catalog(apps, data=data)
    assert catalog_counts() == before


def test_reminder_content_has_enough_active_items_of_each_kind():
    active = ContentItem.objects.active()
    assert active.count() >= 20
    kinds = Counter(active.values_list("kind", flat=True))
    for kind in ContentKind.values:
        assert kinds[kind] >= 5, kind


def test_reminder_content_items_are_short_and_link_only_to_absolute_urls():
    for item in ContentItem.objects.all():
        assert len(item.title) <= 150
        sentences = re.findall(r"[.!?](?:\)|\s|$)", item.body)
        assert 2 <= len(sentences) <= 4, item.title
        assert item.link == "" or item.link.startswith("https://"), item.title


def test_testimonials_are_labelled_as_example_stories_before_their_text():
    testimonials = ContentItem.objects.filter(kind=ContentKind.TESTIMONIAL)
    assert testimonials.exists()
    for item in testimonials:
        assert item.title.startswith("Example story: "), item.title
        assert item.body.startswith("An example story, made up from common experiences; not a real person."), item.title


def test_loading_the_content_again_changes_nothing():
    before = list(ContentItem.objects.values_list("pk", "kind", "title", "body", "order"))
    load_content(apps)
    assert list(ContentItem.objects.values_list("pk", "kind", "title", "body", "order")) == before
