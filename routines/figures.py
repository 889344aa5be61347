"""Exercise and pelvis figures drawn from pose data (``routines/poses.toml``), in one style.

A figure is a jointed body: the trunk hangs from the pelvis, the head and the arms from the
shoulders, the legs from the hips. A key position gives each segment an absolute angle in
degrees (0 points down, 90 forward — to the right —, 180 up, -90 back), and one joint is pinned
to a point of the picture (a heel on the floor, the back of the shoulders on a mat); the
renderer works out the rest. So a new exercise needs numbers, not drawing, and every figure
shares the proportions, the strokes and the colours of ``routines/static/routines/figures.css``.

Each exercise gets two files, written by ``manage.py draw_figures`` and committed:
``<slug>.svg`` (start and end side by side, labelled; the ``figure`` of the exercise) and
``<slug>-motion.svg`` (one panel moving from the start to the end position and back, with
SMIL, which the guided player shows; it stands still for people who ask for reduced motion,
as the player then shows the first file instead). The segments are nested groups that rotate
at their joints, so the motion is the body moving, not one picture fading into another. When
the movement shows from another side than the start position (child's pose: kneeling and folded
forward from the side, the hands walking to one side from above), the pose data's ``end_view``
draws the end panel and the moving figure from that side, the start panel keeping its own.
"""

import functools
import math
import tomllib
from html import escape
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent
POSES_PATH = APP_DIR / "poses.toml"
STYLESHEET_PATH = APP_DIR / "static" / "routines" / "figures.css"
FIGURES_DIR = APP_DIR / "static" / "routines" / "figures"

PANEL_WIDTH = 240
CAPTION_HEIGHT = 22
FLOOR_Y = 206

# Segment lengths and stroke widths (figure units), and where each hangs from.
LENGTHS = {
    "trunk": 56,
    "head": 19,
    "upper_arm": 29,
    "forearm": 28,
    "thigh": 46,
    "shin": 44,
    "foot": 12,
}
WIDTHS = {"trunk": 19, "upper_arm": 9, "forearm": 8, "thigh": 12, "shin": 10, "foot": 7}
HEAD_RADIUS = 11.5
# How much wider than its fill the outline of a far limb is drawn (1.5 on each side).
FAR_EDGE = 3
# In the front view the hips and shoulders sit apart; in the side view they line up.
HIP_OFFSET = {"side": 0, "front": 8}
SHOULDER_OFFSET = {"side": 0, "front": 15}

SEGMENTS = [
    "trunk",
    "head",
    "near_upper_arm",
    "near_forearm",
    "far_upper_arm",
    "far_forearm",
    "near_thigh",
    "near_shin",
    "near_foot",
    "far_thigh",
    "far_shin",
    "far_foot",
]
STANDING = {
    "trunk": 180,
    "near_upper_arm": 5,
    "near_forearm": 10,
    "far_upper_arm": -5,
    "far_forearm": 0,
    "near_thigh": 0,
    "near_shin": 0,
    "far_thigh": 0,
    "far_shin": 0,
}

# Where a muscle shows on the body: (segment, fraction along it, offset across it, half-width,
# half-length). Offsets are toward the front in the side view and outward in the front view.
MARKS = {
    "side": {
        "gluteus-medius": ("trunk", 0.10, -4, 7, 9),
        "gluteus-minimus": ("trunk", 0.0, 1, 6, 6),
        "piriformis": ("trunk", 0.02, -8, 4, 7),
        "tensor-fasciae-latae": ("thigh", 0.16, 5, 3.5, 9),
        "iliacus": ("trunk", 0.10, 6, 4, 7),
        "psoas": ("trunk", 0.26, 5, 3.5, 12),
        "quadratus-lumborum": ("trunk", 0.30, -6, 4, 10),
    },
    "front": {
        "gluteus-medius": ("trunk", 0.08, 13, 5, 8),
        "gluteus-minimus": ("trunk", -0.02, 14, 4, 6),
        "piriformis": ("trunk", 0.0, 8, 7, 3.5),
        "tensor-fasciae-latae": ("thigh", 0.16, 5, 3.5, 9),
        "iliacus": ("trunk", 0.10, 6, 4, 7),
        "psoas": ("trunk", 0.26, 3.5, 3, 12),
        "quadratus-lumborum": ("trunk", 0.30, 6, 3, 10),
    },
}


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.rstrip("0").rstrip(".")


def _direction(angle: float) -> tuple[float, float]:
    radians = math.radians(angle)
    return math.sin(radians), math.cos(radians)


def load_poses(path: Path = POSES_PATH) -> dict:
    with path.open("rb") as file:
        return tomllib.load(file)


def _angles(position: dict) -> dict:
    angles = {**STANDING, **{k: v for k, v in position.items() if k in SEGMENTS}}
    angles.setdefault("head", angles["trunk"])
    for side in ("near", "far"):
        angles.setdefault(f"{side}_foot", angles[f"{side}_shin"] + 90)
    return angles


def joints(position: dict, view: str) -> dict[str, tuple[float, float]]:
    """Every joint of a key position, pelvis at the origin (before pinning)."""
    a = _angles(position)
    points = {"pelvis": (0.0, 0.0)}

    def step(start, segment, length_key):
        dx, dy = _direction(a[segment])
        length = LENGTHS[length_key] * position.get(f"{segment}_scale", 1)
        return start[0] + dx * length, start[1] + dy * length

    def across(start, angle, offset):
        dx, dy = _direction(angle)
        # Perpendicular to the trunk: the near side is to the viewer's left of an upright trunk.
        return start[0] + dy * offset, start[1] - dx * offset

    points["shoulder"] = step(points["pelvis"], "trunk", "trunk")
    points["head"] = step(points["shoulder"], "head", "head")
    for side, sign in (("near", 1), ("far", -1)):
        hip = across(points["pelvis"], a["trunk"], sign * HIP_OFFSET[view])
        shoulder = across(points["shoulder"], a["trunk"], sign * SHOULDER_OFFSET[view])
        points[f"{side}_hip"] = hip
        points[f"{side}_shoulder"] = shoulder
        points[f"{side}_elbow"] = step(shoulder, f"{side}_upper_arm", "upper_arm")
        points[f"{side}_hand"] = step(points[f"{side}_elbow"], f"{side}_forearm", "forearm")
        points[f"{side}_knee"] = step(hip, f"{side}_thigh", "thigh")
        points[f"{side}_ankle"] = step(points[f"{side}_knee"], f"{side}_shin", "shin")
        points[f"{side}_toe"] = step(points[f"{side}_ankle"], f"{side}_foot", "foot")
    return points


def pelvis_at(position: dict, view: str) -> tuple[float, float]:
    """Where the pelvis goes so that the pinned joint lands on its point."""
    joint, x, y = position["pin"]
    pinned = joints(position, view)[joint]
    return x - pinned[0], y - pinned[1]


# --- Drawing ----------------------------------------------------------------------------


class _Motion:
    """One panel's transforms: fixed for a still, animated between key positions for the motion."""

    def __init__(self, animate: bool, seconds: float, key_times: str):
        self.animate = animate
        self.seconds = seconds
        self.key_times = key_times

    def rotate(self, values: list[float]) -> str:
        if not self.animate or len(set(values)) == 1:
            return f'<g transform="rotate({_n(values[0])})">'
        sequence = ";".join(_n(value) for value in values)
        return (
            f'<g transform="rotate({_n(values[0])})"><animateTransform attributeName="transform" type="rotate"'
            f' values="{sequence}" keyTimes="{self.key_times}" dur="{self.seconds}s" repeatCount="indefinite"'
            ' calcMode="spline" keySplines="' + ";".join(["0.4 0 0.6 1"] * (len(values) - 1)) + '"/>'
        )

    def length(self, values: list[float], css: str, width: float) -> str:
        """A segment's line, foreshortened in some positions (a thigh seen from above)."""
        line = f'<line class="{css}" x2="0" y2="{_n(values[0])}" stroke-width="{width}"'
        if not self.animate or len(set(values)) == 1:
            return line + "/>"
        sequence = ";".join(_n(value) for value in values)
        return (
            line + f'><animate attributeName="y2" values="{sequence}" keyTimes="{self.key_times}"'
            f' dur="{self.seconds}s" repeatCount="indefinite" calcMode="spline" keySplines="'
            + ";".join(["0.4 0 0.6 1"] * (len(values) - 1))
            + '"/></line>'
        )

    def translate(self, values: list[tuple[float, float]]) -> str:
        if not self.animate or len(set(values)) == 1:
            return f'<g transform="translate({_n(values[0][0])} {_n(values[0][1])})">'
        sequence = ";".join(f"{_n(x)} {_n(y)}" for x, y in values)
        return (
            f'<g transform="translate({_n(values[0][0])} {_n(values[0][1])})"><animateTransform'
            f' attributeName="transform" type="translate" values="{sequence}" keyTimes="{self.key_times}"'
            f' dur="{self.seconds}s" repeatCount="indefinite" calcMode="spline" keySplines="'
            + ";".join(["0.4 0 0.6 1"] * (len(values) - 1))
            + '"/>'
        )


def _segment_line(name: str, css: str, length: float) -> str:
    return f'<line class="{css}" x2="0" y2="{_n(length)}" stroke-width="{WIDTHS[name]}"/>'


def _mark(view: str, muscle: str, segment: str, side_sign: int) -> str:
    """A muscle's mark in the local frame of ``segment`` (pointing down its own +y)."""
    place = MARKS[view].get(muscle)
    if place is None or place[0] != segment:
        return ""
    _, along, offset, half_width, half_length = place
    length = LENGTHS["trunk" if segment == "trunk" else segment]
    # Local +x is behind an upright trunk, and in front of a hanging thigh.
    if view == "side":
        x = -offset if segment == "trunk" else offset
    else:
        x = side_sign * offset if segment == "trunk" else -side_sign * offset
    return (
        f'<ellipse class="fig-mark" cx="{_n(x)}" cy="{_n(along * length)}"'
        f' rx="{_n(half_width)}" ry="{_n(half_length)}"><title>{escape(muscle.replace("-", " "))}</title></ellipse>'
    )


def _limb(side, parts, angles, positions, motion: _Motion, view: str, marks, edge: bool = False) -> str:
    """A chain of segments (thigh, shin, foot or upper arm, forearm), each rotating at its joint.
    ``edge`` draws the chain wider in the edge colour, to go under a far limb: its pale fill stays
    behind the body, and its outline stands out from the background in light and dark mode."""
    css = "fig-far-edge" if edge else "fig-near" if side == "near" else "fig-far"
    widen = FAR_EDGE if edge else 0
    side_sign = 1 if side == "near" else -1
    parent_values = [position["trunk"] for position in angles]
    opened = 0
    out = []
    for index, part in enumerate(parts):
        key = f"{side}_{part}"
        values = [position[key] - parent for position, parent in zip(angles, parent_values, strict=True)]
        # SVG turns clockwise: a segment at angle a (0 down, 90 forward) is rotate(-a) of "down".
        out.append(motion.rotate([-value for value in values]))
        opened += 1
        lengths = [LENGTHS[part] * position.get(f"{key}_scale", 1) for position in positions]
        out.append(motion.length(lengths, css, WIDTHS[part] + widen))
        if part == "thigh" and not edge:
            out.extend(_mark(view, muscle, "thigh", side_sign) for muscle in marks.get(side, ()))
        if index < len(parts) - 1:
            out.append(motion.translate([(0, length) for length in lengths]))
            opened += 1
        parent_values = [position[key] for position in angles]
    out.append("</g>" * opened)
    return "".join(out)


def _trunk(spine: dict | None) -> str:
    """The trunk; for the pelvis figures, a curved lower back, the buttock and the pelvis, tilted."""
    length = LENGTHS["trunk"]
    if not spine:
        return _segment_line("trunk", "fig-trunk", length)
    # In the trunk's frame +y runs up the back and +x points behind: a hollow lower back (an arch)
    # bends the spine forward, to -x. A tilt turns the pelvis clockwise on the picture: its rim
    # tips forward (anterior tilt) for a positive angle, back (posterior tilt) for a negative one.
    curve, tilt = spine["curve"], spine["tilt"]
    return (
        f'<path class="fig-trunk" d="M0 2Q{_n(-curve)} {_n(length * 0.3)} 0 {length}"'
        f' stroke-width="{WIDTHS["trunk"] + 4}"/>'
        f'<g transform="rotate({_n(tilt)})"><ellipse class="fig-body" cx="8" cy="-4" rx="12" ry="12"/>'
        '<path class="fig-mark" d="M-12 15L11 15L7 -7Q0 -12 -7 -7Z"><title>pelvis</title></path>'
        '<line class="fig-arrow" x1="0" y1="-20" x2="0" y2="32"/></g>'
    )


DEFAULT_ORDER = ("far_leg", "far_arm", "trunk", "near_leg", "near_arm")


def _body(positions: list[dict], view: str, motion: _Motion, marks: dict, spine=None, order=None) -> str:
    angles = [_angles(position) for position in positions]
    pelvis = [pelvis_at(position, view) for position in positions]
    hip = HIP_OFFSET[view]
    shoulder = SHOULDER_OFFSET[view]

    def at(x, y, inner):
        return f'<g transform="translate({_n(x)} {_n(y)})">{inner}</g>'

    def limb(side, parts):
        drawn = _limb(side, parts, angles, positions, motion, view, marks)
        return drawn if side == "near" else _limb(side, parts, angles, positions, motion, view, marks, True) + drawn

    legs = {side: limb(side, ["thigh", "shin", "foot"]) for side in ("near", "far")}
    arms = {side: limb(side, ["upper_arm", "forearm"]) for side in ("near", "far")}
    head_values = [-(position["head"] - position["trunk"]) for position in angles]
    head = motion.rotate(head_values) + f'<circle class="fig-head" cy="{_n(LENGTHS["head"])}" r="{HEAD_RADIUS}"/></g>'
    trunk_marks = "".join(
        _mark(view, muscle, "trunk", 1 if side == "near" else -1)
        for side, muscles in marks.items()
        for muscle in muscles
    )
    # A trunk seen end-on (someone lying down, seen from their feet) is foreshortened.
    lengths = [LENGTHS["trunk"] * position.get("trunk_scale", 1) for position in positions]

    def at_shoulders(offset, inner):
        return motion.translate([(offset, length) for length in lengths]) + inner + "</g>"

    trunk_line = motion.length(lengths, "fig-trunk", WIDTHS["trunk"]) if not spine else _trunk(spine)
    # In the front view the hips and shoulders sit apart (the near side on the viewer's left of
    # an upright trunk). Far limbs go behind the trunk and near limbs in front of it, unless the
    # pose says otherwise (legs under a body seen from above, legs before a body seen from the feet).
    layers = {
        "far_leg": at(-hip, 0, legs["far"]),
        "far_arm": at_shoulders(-shoulder, arms["far"]),
        "trunk": trunk_line + at_shoulders(0, head) + trunk_marks,
        "near_leg": at(hip, 0, legs["near"]),
        "near_arm": at_shoulders(shoulder, arms["near"]),
    }
    inner = "".join(layers[name] for name in order or DEFAULT_ORDER)
    trunk = motion.rotate([-position["trunk"] for position in angles]) + inner + "</g>"
    return motion.translate(pelvis) + trunk + "</g>"


# How high each prop reaches, so that the picture keeps it whole.
PROP_TOPS = {
    "chair": lambda prop: prop.get("seat", 150) - 48,
    "bed": lambda prop: prop["top"],
    "box": lambda prop: prop["top"],
    "step": lambda prop: prop["top"],
    "post": lambda prop: prop.get("top", 110),
    "mat-top": lambda prop: prop["top"],
}


def _extent(entry: dict, positions: list[dict]) -> tuple[float, float]:
    """The top and bottom of what a figure draws, so that its panels are no taller than the body
    in them (a person lying down makes a short picture at the same scale as one standing)."""
    ys = []
    for position in positions:
        _, py = pelvis_at(position, entry["view"])
        ys.extend(py + y for _, y in joints(position, entry["view"]).values())
    top, bottom = min(ys) - HEAD_RADIUS - 8, max(ys) + HEAD_RADIUS
    for prop in entry.get("props", []):
        if prop["kind"] in PROP_TOPS:
            top = min(top, PROP_TOPS[prop["kind"]](prop) - 6)
        if prop["kind"] == "mat-top":
            bottom = max(bottom, prop["bottom"] + 6)
        if prop["kind"] == "floor":
            bottom = max(bottom, FLOOR_Y + 6)
    if "arrow" in entry:
        top = min(top, entry["arrow"][1] - 8, entry["arrow"][3] - 8)
    return math.floor(top), math.ceil(bottom)


def _prop(prop: dict, top: float = 0) -> str:
    kind = prop["kind"]
    if kind == "floor":
        return f'<line class="fig-floor" x1="8" x2="{PANEL_WIDTH - 8}" y1="{FLOOR_Y}" y2="{FLOOR_Y}"/>'
    if kind == "mat":
        x0, x1 = prop.get("from", 20), prop.get("to", PANEL_WIDTH - 20)
        return f'<rect class="fig-prop" x="{x0}" y="{FLOOR_Y - 4}" width="{x1 - x0}" height="4" rx="2"/>'
    if kind == "wall":
        x = prop["x"]
        top = top + 6
        ticks = "".join(
            f'<line class="fig-floor" x1="{x}" y1="{y}" x2="{x + (8 if prop.get("behind") == "right" else -8)}"'
            f' y2="{y + 8}"/>'
            for y in range(int(top), FLOOR_Y, 16)
        )
        return f'<line class="fig-prop" x1="{x}" y1="{top}" x2="{x}" y2="{FLOOR_Y}"/>{ticks}'
    if kind == "chair":
        x, seat, width = prop["x"], prop.get("seat", 150), prop.get("width", 38)
        back = prop.get("back", "left")
        back_x = x if back == "left" else x + width
        legs = f"M{x + 3} {seat}V{FLOOR_Y}M{x + width - 3} {seat}V{FLOOR_Y}"
        back_path = f"M{back_x} {seat}V{seat - 48}" if back != "none" else ""
        return f'<path class="fig-prop" d="M{x} {seat}H{x + width}{legs}{back_path}"/>'
    if kind in ("bed", "box", "step"):
        x0, x1, top = prop["from"], prop["to"], prop["top"]
        return f'<rect class="fig-prop" x="{x0}" y="{top}" width="{x1 - x0}" height="{FLOOR_Y - top}" rx="3"/>'
    if kind == "mat-top":
        x0, x1, y0, y1 = prop["from"], prop["to"], prop["top"], prop["bottom"]
        return f'<rect class="fig-prop" x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="6"/>'
    if kind == "ball":
        return f'<circle class="fig-ball" cx="{prop["x"]}" cy="{prop["y"]}" r="{prop.get("r", 6.5)}"/>'
    if kind == "cushion":
        x = prop["x"]
        return f'<rect class="fig-ball" x="{x - 11}" y="{FLOOR_Y - 6}" width="22" height="6" rx="3"/>'
    if kind == "post":
        x, top = prop["x"], prop.get("top", 110)
        return f'<path class="fig-prop" d="M{x} {FLOOR_Y}V{top}h{prop.get("reach", 14)}"/>'
    raise ValueError(f"unknown prop {kind!r}")


def _arrow(arrow: list) -> str:
    x1, y1, x2, y2 = arrow
    angle = math.atan2(y2 - y1, x2 - x1)
    left = (x2 - 8 * math.cos(angle - 0.45), y2 - 8 * math.sin(angle - 0.45))
    right = (x2 - 8 * math.cos(angle + 0.45), y2 - 8 * math.sin(angle + 0.45))
    return (
        f'<path class="fig-arrow" d="M{_n(x1)} {_n(y1)}L{_n(x2)} {_n(y2)}"/>'
        f'<path class="fig-arrow-head" d="M{_n(x2)} {_n(y2)}L{_n(left[0])} {_n(left[1])}'
        f'L{_n(right[0])} {_n(right[1])}Z"/>'
    )


def _marks(entry: dict) -> dict[str, list[str]]:
    return {"near": entry.get("mark", []), "far": entry.get("mark_far", [])}


HELD = {
    "bag": '<rect class="fig-prop" x="-9" y="2" width="18" height="24" rx="3"/>',
    "ball": '<circle class="fig-ball" r="6.5"/>',
}


def _held(positions: list[dict], entry: dict, motion: _Motion, *, behind: bool) -> str:
    """Things that move with a joint (a bag in the hand, a ball under the hip): placed at the joint,
    plus an offset, in each position."""
    view = entry["view"]
    pieces = []
    for prop in entry.get("held", []):
        if (prop["kind"] == "ball") != behind:
            continue
        places = []
        for position in positions:
            px, py = pelvis_at(position, view)
            jx, jy = joints(position, view)[prop.get("at", "near_hand")]
            places.append((px + jx + prop.get("dx", 0), py + jy + prop.get("dy", 0)))
        pieces.append(motion.translate(places) + HELD[prop["kind"]] + "</g>")
    return "".join(pieces)


def _panel(
    entry: dict, positions: list[dict], motion: _Motion, top: float, caption: str = "", arrow=None, centre=None
) -> str:
    props = "".join(_prop(prop, top) for prop in entry.get("props", []))
    body = _body(positions, entry["view"], motion, _marks(entry), entry.get("spine"), entry.get("order"))
    centre = PANEL_WIDTH / 2 if centre is None else centre
    text = f'<text class="fig-caption" x="{_n(centre)}" y="16">{escape(caption)}</text>' if caption else ""
    arrows = _arrow(arrow) if arrow else ""
    shift = (CAPTION_HEIGHT if caption else 0) - top
    behind = _held(positions, entry, motion, behind=True)
    in_front = _held(positions, entry, motion, behind=False)
    return f'{text}<g transform="translate(0 {_n(shift)})">{props}{behind}{body}{in_front}{arrows}</g>'


def _document(
    *, width: int, height: int, title: str, description: str, inner: str, stylesheet: str, left: int = 0
) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="figure" viewBox="{left} 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        f"<style>{stylesheet}</style>{inner}</svg>\n"
    )


def moving_entry(entry: dict) -> dict:
    """What the end panel and the moving figure are drawn from: the exercise's own pose data, or its
    ``end_view`` when the movement shows from another side than the start position does (child's
    pose: kneeling and folded forward shows from the side, the hands walking to one side from above)."""
    return {**entry, **entry["end_view"]} if "end_view" in entry else entry


def exercise_figure(entry: dict, *, name: str, stylesheet: str) -> str:
    """Start and end side by side: the figure of an exercise."""
    moving = moving_entry(entry)
    start, end = entry["start"], moving["end"]
    still = _Motion(animate=False, seconds=0, key_times="")
    extents = [_extent(entry, [start]), _extent(moving, [end])]
    top, bottom = min(top for top, _ in extents), max(bottom for _, bottom in extents)
    gap = 12
    width = 2 * PANEL_WIDTH + gap
    height = bottom - top + CAPTION_HEIGHT
    divider = (
        f'<line class="fig-panel" x1="{PANEL_WIDTH + gap / 2}" y1="8" x2="{PANEL_WIDTH + gap / 2}" y2="{height - 8}"/>'
    )
    inner = (
        _panel(entry, [start], still, top, entry.get("start_caption", "Start"))
        + divider
        + f'<g transform="translate({PANEL_WIDTH + gap} 0)">'
        + _panel(moving, [end], still, top, moving.get("end_caption", "End"), moving.get("arrow"))
        + "</g>"
    )
    description = f"{entry['describe_start']} {entry['describe_end']}"
    return _document(
        width=width,
        height=height,
        title=f"{name}: start and end position",
        description=description,
        inner=inner,
        stylesheet=stylesheet,
    )


def motion_figure(entry: dict, *, name: str, stylesheet: str) -> str:
    """One panel moving from the start to the end position, staying, and coming back."""
    entry = moving_entry(entry)
    seconds = entry.get("seconds", 6)
    motion = _Motion(animate=True, seconds=seconds, key_times="0;0.3;0.75;1")
    positions = [entry["start"], entry["end"], entry["end"], entry["start"]]
    top, bottom = _extent(entry, positions)
    inner = _panel(entry, positions, motion, top)
    description = f"{entry['describe_start']} {entry['describe_end']}"
    return _document(
        width=PANEL_WIDTH,
        height=bottom - top,
        title=f"{name}: moving from the start to the end position",
        description=description,
        inner=inner,
        stylesheet=stylesheet,
    )


def pelvis_figure(entry: dict, *, stylesheet: str) -> str:
    """One pelvic position, side view (the self-check's first question), cropped to the body:
    ``crop = [left, right]`` keeps the picture narrow enough for three side by side on a phone."""
    still = _Motion(animate=False, seconds=0, key_times="")
    top, bottom = _extent(entry, [entry["position"]])
    left, right = entry.get("crop", [0, PANEL_WIDTH])
    inner = _panel(
        entry, [entry["position"]], still, top, entry["caption"], entry.get("arrow"), centre=(left + right) / 2
    )
    return _document(
        width=right - left,
        height=bottom - top + CAPTION_HEIGHT,
        left=left,
        title=entry["title"],
        description=entry["describe"],
        inner=inner,
        stylesheet=stylesheet,
    )


# --- Every file ----------------------------------------------------------------------------


def exercise_figure_name(slug: str) -> str:
    return f"routines/figures/{slug}.svg"


def motion_figure_name(slug: str) -> str:
    return f"routines/figures/{slug}-motion.svg"


def muscle_figure_name(slug: str) -> str:
    return f"routines/figures/muscle-{slug}.svg"


def pelvis_figure_name(key: str) -> str:
    return f"routines/figures/pelvis-{key}.svg"


PELVIS_KEYS = ("neutral", "tuck", "arch")


@functools.cache
def drawn() -> frozenset[str]:
    """The static names of the figure files there are (an exercise added in the admin has none yet)."""
    return frozenset(f"routines/figures/{path.name}" for path in FIGURES_DIR.glob("*.svg"))


def all_figures(catalog: dict | None = None, poses: dict | None = None) -> dict[str, str]:
    """Every figure file, by static path: what ``draw_figures`` writes and the test compares."""
    from . import bodymap
    from .seed import read_catalog

    catalog = catalog if catalog is not None else read_catalog()
    poses = poses if poses is not None else load_poses()
    stylesheet = " ".join(STYLESHEET_PATH.read_text().split())
    files = {}
    for exercise in catalog["exercises"]:
        slug = exercise["slug"]
        entry = poses[slug]
        files[exercise_figure_name(slug)] = exercise_figure(entry, name=exercise["name"], stylesheet=stylesheet)
        files[motion_figure_name(slug)] = motion_figure(entry, name=exercise["name"], stylesheet=stylesheet)
    for key in PELVIS_KEYS:
        files[pelvis_figure_name(key)] = pelvis_figure(poses["pelvis"][key], stylesheet=stylesheet)
    muscles = [bodymap.MuscleInfo(m["slug"], m["name"], m["location"]) for m in catalog["muscles"]]
    for muscle in muscles:
        files[muscle_figure_name(muscle.slug)] = (
            bodymap.svg(
                element_id="map",
                title=f"Body map: the {muscle.name}",
                description=f"Front and back views with the {muscle.name} highlighted on both sides.",
                muscles=bodymap.muscle_regions(muscles, marked={muscle.slug}),
                style=stylesheet,
            )
            + "\n"
        )
    return files


def write_figures(directory: Path | None = None) -> list[str]:
    """Write every figure under ``directory`` (the app's static folder); the names of those that changed."""
    root = directory or APP_DIR / "static"
    changed = []
    for name, text in all_figures().items():
        path = root / name
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            changed.append(name)
    return changed
