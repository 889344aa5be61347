"""The contact sheet of every picture, as a phone shows it in light and dark mode, for people to look at:
test-artifacts/contact-sheet/{light,dark}-{exercises,muscles,pelvis}.png (git-ignored)."""

from html import escape

import pytest
from django.templatetags.static import static

from routines.figures import PELVIS_KEYS, pelvis_figure_name
from routines.models import Exercise, Muscle

from .browser import SCREENSHOTS, VIEWPORTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHEETS = SCREENSHOTS.parent / "contact-sheet"
PAGE = """<!doctype html><html><head><meta name="color-scheme" content="light dark"><style>
body {{ margin: 8px; font: 14px system-ui, sans-serif; background: Canvas; color: CanvasText; }}
h2 {{ font-size: 15px; margin: 12px 0 4px; }} img {{ display: block; width: 100%; height: auto; }}
.row {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; }}
</style></head><body>{sections}</body></html>"""


def sections(base_url: str) -> dict[str, str]:
    def picture(title: str, url: str) -> str:
        return f"<h2>{escape(title)}</h2><img src='{base_url}{url}' alt=''>"

    exercises = "".join(picture(exercise.name, exercise.figure) for exercise in Exercise.objects.order_by("kind"))
    muscles = "".join(picture(muscle.name, muscle.figure) for muscle in Muscle.objects.all())
    pelvis = "".join(f"<img src='{base_url}{static(pelvis_figure_name(key))}' alt=''>" for key in PELVIS_KEYS)
    return {
        "exercises": f"<section id='exercises'>{exercises}</section>",
        "muscles": f"<section id='muscles'>{muscles}</section>",
        "pelvis": f"<section id='pelvis'><h2>Pelvic positions</h2><div class='row'>{pelvis}</div></section>",
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_contact_sheet_shows_every_picture_at_phone_width(catalog, new_context, live_server, scheme):
    context = new_context(viewport=VIEWPORTS["phone"], color_scheme=scheme)
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    parts = sections(live_server.url)
    page.set_content(PAGE.format(sections="".join(parts.values())), wait_until="load")

    broken = page.evaluate("Array.from(document.images).filter(i => !i.naturalWidth).map(i => i.src)")
    assert (broken, failed) == ([], [])
    assert page.locator("img").count() == Exercise.objects.count() + Muscle.objects.count() + len(PELVIS_KEYS)
    SHEETS.mkdir(parents=True, exist_ok=True)
    for name in parts:
        path = SHEETS / f"{scheme}-{name}.png"
        page.locator(f"#{name}").screenshot(path=str(path))
        assert path.stat().st_size > 10_000
