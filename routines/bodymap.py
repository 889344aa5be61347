"""The body map (PRODUCT.md §4.2): one drawing, front and back, in two layers.

- the **muscles** layer: the seven muscles as regions on the left and the right, each with a
  title and a description for screen readers; a page marks some of them (a muscle's own page,
  an exercise's targets, a self-check's chain) or shades them (relief per muscle);
- the **areas** layer: where a pain entry says it hurts (the slugs of tracker's ``PainArea``),
  tapped on the pain check-in and shaded on the progress page.

The drawing is data: shapes are given for the person's right side as (outward distance from the
midline, height) and mirrored, so left and right always match. Pages inline the markup (regions
are links or tap targets, styled by ``routines/bodymap.css``, which follows dark mode); the
``figure`` of a muscle is the same markup as a standalone file with that stylesheet inside,
written by ``manage.py draw_figures``. No inline style attribute is ever written (the site's
Content-Security-Policy refuses them): every look is a class.
"""

from dataclasses import dataclass
from html import escape

VIEW_WIDTH = 200
VIEW_HEIGHT = 440
GAP = 30
CENTRE = VIEW_WIDTH / 2
VIEWS = ("front", "back")
SIDES = ("right", "left")
NAMESPACE = ' xmlns="http://www.w3.org/2000/svg"'


@dataclass(frozen=True)
class Layout:
    """Where each view's origin sits, the size of the whole, and the height of the labels in a view."""

    origins: dict
    width: int
    height: int
    label_y: int


LAYOUTS = {
    # The whole body, front and back side by side.
    "whole": Layout({"front": (0, 0), "back": (VIEW_WIDTH + GAP, 0)}, 2 * VIEW_WIDTH + GAP, VIEW_HEIGHT, 438),
    # Waist to knee only, where every pain area lies: larger on a phone, for tapping.
    "hips": Layout({"front": (-25, -138), "back": (135, -138)}, 310, 214, 348),
}

# The right half of the outline, from the neck down the outside of the body, round the foot and up
# the inside of the leg to the crotch: (outward distance from the midline, height).
OUTLINE = [
    (11, 58),
    (13, 68),
    (34, 76),
    (48, 86),
    (47, 112),
    (42, 140),
    (35, 176),
    (40, 200),
    (48, 228),
    (46, 262),
    (38, 300),
    (31, 334),
    (32, 360),
    (21, 400),
    (24, 418),
    (7, 420),
    (7, 400),
    (9, 362),
    (8, 334),
    (6, 290),
    (0, 258),
]
HEAD = (0, 34, 21, 25)  # centre dx, centre y, rx, ry
ARM = [(50, 90), (60, 170), (68, 246)]  # shoulder, elbow, hand
# The spine and the fold under the buttocks seen from behind; the groin folds and the navel in front.
BACK_LINES = '<path class="bm-line" d="M100 84V246M66 252Q83 262 100 250Q117 262 134 252"/>'
FRONT_LINES = (
    '<path class="bm-line" d="M66 204Q90 226 100 250Q110 226 134 204"/>'
    '<circle class="bm-line" cx="100" cy="186" r="2"/>'
)


@dataclass(frozen=True)
class Shape:
    """An ellipse on the person's right side; ``angle`` tips its top outward (degrees)."""

    dx: float
    y: float
    rx: float
    ry: float
    angle: float = 0


# Where each muscle shows, per view; a muscle deep under another is drawn where it lies, on top.
MUSCLE_SHAPES = {
    "gluteus-medius": {"back": Shape(33, 214, 15, 10, 20)},
    "gluteus-minimus": {"back": Shape(42, 232, 6, 9, -10), "front": Shape(45, 214, 4, 9, -12)},
    "piriformis": {"back": Shape(22, 240, 16, 4.5, -14)},
    "tensor-fasciae-latae": {"front": Shape(40, 234, 6, 15, -14)},
    "iliacus": {"front": Shape(25, 208, 9, 13, 28)},
    "psoas": {"front": Shape(13, 214, 5, 34, 14)},
    "quadratus-lumborum": {"back": Shape(16, 184, 8, 18, -6)},
}

# Where a person can say it hurts, per view (tracker.models.PainArea holds the slugs and labels).
AREA_SHAPES = {
    "lower-back": {"back": Shape(13, 190, 12, 20)},
    "side-of-waist": {"back": Shape(37, 170, 8, 18, -8), "front": Shape(37, 170, 8, 18, -8)},
    "buttock": {"back": Shape(24, 232, 20, 21)},
    "outer-hip": {"back": Shape(48, 232, 9, 17), "front": Shape(48, 232, 9, 17)},
    "front-of-hip": {"front": Shape(27, 214, 12, 11, 30)},
    "groin": {"front": Shape(11, 244, 8, 11, 30)},
    "back-of-thigh": {"back": Shape(21, 294, 13, 32)},
    "outer-thigh": {"back": Shape(41, 294, 7, 30, 10), "front": Shape(41, 294, 7, 30, 10)},
    "front-of-thigh": {"front": Shape(21, 294, 13, 32)},
}


@dataclass(frozen=True)
class MuscleInfo:
    """What the map says of a muscle, read from the catalog file where there is no database."""

    slug: str
    name: str
    location: str

    def get_absolute_url(self) -> str:
        return f"/routines/muscles/{self.slug}/"


@dataclass(frozen=True)
class Region:
    """One thing drawn on the map: its slug, whose side, the classes a page adds, and what it says."""

    slug: str
    side: str
    title: str
    description: str = ""
    href: str = ""
    classes: tuple[str, ...] = ()


def _x(view: str, side: str, dx: float) -> float:
    """Within a view. Front: the person faces us, so their right is on our left. Back: the opposite."""
    flip = -1 if (view == "front") == (side == "right") else 1
    return CENTRE + flip * dx


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _smooth(points: list[tuple[float, float]]) -> str:
    """A closed Catmull-Rom curve through ``points`` as cubic Bézier segments."""
    count = len(points)
    parts = [f"M{_n(points[0][0])} {_n(points[0][1])}"]
    for index in range(count):
        p0, p1, p2, p3 = (points[(index + offset) % count] for offset in (-1, 0, 1, 2))
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        parts.append(f"C{_n(c1[0])} {_n(c1[1])} {_n(c2[0])} {_n(c2[1])} {_n(p2[0])} {_n(p2[1])}")
    return "".join(parts) + "Z"


def _body(view: str, origin: tuple[int, int], label_y: int) -> str:
    right = [(_x(view, "right", dx), y) for dx, y in OUTLINE]
    left = [(_x(view, "left", dx), y) for dx, y in reversed(OUTLINE)]
    dx, y, rx, ry = HEAD
    arms = "".join(
        f'<polyline class="{cls}" points="{" ".join(f"{_n(_x(view, side, ax))},{ay}" for ax, ay in ARM)}"/>'
        for cls in ("bm-arm-edge", "bm-arm")
        for side in SIDES
    )
    lines = BACK_LINES if view == "back" else FRONT_LINES
    label = f'<text class="bm-label" x="{_n(CENTRE)}" y="{label_y}">{view.capitalize()}</text>'
    # Which side is which, where a reader looks for it: beside each view's feet.
    sides = "".join(
        f'<text class="bm-side" x="{_n(_x(view, side, 50))}" y="{label_y}">{side.capitalize()}</text>' for side in SIDES
    )
    return (
        f'<g transform="translate({origin[0]} {origin[1]})">{arms}'
        f'<path class="bm-body" d="{_smooth(right[:-1] + left[:-1])}"/>'
        f'<ellipse class="bm-body" cx="{_n(CENTRE + dx)}" cy="{y}" rx="{rx}" ry="{ry}"/>'
        f"{lines}{label}{sides}</g>"
    )


def _ellipse(view: str, side: str, shape: Shape, origin: tuple[int, int]) -> str:
    cx = _x(view, side, shape.dx)
    # Mirrored sides tip the other way, so "outward" stays outward.
    angle = shape.angle if cx > CENTRE else -shape.angle
    transform = f"translate({origin[0]} {origin[1]})"
    if shape.angle:
        transform += f" rotate({_n(angle)} {_n(cx)} {_n(shape.y)})"
    return (
        f'<ellipse cx="{_n(cx)}" cy="{_n(shape.y)}" rx="{_n(shape.rx)}" ry="{_n(shape.ry)}" transform="{transform}"/>'
    )


def _region(kind: str, region: Region, shapes: dict[str, Shape], origins: dict) -> str:
    classes = " ".join(["bm-region", f"bm-{kind}", *region.classes])
    ellipses = "".join(_ellipse(view, region.side, shape, origins[view]) for view, shape in shapes.items())
    text = f"<title>{escape(region.title)}</title>"
    if region.description:
        text += f"<desc>{escape(region.description)}</desc>"
    data = f'data-{kind}="{region.slug}" data-side="{region.side}"'
    if region.href:
        return f'<a class="{classes}" href="{escape(region.href)}" {data}>{text}{ellipses}</a>'
    return f'<g class="{classes}" {data}>{text}{ellipses}</g>'


def svg(
    *,
    element_id: str,
    title: str,
    description: str,
    muscles: list[Region] = (),
    areas: list[Region] = (),
    layout: str = "whole",
    classes: str = "",
    style: str = "",
) -> str:
    """The body map with the given regions drawn (a Region per muscle or area and side).

    ``style`` is a stylesheet to carry inside: for the standalone files only, as a page's
    Content-Security-Policy refuses an inline <style>.
    """
    frame = LAYOUTS[layout]
    origins = frame.origins
    bodies = "".join(_body(view, origins[view], frame.label_y) for view in VIEWS)
    # A muscle or area added in the admin has no shape drawn yet: the map leaves it out rather than fail.
    regions = "".join(
        _region("muscle", region, MUSCLE_SHAPES[region.slug], origins)
        for region in muscles
        if region.slug in MUSCLE_SHAPES
    )
    regions += "".join(
        _region("area", region, AREA_SHAPES[region.slug], origins) for region in areas if region.slug in AREA_SHAPES
    )
    # A standalone file names its namespace and carries its stylesheet; a page's inline map needs neither.
    inner_style = f"<style>{style}</style>" if style else ""
    return (
        f'<svg{NAMESPACE if style else ""} viewBox="0 0 {frame.width} {frame.height}"'
        f' class="body-map {layout} {classes}"'
        f' id="{element_id}" role="group" aria-labelledby="{element_id}-title" aria-describedby="{element_id}-desc">'
        f'<title id="{element_id}-title">{escape(title)}</title>'
        f'<desc id="{element_id}-desc">{escape(description)}</desc>'
        f"{inner_style}{bodies}{regions}</svg>"
    )


def muscle_regions(muscles, *, marked=frozenset(), link: bool = False, classes_for=None) -> list[Region]:
    """A region per muscle and side; ``marked`` slugs get ``is-marked``, ``classes_for(slug)`` more classes."""
    return [
        Region(
            slug=muscle.slug,
            side=side,
            title=f"{muscle.name}, {side} side" + (" (shown)" if muscle.slug in marked else ""),
            description=muscle.location,
            href=muscle.get_absolute_url() if link else "",
            classes=(("is-marked",) if muscle.slug in marked else ())
            + tuple(classes_for(muscle.slug) if classes_for else ()),
        )
        for muscle in muscles
        for side in SIDES
    ]


def area_regions(labels: dict[str, str], *, classes_for=None) -> list[Region]:
    """A region per area and side, ``labels`` mapping each area slug to its name."""
    return [
        Region(
            slug=slug,
            side=side,
            title=f"{label}, {side} side",
            classes=tuple(classes_for(slug, side) if classes_for else ()),
        )
        for slug, label in labels.items()
        for side in SIDES
    ]
