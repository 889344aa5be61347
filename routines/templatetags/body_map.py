"""``{% muscle_map %}``: the body map inline in a page, its muscles as links or marked (routines/bodymap.py)."""

from django import template
from django.utils.safestring import mark_safe

from .. import bodymap
from ..models import Muscle

register = template.Library()


@register.simple_tag
def muscle_map(*, element_id: str, title: str, marked=(), link: bool = True, classes_for=None, muscles=None):
    """The seven muscles on both sides; ``marked`` (slugs or muscles) are highlighted, each region
    links to its muscle's page unless ``link`` is false; ``classes_for(slug)`` adds classes."""
    muscles = list(muscles if muscles is not None else Muscle.objects.all())
    if isinstance(marked, Muscle):
        marked = [marked]
    marked_slugs = {getattr(item, "slug", item) for item in marked}
    if marked_slugs:
        names = [muscle.name for muscle in muscles if muscle.slug in marked_slugs]
        description = "Front and back views; highlighted on both sides: " + ", ".join(names) + "."
    else:
        description = "Front and back views of the seven muscles, left and right; each one leads to its page."
    return mark_safe(  # noqa: S308 - bodymap escapes every text it writes
        bodymap.svg(
            element_id=element_id,
            title=title,
            description=description,
            muscles=bodymap.muscle_regions(muscles, marked=marked_slugs, link=link, classes_for=classes_for),
        )
    )
