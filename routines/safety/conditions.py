"""The health screen's conditions: what a person can tell us, and the words used to say why
an exercise is left out for them. ``avoid_with`` in ``catalog.toml`` names these slugs."""

from django.core.exceptions import ValidationError

# slug -> (what the screen asks, the short name used in "left out because you told us about: ...")
CONDITIONS = {
    "hip-replacement": ("I have had a hip replacement (either side)", "a hip replacement"),
    "pregnancy": ("I am pregnant, or gave birth in the last 6 weeks", "pregnancy"),
    "osteoporosis": ("I have osteoporosis (thin, fragile bones)", "osteoporosis"),
    "blood-thinners": ("I take blood thinners (anticoagulants such as warfarin or apixaban)", "blood thinners"),
    "recent-surgery": (
        "I have had surgery on my abdomen, spine or hip in the last 6 months",
        "recent surgery",
    ),
    "abdominal-aortic-aneurysm": ("I have an abdominal aortic aneurysm", "an abdominal aortic aneurysm"),
    "hernia": ("I have a hernia (in the groin, the belly or at a scar)", "a hernia"),
}
ADVANCED = "advanced"
ADVANCED_REASON = "an advanced technique, shown only once you confirm a clinician has taught it to you"


def condition_choices() -> list[tuple[str, str]]:
    return [(slug, question) for slug, (question, _name) in CONDITIONS.items()]


def condition_name(slug: str) -> str:
    return ADVANCED_REASON if slug == ADVANCED else CONDITIONS[slug][1]


def ordered(slugs) -> list[str]:
    """The given condition slugs, once each, in the screen's order."""
    wanted = set(slugs)
    return [slug for slug in CONDITIONS if slug in wanted]


def validate_conditions(value) -> None:
    if not isinstance(value, list | tuple) or not all(isinstance(slug, str) for slug in value):
        raise ValidationError("Give a list of condition slugs.", code="invalid")
    unknown = sorted(set(value) - set(CONDITIONS))
    if unknown:
        raise ValidationError(
            "Unknown condition: %(unknown)s. Choose from %(known)s.",
            code="unknown",
            params={"unknown": ", ".join(unknown), "known": ", ".join(CONDITIONS)},
        )
