"""Where it hurts, on the body map (routines/bodymap.py): ``{% pain_picker form %}`` on the pain
check-in, ``{% pain_area_map by_area %}`` and ``{% relief_map by_muscle %}`` on the progress page."""

from django import template
from django.utils.safestring import mark_safe

from routines import bodymap
from routines.models import Muscle

from ..models import PainArea, PainSide

register = template.Library()

# Shading of the progress maps: the mean pain score of an area, the mean relief of a muscle.
PAIN_LEVELS = [(7, "pain-3"), (4, "pain-2"), (0, "pain-1")]
RELIEF_LEVELS = [(2.5, "relief-3"), (1, "relief-2"), (float("-inf"), "relief-1")]
PAIN_LEGEND = [("pain-1", "0–3"), ("pain-2", "4–6"), ("pain-3", "7–10")]
RELIEF_LEGEND = [
    ("relief-0", "no session"),
    ("relief-1", "under 1 point"),
    ("relief-2", "1–2.4"),
    ("relief-3", "2.5 or more"),
]


def drawn_sides(side: str) -> tuple[str, ...]:
    """The sides of the map an entry's side lights up: both, for both sides, the middle or unsaid."""
    return (side,) if side in (PainSide.LEFT, PainSide.RIGHT) else bodymap.SIDES


def _level(value, levels) -> str:
    return next(name for floor, name in levels if value >= floor)


@register.simple_tag
def pain_picker(form):
    """The areas of the check-in, every one on both sides, those already chosen marked."""
    areas = set(form["areas"].value() or [])
    picked = {(area, side) for area in areas for side in drawn_sides(form["side"].value() or "")}
    regions = bodymap.area_regions(
        dict(PainArea.choices), classes_for=lambda slug, side: ["is-picked"] if (slug, side) in picked else []
    )
    return mark_safe(  # noqa: S308 - bodymap escapes every text it writes
        bodymap.svg(
            element_id="pain-map",
            title="Where does it hurt? Tap the areas",
            description="Waist to knees, front and back. Tap an area to mark it, tap again to clear it; "
            "the list below says the same.",
            areas=regions,
            layout="hips",
        )
    )


@register.simple_tag
def pain_area_map(by_area):
    """The areas of ``pain.by_area`` only, shaded by their mean score."""
    labels = dict(PainArea.choices)
    shade = {}
    for row in by_area:
        for side in drawn_sides(row["side"]):
            shade[(row["area"], side)] = max(shade.get((row["area"], side), 0), row["average"])
    regions = [
        bodymap.Region(
            slug=area,
            side=side,
            title=f"{labels[area]}, {side} side: average {average}",
            classes=(_level(average, PAIN_LEVELS),),
        )
        for (area, side), average in shade.items()
    ]
    return mark_safe(  # noqa: S308 - bodymap escapes every text it writes
        bodymap.svg(
            element_id="pain-area-map",
            title="Where it hurt",
            description="Front and back: the areas named by your pain check-ins in this range, "
            "darker for a higher average score. The table beside it gives the figures.",
            areas=regions,
        )
    )


@register.simple_tag
def relief_map(by_muscle):
    """The seven muscles shaded by the mean relief of the sessions whose routines work them."""
    relief = {row["muscle"]: row["average_drop"] for row in by_muscle}

    def classes_for(slug):
        drop = relief.get(slug)
        return ["relief-0"] if drop is None else [_level(drop, RELIEF_LEVELS)]

    return mark_safe(  # noqa: S308 - bodymap escapes every text it writes
        bodymap.svg(
            element_id="relief-map",
            title="Relief per muscle",
            description="Front and back: each muscle shaded by the average drop in pain over the sessions "
            "that worked it in this range, darker for more relief. The table beside it gives the figures.",
            muscles=bodymap.muscle_regions(Muscle.objects.all(), link=True, classes_for=classes_for),
        )
    )


@register.simple_tag
def map_legend(kind):
    return {"pain": PAIN_LEGEND, "relief": RELIEF_LEGEND}[kind]
