"""Draw the app's PNG icons (for the web app manifest) from the same figure as backcare/static/backcare/icon.svg.

    python manage.py draw_icons

Writes icon-192.png, icon-512.png and icon-maskable-512.png into backcare/static/backcare/icons/.
The PNGs are committed; run this again only when the figure changes.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parents[2] / "static" / "backcare" / "icons"
ACCENT = (0x2F, 0x6F, 0x62, 255)  # app.css --accent, and icon.svg's background
WHITE = (255, 255, 255, 255)
SUPERSAMPLE = 4
# icon.svg's figure on its 32-unit grid: the spine's S (two cubic curves) and the dot below it.
SPINE = [((16, 5), (14, 8), (14, 11), (16, 14)), ((16, 14), (18, 17), (18, 20), (16, 23))]
SPINE_WIDTH = 3
DOT = ((16, 27), 2)
CORNER = 7


def _bezier(p0, p1, p2, p3, steps=64):
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        yield tuple(
            u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
            for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
        )


def draw(size: int, *, maskable: bool) -> Image.Image:
    """The icon at ``size`` px; a maskable one fills the square and keeps the figure in the middle 60 %."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    unit = big / 32
    if maskable:
        pen.rectangle([0, 0, big, big], fill=ACCENT)
        # The platform's mask may cut everything outside a circle of 40 % radius: shrink the figure into it.
        scale, offset = unit * 0.6, big * 0.2
    else:
        pen.rounded_rectangle([0, 0, big - 1, big - 1], radius=CORNER * unit, fill=ACCENT)
        scale, offset = unit, 0.0

    def at(point):
        return (offset + point[0] * scale, offset + point[1] * scale)

    radius = SPINE_WIDTH * scale / 2
    for curve in SPINE:
        for point in _bezier(*curve):
            x, y = at(point)
            pen.ellipse([x - radius, y - radius, x + radius, y + radius], fill=WHITE)
    (cx, cy), r = DOT
    x, y = at((cx, cy))
    pen.ellipse([x - r * scale, y - r * scale, x + r * scale, y + r * scale], fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


class Command(BaseCommand):
    help = "Draw the manifest's PNG icons from the app's own figure."

    def handle(self, *args, **options):
        ICONS.mkdir(parents=True, exist_ok=True)
        for name, size, maskable in (
            ("icon-192.png", 192, False),
            ("icon-512.png", 512, False),
            ("icon-maskable-512.png", 512, True),
        ):
            draw(size, maskable=maskable).save(ICONS / name, optimize=True)
            self.stdout.write(f"{ICONS / name}")
