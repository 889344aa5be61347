"""The content a physiotherapist would check (PRODUCT.md §4.1 content rules), as seeded.

Each test reads what the data migrations loaded, or catalog.toml itself where the question is
how the file is written (an explicit, possibly empty, avoid_with).
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from routines.models import Exercise, ExerciseLevel, Kind, Muscle, Program, Routine, RoutineStep, Sides
from routines.safety import warning_signs
from routines.safety.conditions import CONDITIONS
from routines.seed import CatalogError, load_catalog, read_catalog
from tracker.models import ContentItem, ContentKind

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ADVANCED_SLUGS = {"psoas-release", "iliacus-release"}
# Where the outer hip is pressed, or stretched across the body: gluteal tendinopathy gets worse.
OUTER_HIP_PRESSED_OR_CROSSED = {
    "standing-crossover-hip-lean",
    "crossed-leg-knee-drop",
    "knee-to-opposite-shoulder",
    "seated-cross-knee-hug",
    "standing-tfl-stretch",
    "side-lying-tfl-stretch",
    "gluteus-medius-ball-release",
    "gluteus-minimus-ball-release",
    "clamshell",
    "side-lying-hip-abduction",
}
# What the review found explaining away symptoms that need assessment, or dressing up made-up stories.
FLAGGED_PHRASES = [
    "mistaken for sciatica",
    "squeezes the sciatic nerve",
    "eases when you sit and returns",
    "coughing or sneezing",
    "composite story",
    "Maria",
    "Tom did",
    "Aisha",
    "David had",
    "Lena",
    "Sam's",
]
THEN_JOINING_ACTIONS = re.compile(r"\bthen\b", re.IGNORECASE)


def exercises():
    return list(Exercise.objects.prefetch_related("muscles"))


# --- Every exercise ------------------------------------------------------------------------


def test_every_exercise_states_its_dose_caution_variants_level_and_avoid_with_in_the_file():
    for entry in read_catalog()["exercises"]:
        slug = entry["slug"]
        assert "hold_seconds" in entry or "repetitions" in entry, f"{slug}: no dose"
        for key in ("caution", "easier", "harder", "level"):
            assert str(entry.get(key, "")).strip(), f"{slug}: no {key}"
        assert isinstance(entry.get("avoid_with"), dict), f"{slug}: avoid_with not given explicitly"


def test_every_seeded_exercise_has_a_dose_caution_easier_harder_and_level():
    for exercise in exercises():
        assert exercise.repetitions >= 1 and (exercise.hold_seconds or exercise.repetitions > 1), exercise.slug
        assert exercise.caution.strip() and exercise.easier.strip() and exercise.harder.strip(), exercise.slug
        assert exercise.level in ExerciseLevel.values, exercise.slug
        assert set(exercise.avoid_with) <= set(CONDITIONS), exercise.slug


def test_no_instruction_line_joins_two_actions_with_then():
    offending = [(e.slug, line) for e in exercises() for line in e.steps if THEN_JOINING_ACTIONS.search(line)]
    assert offending == []


def test_only_the_psoas_and_iliacus_fingertip_releases_are_advanced():
    advanced = set(Exercise.objects.filter(level=ExerciseLevel.ADVANCED).values_list("slug", flat=True))
    assert advanced == ADVANCED_SLUGS


def test_the_fingertip_releases_warn_about_blood_thinners_aneurysm_and_bowel_or_kidney_disease():
    for slug in ADVANCED_SLUGS:
        caution = Exercise.objects.get(slug=slug).caution.lower()
        for words in ("blood thinners", "aneurysm", "bowel or kidney disease", "femoral artery"):
            assert words in caution, (slug, words)


def test_the_psoas_release_starts_away_from_the_midline_where_the_aorta_runs():
    psoas = Exercise.objects.get(slug="psoas-release")
    assert (
        "halfway between your belly button and the bony point at the front of your right pelvis" in psoas.instructions
    )
    assert "aorta" in psoas.caution
    assert "three finger-widths to the right of your belly button" not in psoas.instructions


def test_where_the_outer_hip_is_pressed_or_crossed_the_caution_names_gluteal_tendinopathy():
    for slug in OUTER_HIP_PRESSED_OR_CROSSED:
        assert "gluteal tendinopathy" in Exercise.objects.get(slug=slug).caution, slug


def test_the_clamshell_is_not_credited_to_the_gluteus_minimus_which_turns_the_thigh_inward():
    muscles = set(Exercise.objects.get(slug="clamshell").muscles.values_list("slug", flat=True))
    assert "gluteus-minimus" not in muscles
    assert "gluteus-medius" in muscles


def test_the_hip_hitch_names_the_standing_legs_hip_and_the_free_sides_waist():
    hitch = Exercise.objects.get(slug="standing-hip-hitch")
    assert "the outer hip of your right leg and the left side of your waist" in hitch.instructions
    assert "right hip and waist" not in hitch.instructions


@pytest.mark.parametrize("slug", sorted(CONDITIONS))
def test_every_condition_leaves_something_out(slug):
    assert any(slug in exercise.avoid_with for exercise in exercises()), slug


def test_a_hip_replacement_leaves_out_the_positions_that_cross_the_midline_or_bend_the_hip_deeply():
    flagged = {e.slug for e in exercises() if "hip-replacement" in e.avoid_with}
    assert {
        "standing-crossover-hip-lean",
        "crossed-leg-knee-drop",
        "knee-to-opposite-shoulder",
        "figure-four-stretch",
        "seated-figure-four-stretch",
        "seated-cross-knee-hug",
        "standing-tfl-stretch",
        "side-lying-tfl-stretch",
    } <= flagged


def test_an_exercise_done_on_each_side_names_its_first_side_first_in_the_instructions():
    for exercise in exercises():
        if exercise.sides != Sides.BOTH:
            continue
        first_named = re.search(r"\b(left|right)\b", exercise.instructions)
        assert first_named is not None, exercise.slug
        assert first_named.group(1) == exercise.first_side, exercise.slug


# --- Routines and programs -------------------------------------------------------------------


def test_no_advanced_exercise_sits_in_a_routine_below_level_advanced():
    for routine in Routine.objects.exclude(level="advanced").prefetch_related("steps__exercise"):
        levels = {step.exercise.slug: step.exercise.level for step in routine.steps.all()}
        assert ExerciseLevel.ADVANCED not in levels.values(), (routine.slug, levels)


def test_no_program_holds_an_advanced_exercise_or_routine():
    for program in Program.objects.prefetch_related("days__routine__steps__exercise"):
        for day in program.days.all():
            if day.routine is None:
                continue
            assert day.routine.level != "advanced", (program.slug, day.week, day.day)
            assert all(s.exercise.level != ExerciseLevel.ADVANCED for s in day.routine.steps.all()), program.slug


def test_every_week_of_every_program_has_strengthening_and_a_walk():
    for program in Program.objects.prefetch_related("days__routine__steps__exercise"):
        for week in range(1, program.weeks + 1):
            kinds = {
                step.exercise.kind
                for day in program.days.all()
                if day.week == week and day.routine is not None
                for step in day.routine.steps.all()
            }
            assert Kind.STRENGTH in kinds, (program.slug, week)
            assert Kind.ACTIVITY in kinds, (program.slug, week)


def test_the_catalog_refuses_an_advanced_exercise_in_a_beginner_routine_before_writing_anything():
    data = read_catalog()
    beginner = next(r for r in data["routines"] if r["slug"] == "posterior-chain-release")
    beginner["steps"].append({"exercise": "psoas-release"})
    with pytest.raises(CatalogError, match="advanced exercises"):
        load_catalog(apps, data=data)
    assert not Routine.objects.get(slug="posterior-chain-release").steps.filter(exercise__slug="psoas-release").exists()


def test_the_catalog_refuses_an_unknown_condition_in_avoid_with():
    data = read_catalog()
    data["exercises"][0]["avoid_with"] = {"bad-knees": "Not a condition of the screen."}
    with pytest.raises(CatalogError, match="avoid_with condition"):
        load_catalog(apps, data=data)


# --- Texts -------------------------------------------------------------------------------


def texts():
    for muscle in Muscle.objects.all():
        for field in ("summary", "location", "symptoms", "posture"):
            yield f"muscle {muscle.slug} {field}", getattr(muscle, field)
    for item in ContentItem.objects.all():
        yield f"content {item.title}", f"{item.title} {item.body}"


def test_muscle_texts_and_content_items_are_free_of_the_phrases_the_review_flagged():
    found = [(where, phrase) for where, text in texts() for phrase in FLAGGED_PHRASES if phrase in text]
    assert found == []


def test_muscle_texts_send_leg_symptoms_to_assessment():
    for slug in ("piriformis", "gluteus-minimus"):
        symptoms = Muscle.objects.get(slug=slug).symptoms
        assert "doctor or physiotherapist" in symptoms, slug


def test_at_least_three_resources_link_to_public_health_pages_over_https():
    links = list(
        ContentItem.objects.active().filter(kind=ContentKind.RESOURCE).exclude(link="").values_list("link", flat=True)
    )
    assert len(links) >= 3
    assert all(link.startswith("https://") for link in links)
    hosts = {link.split("/")[2] for link in links}
    assert {"www.nhs.uk", "www.nice.org.uk"} <= hosts


# --- One source of warning signs ---------------------------------------------------------------

# Words that only a statement of a warning sign uses. Any of them outside
# routines/safety/warning_signs.py means a page, an email or a text wrote its own list.
SIGN_WORDS = re.compile(
    r"bladder|bowel control|saddle|erection|both legs|wakes? you at night|fever|weight loss|"
    r"after a fall|foot drop|shoulder blades|injected drug",
    re.IGNORECASE,
)


def project_texts():
    for folder in ("backcare", "routines", "tracker"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".html", ".txt"} and "templates" in path.parts:
                yield path.relative_to(ROOT), path.read_text()
    for path in (ROOT / "routines" / "catalog.toml", ROOT / "tracker" / "content.toml"):
        yield path.relative_to(ROOT), path.read_text()
    for path in (ROOT / "routines" / "selfcheck.py", ROOT / "routines" / "safety" / "flare.py"):
        yield path.relative_to(ROOT), path.read_text()


def test_no_template_email_or_seeded_text_states_warning_signs_in_its_own_words():
    found = [(str(path), match.group(0)) for path, text in project_texts() for match in SIGN_WORDS.finditer(text)]
    assert found == []


def test_the_sign_words_the_search_looks_for_are_in_the_one_source():
    source = " ".join(sign for tier in warning_signs.tiers() for sign in tier.signs)
    for word in ("bladder", "saddle", "both legs", "erection", "fever", "after a fall", "shoulder blades"):
        assert word in source, word


def test_the_admin_cannot_put_an_advanced_technique_into_a_beginner_routine():
    step = RoutineStep(
        routine=Routine.objects.get(slug="posterior-chain-release"), exercise=Exercise.objects.get(slug="psoas-release")
    )
    with pytest.raises(ValidationError, match="advanced"):
        step.full_clean()
    RoutineStep(routine=Routine.objects.get(slug="anterior-chain-release"), exercise=step.exercise).full_clean()
