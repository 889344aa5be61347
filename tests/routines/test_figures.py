"""The figures (PRODUCT.md §4.2): every exercise's and muscle's ``figure`` is a small, self-contained
SVG served by the site, and the committed files are exactly what the renderer draws now."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses the project's own files

import pytest

from routines import figures
from routines.seed import read_catalog

SVG = "{http://www.w3.org/2000/svg}"
MAX_BYTES = 40 * 1024
NAMESPACE = 'xmlns="http://www.w3.org/2000/svg"'
# Anything that could fetch or lead elsewhere: a link, a source, an import, a url(), a "//" address.
OUTSIDE = re.compile(r"href|src\s*=|@import|url\(|//", re.I)


def parse(content) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - the project's own figures, not outside input


def read_served(client, url: str) -> tuple[int, str, bytes]:
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, response.headers.get("Content-Type", ""), content


def figure_urls(api) -> list[str]:
    exercises = api.get("/api/v1/exercises/", {"page_size": 1000}).json()["results"]
    muscles = api.get("/api/v1/muscles/", {"page_size": 1000}).json()["results"]
    return [row["figure"] for row in exercises + muscles]


def test_the_committed_figures_are_what_the_renderer_draws_now():
    drawn = figures.all_figures()
    stale = [
        name
        for name, text in drawn.items()
        if not (figures.APP_DIR / "static" / name).exists() or (figures.APP_DIR / "static" / name).read_text() != text
    ]
    committed = {f"routines/figures/{path.name}" for path in figures.FIGURES_DIR.glob("*.svg")}
    assert stale == [], "run `manage.py draw_figures` and commit the figures"
    assert committed - set(drawn) == set(), "a figure file no exercise, muscle or pelvic position draws"


def test_every_exercise_has_pose_data_and_every_pose_an_exercise():
    slugs = {exercise["slug"] for exercise in read_catalog()["exercises"]}
    posed = set(figures.load_poses()) - {"pelvis"}
    assert posed == slugs


@pytest.mark.django_db
def test_every_exercise_and_muscle_figure_is_a_small_self_contained_svg_with_a_title(api, client):
    urls = figure_urls(api)
    assert len(urls) == len(read_catalog()["exercises"]) + 7
    for url in urls:
        status, content_type, content = read_served(client, url)
        assert (status, content_type.split(";")[0]) == (200, "image/svg+xml"), url
        assert len(content) < MAX_BYTES, url
        root = parse(content)
        assert root.tag == f"{SVG}svg", url
        assert (root.findtext(f"{SVG}title") or "").strip(), url
        assert not OUTSIDE.search(content.decode().replace(NAMESPACE, "", 1)), url


@pytest.mark.django_db
def test_an_exercise_figure_highlights_its_target_muscle(api, client):
    body = api.get("/api/v1/exercises/psoas-release/").json()
    _, _, content = read_served(client, body["figure"])
    marks = parse(content).iter(f"{SVG}ellipse")
    assert "psoas" in {mark.findtext(f"{SVG}title") for mark in marks if mark.get("class") == "fig-mark"}


@pytest.mark.django_db
def test_a_muscle_figure_marks_that_muscle_and_no_other(api, client):
    body = api.get("/api/v1/muscles/piriformis/").json()
    _, _, content = read_served(client, body["figure"])
    regions = parse(content).iter()
    marked = {node.get("data-muscle") for node in regions if "is-marked" in (node.get("class") or "")}
    assert marked == {"piriformis"}


def test_the_moving_figure_turns_its_joints_between_the_two_positions():
    poses = figures.load_poses()
    text = figures.motion_figure(poses["glute-bridge"], name="Glute bridge", stylesheet="")
    animations = parse(text).iter(f"{SVG}animateTransform")
    rotated = [node.get("values") for node in animations if node.get("type") == "rotate"]
    assert rotated, "no joint moves"
    assert all(len(set(values.split(";"))) > 1 for values in rotated)


@pytest.mark.django_db
def test_an_exercise_added_without_pose_data_has_no_figure_yet(api):
    from routines.models import Exercise

    Exercise.objects.create(slug="wall-angel", name="Wall angel", kind="stretch", instructions="Stand.", caution="-")
    assert api.get("/api/v1/exercises/wall-angel/").json()["figure"] is None


def test_no_figure_puts_a_joint_under_the_floor():
    """A foot, knee or hand that rests on the floor stops at it: none goes through the floor line."""
    through = []
    for slug, entry in figures.load_poses().items():
        if slug == "pelvis":
            continue
        for drawn in (entry, figures.moving_entry(entry)):
            if not any(prop["kind"] == "floor" for prop in drawn.get("props", [])):
                continue
            for key in ("start", "end"):
                _, pelvis_y = figures.pelvis_at(drawn[key], drawn["view"])
                for joint, (_, y) in figures.joints(drawn[key], drawn["view"]).items():
                    if pelvis_y + y > figures.FLOOR_Y:
                        through.append((slug, drawn["view"], key, joint))
    assert through == []


def test_an_exercise_seen_from_two_sides_draws_its_end_and_its_movement_from_the_second():
    """Child's pose: kneeling and folded forward shows from the side, the reach to one side from above."""
    entry = figures.load_poses()["childs-pose-side-reach"]
    still = parse(figures.exercise_figure(entry, name="Child's pose", stylesheet=""))
    captions = [node.text for node in still.iter(f"{SVG}text") if node.get("class") == "fig-caption"]
    assert captions == ["Start (from the side)", "End (from above)"]
    moving = parse(figures.motion_figure(entry, name="Child's pose", stylesheet=""))
    classes = [node.get("class") for node in moving.iter()]
    assert "fig-floor" not in classes
    assert [node.get("rx") for node in moving.iter(f"{SVG}rect") if node.get("class") == "fig-prop"] == ["6"]


def colours(css: str) -> dict[str, dict[str, str]]:
    """The custom properties of a stylesheet, light (outside any media query) and dark."""
    light, _, dark = css.partition("@media (prefers-color-scheme: dark)")
    pattern = re.compile(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})")
    return {"light": dict(pattern.findall(light)), "dark": dict(pattern.findall(dark))}


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two sRGB colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_part_of_a_figure_stands_out_from_the_page_in_light_and_dark_mode():
    """WCAG 1.4.11: the graphics a person needs to see (limbs near and far, trunk, props, floor, the
    highlighted muscle) have at least 3:1 contrast with the page and the cards they sit on."""
    from django.conf import settings

    figure = colours(figures.STYLESHEET_PATH.read_text())
    page = colours((settings.BASE_DIR / "backcare" / "static" / "backcare" / "app.css").read_text())
    needed = ["--fig-limb", "--fig-far-edge", "--fig-trunk", "--fig-prop", "--fig-floor", "--fig-mark"]
    faint = [
        (scheme, name, background)
        for scheme in ("light", "dark")
        for name in needed
        for background in ("--bg", "--surface")
        if contrast(figure[scheme][name], page[scheme][background]) < 3
    ]
    assert faint == []


def test_every_joint_of_a_moving_figure_turns_the_short_way():
    """An arm raised overhead that ends leaning over goes over the head, not down and round through
    the body: no joint turns half a turn or more between two key positions."""
    long_way = []
    for slug, entry in figures.load_poses().items():
        if slug == "pelvis":
            continue
        moving = parse(figures.motion_figure(entry, name=slug, stylesheet=""))
        for node in moving.iter(f"{SVG}animateTransform"):
            if node.get("type") == "rotate":
                angles = [float(value) for value in node.get("values").split(";")]
                if max(angles) - min(angles) >= 180:
                    long_way.append((slug, angles))
    assert long_way == []


def test_a_figure_highlights_the_muscles_its_exercise_works_and_no_other():
    poses = figures.load_poses()
    differ = {}
    for exercise in read_catalog()["exercises"]:
        entry = poses[exercise["slug"]]
        marked = set(entry.get("mark", [])) | set(entry.get("mark_far", []))
        if marked != set(exercise["muscles"]):
            differ[exercise["slug"]] = (sorted(marked), sorted(exercise["muscles"]))
    assert differ == {}
